"""Pure tests of the demo text composer: determinism, Markdown format rules and variety."""

import datetime as dt
import itertools
import random
import re
import statistics

import pytest

from yaowen.demo.compose import (
    CHANNELS,
    ComposedArticle,
    compose_article,
    compose_comment,
    compose_creator,
)
from yaowen.demo.compose.vocabulary import _CHANNEL_DATA, _SHARED, _VARIANTS
from yaowen.newsroom.rendering import plain_text
from yaowen.textkit import copies

PUBLISHED = dt.date(2025, 5, 20)
URLS = [f"https://media.example/figures/{i}.webp" for i in range(6)]
FIGURE_RE = re.compile(r'^!\[([^"\[\]()\n]{8,30})\]\((\S+) "([^"\[\]()\n]{8,40})"\)$')
URL_RE = re.compile(r"https?://|www\.|\.com|\.cn", re.IGNORECASE)
PHONE_RE = re.compile(r"\d{7,}|1[3-9]\d[ -]?\d{4}[ -]?\d{4}")
PUNCTUATION = "，。“”！？：；、"
# The same two or more Chinese characters twice in a row: 家庭纠纷调解纠纷调解成功.
DOUBLED = re.compile(r"([\u4e00-\u9fff]{2,})\1")
SLOT = re.compile(r"\{(\w+)\}")


def _articles(seed: int, count: int, figures: list[str]) -> list[tuple[str, ComposedArticle]]:
    rng = random.Random(seed)
    return [
        (channel, compose_article(rng, channel, figures, PUBLISHED))
        for _ in range(count)
        for channel in CHANNELS
    ]


def _check_body(body: str, figures: list[str]) -> None:
    assert "\r" not in body
    assert 600 <= len(body) <= 2000, len(body)
    blocks = body.split("\n\n")
    assert all(block and "\n" not in block for block in blocks), "paragraphs are single lines"
    assert "<" not in body and ">" not in body, "no HTML"

    sections: list[list[str]] = [[]]
    headings: list[str] = []
    used: list[str] = []
    for block in blocks:
        if block.startswith("#"):
            assert block.startswith("## ") and not block.startswith("###"), block
            heading = block[3:]
            assert heading == "结语" or 6 <= len(heading) <= 20, heading
            headings.append(heading)
            sections.append([])
        elif block.startswith("!["):
            match = FIGURE_RE.match(block)
            assert match, block
            used.append(match[2])
        else:
            assert 40 <= len(block) <= 160, (len(block), block)
            assert block[-1] in "。！？”", block
            assert not re.match(r"^([-*+>|]|\d+[.)] )", block), block
            assert not set(block) & set('"*_`#[]'), block
            assert any(mark in block for mark in PUNCTUATION)
            sections[-1].append(block)
    assert 2 <= len(headings) <= 4
    assert "结语" not in headings[:-1]
    assert 2 <= len(sections[0]) <= 3, "introduction of 2-3 paragraphs"
    assert all(2 <= len(section) <= 4 for section in sections[1:])
    if figures:
        assert 1 <= len(used) <= 3
        assert set(used) <= set(figures)
    else:
        assert used == []


def _check_article(article: ComposedArticle, figures: list[str]) -> None:
    assert 12 <= len(article.title) <= 32, article.title
    assert 40 <= len(article.summary) <= 90, article.summary
    assert "\n" not in article.title + article.summary
    assert 1 <= len(article.references) <= 4
    for ref in article.references:
        assert ref.source and ref.title
        assert ref.published < PUBLISHED
    assert 2 <= len(article.tags) <= 5
    assert len(set(article.tags)) == len(article.tags)
    assert all(1 <= len(tag) <= 8 for tag in article.tags)
    _check_body(article.body_markdown, figures)


def test_channels_are_the_documented_slugs() -> None:
    assert CHANNELS == (
        "news", "world", "military", "society", "sports", "ent", "finance", "tech", "auto",
        "house", "edu", "travel", "culture", "history", "health", "parenting", "home", "art",
        "games", "digital",
    )  # fmt: skip


