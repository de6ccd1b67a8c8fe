"""Deterministic, combinatorial composer of Chinese demo content (articles, creators, comments)."""

import datetime as dt
import itertools
import random
import re
from collections.abc import Callable, Container, Iterator
from dataclasses import dataclass

from yaowen.demo.compose.vocabulary import (
    _CHANNEL_DATA,
    _CLOSE,
    _COMMENT,
    _COMMENT_FORMS,
    _CREATOR_BIOS,
    _CREATOR_NAMES,
    _FILLERS,
    _FRAMES,
    _HEADS,
    _REFS,
    _SHARED,
    _SUMMARY,
    _SUMMARY_TAIL,
    _SYNONYMS,
    _VARIANTS,
)

__all__ = [
    "CHANNELS",
    "ComposedArticle",
    "ComposedCreator",
    "Reference",
    "compose_article",
    "compose_comment",
    "compose_creator",
]


@dataclass(frozen=True)
class Reference:
    """A report the article cites; rendered apart from the body."""

    source: str
    title: str
    published: dt.date


@dataclass(frozen=True)
class ComposedArticle:
    """One generated article: headline, summary, Markdown body, references and tags."""

    title: str
    summary: str
    body_markdown: str
    references: list[Reference]
    tags: list[str]


@dataclass(frozen=True)
class ComposedCreator:
    """One generated self-media account: display name and one-line bio."""

    display_name: str
    bio: str


CHANNELS: tuple[str, ...] = (
    "news",
    "world",
    "military",
    "society",
    "sports",
    "ent",
    "finance",
    "tech",
    "auto",
    "house",
    "edu",
    "travel",
    "culture",
    "history",
    "health",
    "parenting",
    "home",
    "art",
    "games",
    "digital",
)

# ---------------------------------------------------------------------------------------------
# Compilation, once at import: a template becomes (pattern, slots), where pattern is a
# str.format() string with one "{}" per slot, and a slot is (0, index) for a per-article bound
# value, (1, items) for a random pick, or (2, key) for the next card of a per-article deck (or a
# sticky value). Items are plain strings or compiled templates.
# ---------------------------------------------------------------------------------------------

_BOUND_KEYS = ("S", "O", "P", "T", "R", "Q", "D", "Y")
_BOUND_INDEX = {key: i for i, key in enumerate(_BOUND_KEYS)}
_ALIASES = {"s": "S", "o": "S", "p": "P", "t": "T", "r": "R", "q": "R"}
_FRAME_KEYS = tuple(f"f_{kind}" for kind in (*_FRAMES, "extra"))
_DECK_KEYS = ("act", "view", "fact", "imp", "voice", "gview", "gimp", "tip", "ptip") + _FRAME_KEYS
# Lists whose words vary per use (_SYNONYMS): the body's stock phrases, so that two articles
# using the same phrase still seldom say it in the same words.
_VARIED = frozenset(
    ("act", "view", "fact", "imp", "voice", "gview", "gimp", "tip", "ptip", "leads", "close")
    + _FRAME_KEYS
)
_SLOT_RE = re.compile(r"\{(\w+)\}")
_SYNONYM_TABLE: dict[str, tuple[str, ...]] = {
    word: (word, *alternatives.split("|")) if alternatives else ()
    for word, _, alternatives in (entry.partition("=") for entry in _SYNONYMS.split())
}
# A slot, or a word to vary (longest first, so that a protected phrase wins).
_SLOT_OR_WORD_RE = re.compile(
    r"\{(\w+)\}|(" + "|".join(sorted(_SYNONYM_TABLE, key=len, reverse=True)) + ")"
)
# The same two or more Chinese characters twice in a row (家庭纠纷调解纠纷调解): what a slot
# filled next to its own last word produces. Composed text never contains it.
_DOUBLED = re.compile(r"([\u4e00-\u9fff]{2,})\1")
_FORBIDDEN_NAME_WORDS = ("官方", "要闻")
_ORDERS = 48  # precomputed deck orders per list

# A compiled template: a str.format() pattern with "{}" holes, and one slot per hole.
_Template = tuple[str, tuple[tuple, ...]]
_Items = tuple[str | _Template, ...]
_Deck = Iterator[str | _Template]


def _split(text: str) -> list[str]:
    return [item.replace("_", " ") for item in text.split()]


