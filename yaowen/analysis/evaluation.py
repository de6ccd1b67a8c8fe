"""Measuring copy detection on labelled pairs, through the publishing pipeline.

Runs inside a throwaway database (`manage.py analysis evaluate-near-duplicates` starts it).
Every distinct `text_a` is published by creators drawn at random, as an import with
`publish=True` does; then every `text_b` is imported by one more creator as a draft, which
analyses it exactly as a new article is analysed, so its earlier original
(`ArticleAnalysis.duplicate_of`) is what publishing would have flagged. A pair is found
when that original is `id_a`'s article. The `text_b` drafts carry neutral titles of their
own, so only the bodies can match.
"""

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from yaowen.accounts.models import CreatorProfile
from yaowen.accounts.services import creators_for_evaluation
from yaowen.analysis.models import ArticleAnalysis
from yaowen.core.errors import ApplicationError
from yaowen.jobs.delivery import deliver_pending
from yaowen.newsroom.models import Channel
from yaowen.newsroom.services import ArticleInput, articles_import
from yaowen.newsroom.services.imports import BATCH_SIZE

KINDS = ("dup", "distinct")
# Originals per creator: enough creators that no one creator dominates.
ARTICLES_PER_CREATOR = 20
MIN_CREATORS = 20
TITLE_CHARS = 30
SEED = 20261207


@dataclass(frozen=True)
class Pair:
    kind: str  # "dup" (text_b copies text_a) or "distinct"
    id_a: str
    id_b: str
    text_a: str
    text_b: str


@dataclass(frozen=True)
class Outcome:
    pair: Pair
    # The id_a of the article flagged as text_b's original ("?" for an article that is no
    # text_a), and how much of the two texts the other holds, in percent.
    returned: str | None
    share: int | None

    @property
    def found(self) -> bool:
        return self.returned == self.pair.id_a


@dataclass(frozen=True)
class Figures:
    pairs: int
    copies: int
    found: int
    false: int  # distinct pairs whose id_a came back
    others: int  # lookups that returned some other article

    @property
    def recall(self) -> float:
        return self.found / self.copies if self.copies else 0.0

    @property
    def precision(self) -> float:
        return self.found / (self.found + self.false) if self.found + self.false else 1.0


def unescape(field: str) -> str:
    """A TSV field with \\n, \\t and \\\\ standing for a line break, a tab and a backslash."""
    out, chars = [], iter(field)
    for char in chars:
        if char == "\\":
            following = next(chars, "")
            out.append({"n": "\n", "t": "\t", "\\": "\\"}.get(following, "\\" + following))
        else:
            out.append(char)
    return "".join(out)


def pairs_parse(lines: Sequence[str]) -> list[Pair]:
    """Pairs from `kind<TAB>id_a<TAB>id_b<TAB>text_a<TAB>text_b` lines; an id_a must always
    come with the same text. Raises ApplicationError naming the bad lines."""
    pairs, bad = [], []
    originals: dict[str, str] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) != 5 or fields[0] not in KINDS or not all(f.strip() for f in fields[1:]):
            bad.append(number)
            continue
        pair = Pair(fields[0], fields[1], fields[2], unescape(fields[3]), unescape(fields[4]))
        if originals.setdefault(pair.id_a, pair.text_a) != pair.text_a:
            bad.append(number)
            continue
        pairs.append(pair)
    if bad:
        shown = ", ".join(map(str, bad[:10])) + (" …" if len(bad) > 10 else "")
        raise ApplicationError(
            f"{len(bad)} lines are not kind<TAB>id_a<TAB>id_b<TAB>text_a<TAB>text_b with kind "
            f"dup or distinct and one text per id_a (lines {shown}); nothing measured."
        )
    return pairs


def pairs_evaluate(
    pairs: Sequence[Pair],
    *,
    published: Callable[[int], None] = lambda n: None,
    looked_up: Callable[[int], None] = lambda n: None,
) -> list[Outcome]:
    """Publish every text_a, import every text_b as a draft, and read what each draft was
    flagged as a copy of. `published` and `looked_up` are told of progress."""
    channel = Channel.objects.order_by("position", "pk").first() or Channel.objects.create(
        slug="eval", name="评测"
    )
    originals = list(dict.fromkeys((p.id_a, p.text_a) for p in pairs))
    creators = creators_for_evaluation(
        max(MIN_CREATORS, len(originals) // ARTICLES_PER_CREATOR) + 1
    )
    copier, creators = creators[0], creators[1:]
    rng = random.Random(SEED)
    by_creator: dict[int, list[tuple[int, ArticleInput]]] = {c.pk: [] for c in creators}
    for position, (_id_a, text) in enumerate(originals):
        title = " ".join(text.split())[:TITLE_CHARS]
        item = ArticleInput(title=title, channel=channel, body_source=text)
        by_creator[rng.choice(creators).pk].append((position, item))
    article_of: dict[int, str] = {}
    for creator in creators:
        items = by_creator[creator.pk]
        if items:
            ids = _import(creator, items, publish=True, tick=published)
            article_of.update(
                (article_id, originals[position][0])
                for (position, _item), article_id in zip(items, ids, strict=True)
            )
    items = [
        (
            position,
            ArticleInput(title=f"待查稿件 {position + 1}", channel=channel, body_source=p.text_b),
        )
        for position, p in enumerate(pairs)
    ]
    drafts = _import(copier, items, publish=False, tick=looked_up)
    flagged = {
        article_id: (original, share)
        for article_id, original, share in ArticleAnalysis.objects.filter(
            article_id__in=drafts
        ).values_list("article_id", "duplicate_of_id", "duplicate_share")
    }
    outcomes = []
    for pair, draft in zip(pairs, drafts, strict=True):
        original, share = flagged.get(draft, (None, None))
        returned = None if original is None else article_of.get(original, "?")
        outcomes.append(Outcome(pair, returned, share))
    return outcomes


def figures(outcomes: Sequence[Outcome]) -> Figures:
    copies = [o for o in outcomes if o.pair.kind == "dup"]
    distinct = [o for o in outcomes if o.pair.kind == "distinct"]
    return Figures(
        pairs=len(outcomes),
        copies=len(copies),
        found=sum(o.found for o in copies),
        false=sum(o.found for o in distinct),
        others=sum(o.returned is not None and not o.found for o in outcomes),
    )


def _import(
    author: CreatorProfile,
    items: list[tuple[int, ArticleInput]],
    *,
    publish: bool,
    tick: Callable[[int], None],
) -> list[int]:
    """Import a batch at a time and deliver its events (the analysis) before the next, so
    that progress counts analysed articles."""
    ids = []
    for start in range(0, len(items), BATCH_SIZE):
        batch = items[start : start + BATCH_SIZE]
        result = articles_import(author=author, items=batch, by=author.user, publish=publish)
        if result.errors:
            position, message = result.errors[0]
            raise ApplicationError(f"pair text {position + 1}: {message}")
        deliver_pending()  # analysed and indexed now, as the queue's consumer would
        ids.extend(result.article_ids)
        tick(len(batch))
    return ids