@pytest.mark.parametrize("channel", CHANNELS)
def test_every_channel_composes_valid_articles(channel: str) -> None:
    rng = random.Random(f"every/{channel}")
    for index in range(40):
        figures = URLS[: index % 4]
        _check_article(compose_article(rng, channel, figures, PUBLISHED), figures)


def test_markdown_rules_hold_at_scale() -> None:
    for _, article in _articles(7, 25, URLS):
        _check_article(article, URLS)


def test_no_figures_when_none_given() -> None:
    for _, article in _articles(8, 5, []):
        assert "![" not in article.body_markdown
        _check_article(article, [])


def test_single_figure_url_is_used_at_most_once() -> None:
    rng = random.Random(3)
    for channel in CHANNELS:
        body = compose_article(rng, channel, URLS[:1], PUBLISHED).body_markdown
        assert body.count("![") == 1
        assert URLS[0] in body


def test_same_seed_same_article() -> None:
    for channel in ("sports", "finance", "health", "digital"):
        first = compose_article(random.Random(99), channel, URLS, PUBLISHED)
        second = compose_article(random.Random(99), channel, URLS, PUBLISHED)
        assert first == second
    assert compose_article(random.Random(1), "tech", URLS, PUBLISHED) != compose_article(
        random.Random(2), "tech", URLS, PUBLISHED
    )


def test_same_seed_same_sequence_of_everything() -> None:
    def run(seed: int) -> list[object]:
        rng = random.Random(seed)
        out: list[object] = []
        for channel in CHANNELS:
            out.append(compose_creator(rng, channel))
            out.append(compose_article(rng, channel, URLS, PUBLISHED))
            out.append(compose_comment(rng))
        return out

    assert run(5) == run(5)


def test_global_random_is_left_alone() -> None:
    random.seed(1234)
    state = random.getstate()
    rng = random.Random(1)
    for channel in CHANNELS:
        compose_article(rng, channel, URLS, PUBLISHED)
        compose_creator(rng, channel)
    compose_comment(rng)
    assert random.getstate() == state


@pytest.mark.parametrize("call", ["article", "creator"])
def test_unknown_channel_raises_value_error(call: str) -> None:
    rng = random.Random(0)
    with pytest.raises(ValueError, match="unknown channel 'weather'"):
        if call == "article":
            compose_article(rng, "weather", [], PUBLISHED)
        else:
            compose_creator(rng, "weather")


def test_references_are_dated_before_publication() -> None:
    rng = random.Random(11)
    for day in range(1, 29, 3):
        published = dt.date(2024, 2, day)
        for channel in CHANNELS:
            article = compose_article(rng, channel, [], published)
            assert all(ref.published < published for ref in article.references)


def test_titles_are_almost_all_distinct() -> None:
    rng = random.Random(2025)
    titles = [
        compose_article(rng, CHANNELS[i % len(CHANNELS)], [], PUBLISHED).title for i in range(3000)
    ]
    assert len(set(titles)) / len(titles) >= 0.95


def test_titles_avoid_the_titles_taken() -> None:
    rng = random.Random(2026)
    taken: set[str] = set()
    for index in range(3000):
        title = compose_article(
            rng, CHANNELS[index % len(CHANNELS)], [], PUBLISHED, taken=taken
        ).title
        assert title not in taken
        taken.add(title)


def test_no_doubled_phrases_anywhere() -> None:
    rng = random.Random(31)
    texts: list[str] = []
    for _, article in _articles(31, 40, URLS):
        texts += [article.title, article.summary, article.body_markdown, *article.tags]
        texts += [ref.title for ref in article.references]
    for channel in CHANNELS:
        creator = compose_creator(rng, channel)
        texts += [creator.display_name, creator.bio]
    texts += [compose_comment(rng) for _ in range(500)]
    assert [match[0] for text in texts for match in DOUBLED.finditer(text)] == []