class _Channel:
    """A channel's compiled vocabulary."""

    def __init__(self, slug: str, raw: dict[str, str], *, article: bool = True) -> None:
        self.slug = slug
        self._raw = {**_SHARED, **{k: v for k, v in raw.items() if k != "label"}}
        for key in _DECK_KEYS:  # the data spells these lists in the plural
            if key + "s" in self._raw:
                self._raw[key] = self._raw.pop(key + "s")
        if article:
            for kind, frames in _FRAMES.items():
                self._raw.setdefault(f"f_{kind}", frames)
            self._raw["f_extra"] = self._raw.get("extra", "")
            self._raw.update(
                close=_CLOSE,
                filler=_FILLERS,
                heads=self._raw["heads"] + " " + _HEADS,
                lead=self._raw["leads"],
                summary=_SUMMARY,
                summary_tail=_SUMMARY_TAIL,
                refs=self._raw["refs"] + " " + _REFS,
                outlets=self._raw["outlets"] + " " + _SHARED["outlet"],
                creator_name=_CREATOR_NAMES,
                creator_bio=_CREATOR_BIOS,
            )
        self.sticky_keys = frozenset(_split(self._raw.get("sticky", "")))
        self._lists: dict[str, _Items] = {}
        self._busy: set[str] = set()
        for key in list(self._raw):
            self.items(key)
        self.deck_keys = tuple(key for key in _DECK_KEYS if key in self._lists)
        self._orders: dict[str, tuple[tuple, ...]] = {}
        self.sticky = tuple(_split(self._raw.get("sticky", "")))

    def orders(self, key: str) -> tuple[tuple, ...]:
        """Precomputed shuffled orders of list `key`, for dealing it like a deck."""
        if key not in self._orders:
            items = list(self.items(key))
            shuffler = random.Random(f"{self.slug}/{key}")  # private, fixed seed: deterministic
            orders = []
            for _ in range(_ORDERS):
                shuffler.shuffle(items)
                orders.append(tuple(items))
            self._orders[key] = tuple(orders)
        return self._orders[key]

    def items(self, key: str) -> _Items:
        """The compiled items of list `key`, compiling (and checking) them on first use."""
        if key in self._lists:
            return self._lists[key]
        if key not in self._raw:
            raise KeyError(f"channel {self.slug!r}: unknown template key {{{key}}}")
        if key in self._busy:
            raise ValueError(f"channel {self.slug!r}: template key {{{key}}} refers to itself")
        self._busy.add(key)
        vary = key in _VARIED
        compiled = tuple(self._compile(item, vary) for item in _split(self._raw[key]))
        self._busy.discard(key)
        if not compiled and key not in ("extra", "f_extra"):
            raise ValueError(f"channel {self.slug!r}: list {key!r} is empty")
        self._lists[key] = compiled
        return compiled

    def _compile(self, text: str, vary: bool = False) -> str | _Template:
        if "{" not in text and not vary:
            return text
        slots: list[tuple] = []

        def slot(match: re.Match[str]) -> str:
            key = match[1]
            if key is None:  # a word to vary
                choices = _SYNONYM_TABLE[match[2]]
                if not choices:
                    return match[2]
                slots.append((1, choices))
                return "{}"
            if key in _BOUND_INDEX:
                if key not in ("D", "Y"):
                    self.items(_ALIASES.get(key.lower(), key))  # must exist
                slots.append((0, _BOUND_INDEX[key]))
            elif key in _DECK_KEYS or key in self.sticky_keys:
                self.items(key)
                slots.append((2, key))
            else:
                slots.append((1, self.items(_ALIASES.get(key, key))))
            return "{}"

        pattern = (_SLOT_OR_WORD_RE if vary else _SLOT_RE).sub(slot, text)
        return (pattern, tuple(slots)) if slots else text


_CHANNELS: dict[str, tuple[_Channel, ...]] = {
    slug: tuple(_Channel(slug, {**_CHANNEL_DATA[slug], **v}) for v in _VARIANTS.get(slug, [{}]))
    for slug in CHANNELS
}
_COMMENTS = _Channel("comment", {**_COMMENT, "comment": _COMMENT_FORMS}, article=False)


# ---------------------------------------------------------------------------------------------
# Filling.
# ---------------------------------------------------------------------------------------------


def _fill(
    template: str | _Template,
    bound: list[str],
    rnd: Callable[[], float],
    decks: dict[str, _Deck],
) -> str:
    if template.__class__ is str:
        return template  # type: ignore[return-value]
    fmt, slots = template
    values = []
    append = values.append
    for kind, value in slots:
        if kind == 0:
            append(bound[value])
            continue
        item = value[int(rnd() * len(value))] if kind == 1 else next(decks[value])
        append(item if item.__class__ is str else _fill(item, bound, rnd, decks))
    return fmt.format(*values)


def _deck(rng: random.Random, orders: tuple[tuple, ...]) -> _Deck:
    """Cycle through a list in one of its precomputed orders, from a point chosen with `rng`
    (so that two articles seldom start a list with the same cards)."""
    order = orders[int(rng.random() * len(orders))]
    return itertools.islice(itertools.cycle(order), int(rng.random() * len(order)), None)


class _Writer:
    """Per-article state: bound values, decks, and helpers that fill templates."""

    __slots__ = ("rng", "rnd", "bound", "decks", "ch")

    def __init__(self, rng: random.Random, ch: _Channel, published_on: dt.date | None) -> None:
        self.rng = rng
        self.rnd = rng.random
        self.ch = ch
        self.decks: dict[str, _Deck] = {key: _deck(rng, ch.orders(key)) for key in ch.deck_keys}
        self.bound: list[str] = [""] * len(_BOUND_KEYS)
        if published_on is not None:
            # Bound one after the other, each filled with those before it: a person may be
            # "一名长期研究{T}的学者", a sticky list may be the topic itself.
            bound = self.bound
            event = published_on - dt.timedelta(days=int(rng.random() * 4))
            bound[_BOUND_INDEX["D"]] = f"{event.month}月{event.day}日"
            bound[_BOUND_INDEX["Y"]] = f"{published_on.year}年"
            bound[_BOUND_INDEX["P"]] = self.pick("P")
            bound[_BOUND_INDEX["T"]] = self.pick("T")
            # Sticky lists are picked once per article (a league, a quarter, a brand...).
            for key in ch.sticky:
                self.decks[key] = itertools.repeat(self.pick(key))
            bound[_BOUND_INDEX["S"]] = subject = self.pick("S")
            bound[_BOUND_INDEX["O"]] = self.pick_other("S", subject)
            bound[_BOUND_INDEX["R"]] = person = self.pick("R")
            bound[_BOUND_INDEX["Q"]] = self.pick_other("R", person)

    def fill(self, parts: str | _Template) -> str:
        return _fill(parts, self.bound, self.rnd, self.decks)

    def pick(self, key: str) -> str:
        items = self.ch.items(key)
        return self.fill(items[int(self.rnd() * len(items))])

    def pick_other(self, key: str, than: str) -> str:
        """A filled item of `key` that differs from `than` (when the list allows it)."""
        other = than
        for _ in range(8):
            other = self.pick(key)
            if other != than:
                break
        return other

    def pick_len(
        self, key: str, lo: int, hi: int, tries: int = 12, avoid: Container[str] = ()
    ) -> str:
        """A filled item of `key` whose length is within [lo, hi], without a doubled phrase
        and not in `avoid` (best effort after `tries`)."""
        text = ""
        for _ in range(tries):
            text = self.pick(key)
            if lo <= len(text) <= hi and not _DOUBLED.search(text) and text not in avoid:
                return text
        return text

    def pick_clean(self, key: str) -> str:
        """A filled item of `key` without a doubled phrase (best effort)."""
        text = ""
        for _ in range(8):
            text = self.pick(key)
            if not _DOUBLED.search(text):
                break
        return text


# How many sentences of each kind (_FRAMES) an article's body draws, at least and at most;
# "extra" is the channel's own kind, when it has one. Details (the largest pool, and the
# fewest fixed words) top up what is still short.
_PLAN = (
    ("act", 2, 3),
    ("view", 3, 4),
    ("fact", 4, 5),
    ("imp", 2, 3),
    ("voice", 1, 2),
    ("gview", 2, 3),
    ("gimp", 1, 2),
    ("story", 3, 5),
    ("detail", 6, 8),
    ("extra", 1, 2),
)


def _body_sentences(w: _Writer) -> _Deck:
    """The frames of the body's sentences in order: the article's plan shuffled, then details."""
    rand = w.rnd
    kinds = [
        kind
        for kind, least, most in _PLAN
        if w.ch.items(f"f_{kind}") or kind != "extra"
        for _ in range(least + int(rand() * (most - least + 1)))
    ]
    w.rng.shuffle(kinds)
    decks = w.decks
    planned = [next(decks[f"f_{kind}"]) for kind in kinds]
    return itertools.chain(planned, decks["f_detail"])