# Keys a template may use for another list: the fresh draws (s, p, r...) and the bound
# "other" subject and person.
_SAME_LIST = {"s": "S", "o": "S", "O": "S", "p": "P", "r": "R", "q": "R", "Q": "R"}


def _literals(template: str, lists: dict[str, str], seen: frozenset[str] = frozenset()):
    """The fixed text of a template and, recursively, of the lists it draws from, except
    the article's topic (T) and the date and year."""
    yield from SLOT.split(template)[::2]
    for key in SLOT.findall(template):
        key = _SAME_LIST.get(key, key)
        if key in ("T", "t", "D", "Y") or key in seen or key not in lists:
            continue
        for item in lists[key].split():
            yield from _literals(item, lists, seen | {key})


@pytest.mark.parametrize("channel", CHANNELS)
def test_titles_name_no_topic_but_the_articles_own(channel: str) -> None:
    """A title, a lead or a heading names a topic only through {T}, the one topic bound for
    the whole article and drawn from the article's variant, whose titles belong with its
    topics: so a title cannot name two topics, or another one than the body
    (研究生考试临近，考生如何规划高考志愿填报), and never draws a fresh topic ({t})."""
    variants = [{**_CHANNEL_DATA[channel], **v} for v in _VARIANTS.get(channel, [{}])]
    topics = {topic for data in variants for topic in data["T"].split()}
    for data in variants:
        lists = {**_SHARED, **data}
        for key in ("titles", "leads", "heads"):
            for template in data[key].split():
                assert "{t}" not in template, template
                named = {t for text in _literals(template, lists) for t in topics if t in text}
                assert not named, (template, named)


def test_articles_of_a_channel_share_little_text() -> None:
    """Two articles of one channel share a few common phrases, as articles by different
    writers do: copy detection (5-character shingles) never takes one for a copy of the
    other, and on average they share under a tenth of their text."""
    rng = random.Random(12)
    shares = []
    for channel in CHANNELS:
        sketches = [
            copies.sketch(plain_text(compose_article(rng, channel, URLS, PUBLISHED).body_markdown))
            for _ in range(30)
        ]
        for new, earlier in itertools.combinations(sketches, 2):
            found = copies.overlap(new, earlier)
            assert not found.is_copy, found
            shares.append(max(found.of_earlier, found.of_new))
    assert statistics.mean(shares) < 0.1
    assert max(shares) < copies.MIN_SHARE


def _bigrams(texts: list[str]) -> set[str]:
    grams: set[str] = set()
    for text in texts:
        text = re.sub(r"[\W\d_a-zA-Z]", "", text)
        grams |= {text[i : i + 2] for i in range(len(text) - 1)}
    return grams


def test_sports_and_finance_titles_share_little_vocabulary() -> None:
    rng = random.Random(77)
    sports = _bigrams([compose_article(rng, "sports", [], PUBLISHED).title for _ in range(150)])
    finance = _bigrams([compose_article(rng, "finance", [], PUBLISHED).title for _ in range(150)])
    overlap = len(sports & finance) / len(sports | finance)
    assert overlap < 0.08, sorted(sports & finance)


def test_creators_look_like_self_media_accounts() -> None:
    rng = random.Random(4)
    names = set()
    for channel in CHANNELS:
        for _ in range(60):
            creator = compose_creator(rng, channel)
            assert 2 <= len(creator.display_name) <= 10, creator
            assert "官方" not in creator.display_name and "要闻" not in creator.display_name
            assert 10 <= len(creator.bio) <= 40, creator
            assert "\n" not in creator.bio
            assert not URL_RE.search(creator.bio) and not PHONE_RE.search(creator.bio), creator
            names.add(creator.display_name)
    assert len(names) > 400


def test_comments_are_short_and_varied() -> None:
    rng = random.Random(6)
    comments = [compose_comment(rng) for _ in range(500)]
    assert all(4 <= len(comment) <= 80 for comment in comments)
    assert all("\n" not in comment for comment in comments)
    assert len(set(comments)) > 200
    assert any(comment.endswith("？") for comment in comments)