def _paragraph(w: _Writer, sentences: _Deck, lo: int, hi: int = 160, closing: str = "") -> str:
    """Join sentences into one paragraph of roughly `lo` to `hi` characters."""
    parts: list[str] = []
    total = 0
    if closing:
        hi -= len(closing)
    bound, rnd, decks = w.bound, w.rnd, w.decks
    for _ in range(10):
        sentence = _fill(next(sentences), bound, rnd, decks)
        size = len(sentence)
        if _DOUBLED.search(sentence):
            continue
        if total + size > hi:
            if total >= 40 - len(closing):
                break
            continue
        parts.append(sentence)
        total += size
        if total >= lo:
            break
    while total + len(closing) < 40:
        filler = w.pick_clean("filler")
        parts.append(filler)
        total += len(filler)
    if closing:
        parts.append(closing)
    return "".join(parts)


def _figure(w: _Writer, url: str) -> str:
    alt = w.pick_len("alts", 8, 30)
    caption = w.pick_len("caps", 8, 40)
    return f'![{alt}]({url} "{caption}")'


def _channel(channel: str) -> tuple[_Channel, ...]:
    try:
        return _CHANNELS[channel]
    except KeyError:
        raise ValueError(
            f"unknown channel {channel!r}; expected one of: {', '.join(CHANNELS)}"
        ) from None


def compose_article(
    rng: random.Random,
    channel: str,
    figures: list[str],
    published_on: dt.date,
    *,
    taken: Container[str] = (),
) -> ComposedArticle:
    """Compose one article for `channel`, deterministic given the state of `rng`.

    `figures` are image URLs; when it is non-empty the body shows 1-3 of them. `taken`:
    titles already used on the site, which this article's title avoids.
    """
    variants = _channel(channel)
    ch = variants[int(rng.random() * len(variants))] if len(variants) > 1 else variants[0]
    w = _Writer(rng, ch, published_on)
    rand = rng.random
    title = w.pick_len("titles", 12, 32, tries=64, avoid=taken)
    summary = _summary(w)

    body_deck = _body_sentences(w)
    close_deck = _deck(rng, ch.orders("close"))

    # Structure: an intro and 2-4 sections, 9-13 text paragraphs overall.
    n_sections = 2 + int(rand() * 3)
    intro_count = 2 + int(rand() * 2)
    counts = [2 + int(rand() * 3) for _ in range(n_sections)]
    while intro_count + sum(counts) < 9:
        counts[min(range(n_sections), key=counts.__getitem__)] += 1
    while intro_count + sum(counts) > 13:
        counts[max(range(n_sections), key=counts.__getitem__)] -= 1

    blocks: list[list[str]] = []
    intro = [_lead_paragraph(w, body_deck)]
    for _ in range(intro_count - 1):
        intro.append(_paragraph(w, body_deck, 55 + int(rand() * 35)))
    blocks.append(intro)

    heads = _deck(rng, ch.orders("heads"))
    headings: list[str] = []
    for index in range(n_sections):
        if index == n_sections - 1 and rand() < 0.3:
            headings.append("结语")
            continue
        heading = ""
        for _ in range(12):
            heading = w.fill(next(heads))
            if 6 <= len(heading) <= 20 and heading not in headings and not _DOUBLED.search(heading):
                break
        headings.append(heading)

    for index, count in enumerate(counts):
        paragraphs = []
        last_section = index == n_sections - 1
        for i in range(count):
            if last_section and i == count - 1:
                closing = w.fill(next(close_deck))
                for _ in range(4):
                    if not _DOUBLED.search(closing):
                        break
                    closing = w.fill(next(close_deck))
                paragraphs.append(_paragraph(w, body_deck, 40, closing=closing))
            else:
                paragraphs.append(_paragraph(w, body_deck, 55 + int(rand() * 45)))
        blocks.append(paragraphs)

    if figures:
        wanted = 1 + int(rand() * 3)
        urls = rng.sample(figures, min(wanted, len(figures)))
        where = rng.sample(range(len(blocks)), len(urls))
        for url, block_index in zip(urls, where, strict=True):
            block = blocks[block_index]
            # After the block's first paragraph and before its last (unless it has only one).
            block.insert(1 + int(rand() * max(1, len(block) - 1)), _figure(w, url))

    _lengthen(w, blocks, body_deck)
    lines = list(blocks[0])
    for heading, block in zip(headings, blocks[1:], strict=True):
        lines.append(f"## {heading}")
        lines.extend(block)
    body = "\n\n".join(lines)

    return ComposedArticle(
        title=title,
        summary=summary,
        body_markdown=body,
        references=_references(w, published_on),
        tags=_tags(w),
    )


# Bodies shorter than this get a sentence more in their shortest paragraphs: a short text
# shares a larger part of itself with any other.
_MIN_TEXT = 1000


def _lengthen(w: _Writer, blocks: list[list[str]], sentences: _Deck) -> None:
    """Add sentences to the shortest text paragraphs until the text reaches _MIN_TEXT; the
    closing paragraph (the last) keeps its closing sentence last and is left alone."""
    texts = [
        (index, position)
        for index, block in enumerate(blocks)
        for position, paragraph in enumerate(block)
        if not paragraph.startswith("![")
    ]
    total = sum(len(blocks[i][p]) for i, p in texts)
    texts.pop()
    for _ in range(12):
        if total >= _MIN_TEXT:
            return
        index, position = min(texts, key=lambda at: len(blocks[at[0]][at[1]]))
        paragraph = blocks[index][position]
        sentence = w.fill(next(sentences))
        if len(paragraph) + len(sentence) > 160 or _DOUBLED.search(sentence):
            continue
        blocks[index][position] = paragraph + sentence
        total += len(sentence)


def _lead_paragraph(w: _Writer, body_deck: _Deck) -> str:
    """The opening paragraph: a channel lead, topped up with body sentences when short."""
    text = w.pick_clean("leads")
    for _ in range(8):
        if len(text) >= 70:
            break
        extra = w.fill(next(body_deck))
        if len(text) + len(extra) <= 160 and not _DOUBLED.search(extra):
            text += extra
    while len(text) < 40:
        text += w.pick_clean("filler")
    return text


def _summary(w: _Writer) -> str:
    """One or two sentences of 40-90 characters about the article's subject."""
    text = ""
    for _ in range(12):
        text = w.pick("summary")
        if len(text) < 40:
            text += w.pick("summary_tail")
        if 40 <= len(text) <= 90 and not _DOUBLED.search(text):
            return text
    # Fall back to something that certainly fits.
    text = text[:89].rstrip("，、；：") + "。" if len(text) > 90 else text
    while len(text) < 40:
        text += w.pick_clean("filler")
    return text[:90]


def _references(w: _Writer, published_on: dt.date) -> list[Reference]:
    """1-4 distinct cited reports, dated 1-45 days before publication, newest first."""
    rand = w.rng.random
    count = 1 + int(rand() * 4)
    seen: set[str] = set()
    refs: list[Reference] = []
    for _ in range(count * 3):
        title = w.pick("refs")
        if title in seen or _DOUBLED.search(title):
            continue
        seen.add(title)
        days = 1 + int(rand() * 45)
        refs.append(Reference(w.pick("outlets"), title, published_on - dt.timedelta(days=days)))
        if len(refs) == count:
            break
    refs.sort(key=lambda ref: ref.published, reverse=True)
    return refs


def _tags(w: _Writer) -> list[str]:
    """2-5 distinct topic words: often the article's topic, then words of the channel."""
    pool = w.ch.items("tags")
    count = 2 + int(w.rng.random() * 4)
    tags: list[str] = []
    topic = w.bound[3]
    if len(topic) <= 6 and w.rng.random() < 0.6:
        tags.append(topic)
    for tag in w.rng.sample(pool, min(len(pool), count)):
        if len(tags) == count:
            break
        if tag not in tags:
            tags.append(tag)  # type: ignore[arg-type]
    return tags


def compose_creator(rng: random.Random, channel: str) -> ComposedCreator:
    """Compose a self-media account (display name and bio) that writes for `channel`."""
    w = _Writer(rng, _channel(channel)[0], None)
    name = ""
    for _ in range(20):
        name = w.pick_len("creator_name", 2, 10)
        if 2 <= len(name) <= 10 and not any(word in name for word in _FORBIDDEN_NAME_WORDS):
            break
    bio = w.pick_len("creator_bio", 10, 40, tries=20)
    return ComposedCreator(display_name=name, bio=bio)


def compose_comment(rng: random.Random) -> str:
    """Compose a plausible reader comment (跟帖), 4-80 characters."""
    w = _Writer(rng, _COMMENTS, None)
    return w.pick_len("comment", 4, 80)
