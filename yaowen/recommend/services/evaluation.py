"""Measuring related lists on a labelled corpus, loaded through the publishing pipeline.

Runs inside a throwaway database (`manage.py recommend evaluate-related` starts it): every
article goes into one channel under creators drawn at random, so neither the channel nor
the creator carries the label; then every article's list is computed and compared with
its label, beside a plain TF-IDF cosine baseline computed on the same texts; and what
readers would be shown as reasons and tags is checked against the corpus's most common
words.
"""

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from yaowen.accounts.services import creators_for_evaluation
from yaowen.analysis.models import ArticleAnalysis, TermStat
from yaowen.analysis.services import idf_refit
from yaowen.core.errors import ApplicationError
from yaowen.jobs.delivery import deliver_pending
from yaowen.newsroom.models import Channel
from yaowen.newsroom.services import ArticleInput, articles_import
from yaowen.recommend.evaluation import baseline_related, coverage, precision_at_k
from yaowen.recommend.models import RelatedItem
from yaowen.recommend.services.related import related_rebuild
from yaowen.recommend.services.topics import topics_refit
from yaowen.textkit.keywords import is_candidate
from yaowen.textkit.similarity import GRAM_PREFIX, RAW_GRAM_PREFIX

# Enough creators that the two-per-creator rule almost never binds: it is a platform rule,
# not a signal, and random authorship must not help or hurt.
ARTICLES_PER_CREATOR = 20
MIN_CREATORS = 50
SEED = 20261128
# Keywords the article page shows as tags (web.views._topic_links).
TAGS_SHOWN = 6


@dataclass(frozen=True)
class LabelledText:
    label: str
    title: str
    body: str


@dataclass(frozen=True)
class Figures:
    precision: float
    coverage: float


@dataclass(frozen=True)
class NamedWords:
    """Reason words and tags shown, and how many of them are among the common words;
    list items that name a reason (the others say 同类话题)."""

    common: int
    items: int
    items_named: int
    reason_words: int
    common_reason_words: int
    tags: int
    common_tags: int
    examples: tuple[str, ...]


def corpus_load(
    texts: Sequence[LabelledText], *, tick: Callable[[int], None] = lambda n: None
) -> list[int]:
    """Publish every text as an article of one channel; returns article ids in input order.

    A text without a body gets its title as body: an article needs one, and a headline-only
    item (快讯) says no more than its headline.
    """
    channel = Channel.objects.order_by("position", "pk").first()
    if channel is None:
        channel = Channel.objects.create(slug="eval", name="评测")
    creators = creators_for_evaluation(max(MIN_CREATORS, len(texts) // ARTICLES_PER_CREATOR))
    rng = random.Random(SEED)
    by_creator: dict[int, list[tuple[int, ArticleInput]]] = {c.pk: [] for c in creators}
    for position, text in enumerate(texts):
        item = ArticleInput(
            title=text.title[:64], channel=channel, body_source=text.body or text.title
        )
        by_creator[rng.choice(creators).pk].append((position, item))
    ids = [0] * len(texts)
    for creator in creators:
        items = by_creator[creator.pk]
        if not items:
            continue
        result = articles_import(
            author=creator, items=items, by=creator.user, publish=True, tick=tick
        )
        if result.errors:
            raise ApplicationError(f"line {result.errors[0][0] + 1}: {result.errors[0][1]}")
        for (position, _item), article_id in zip(items, result.article_ids, strict=True):
            ids[position] = article_id
    # Analysed and indexed here and now, as the queue's consumer would, so the figures
    # are measured on a finished index.
    deliver_pending()
    return ids


def related_evaluate(
    texts: Sequence[LabelledText],
    article_ids: Sequence[int],
    *,
    k: int,
    tick: Callable[[int], None] = lambda n: None,
) -> Figures:
    """Fit the topics, compute every article's stored list and score its first `k`
    against the labels."""
    topics_refit()
    related_rebuild(article_ids=article_ids, tick=tick)
    position = {article_id: index for index, article_id in enumerate(article_ids)}
    lists: dict[int, list[int]] = {article_id: [] for article_id in article_ids}
    rows = RelatedItem.objects.order_by("article_id", "rank").values_list(
        "article_id", "related_id"
    )
    for article_id, related_id in rows:
        if article_id in lists and related_id in position:
            lists[article_id].append(position[related_id])
    related = [lists[article_id][:k] for article_id in article_ids]
    labels = [text.label for text in texts]
    return Figures(precision_at_k(labels, related, k), coverage(related, k))


def baseline_evaluate(texts: Sequence[LabelledText], *, k: int) -> Figures:
    """The plain TF-IDF cosine baseline on the same texts (title and body as given)."""
    related = baseline_related([f"{t.title} {t.body}" for t in texts], k=k)
    labels = [text.label for text in texts]
    return Figures(precision_at_k(labels, related, k), coverage(related, k))


def named_words_check(article_ids: Sequence[int], *, common: int) -> NamedWords:
    """Count the reason words of the stored lists and the tags (the first TAGS_SHOWN
    keywords) of `article_ids` that are among the `common` most common words of the
    corpus (by document frequency, words that could be shown at all).

    The keywords are recomputed first with the whole corpus's IDF (`keywords refit`, as
    after any bulk import): an import into an empty site analyses its first batches
    before the rest is counted.
    """
    idf_refit()
    words = TermStat.objects.exclude(term="").order_by("-df", "term").values_list("term", flat=True)
    most_common: set[str] = set()
    for term in words.iterator(chunk_size=5000):
        if term.startswith((GRAM_PREFIX, RAW_GRAM_PREFIX)) or not is_candidate(term):
            continue
        most_common.add(term)
        if len(most_common) >= common:
            break
    stored = list(
        RelatedItem.objects.filter(article_id__in=article_ids).values_list("reason", flat=True)
    )
    reasons = [word for reason in stored for word in reason]
    tags = [
        term
        for keywords in ArticleAnalysis.objects.filter(article_id__in=article_ids).values_list(
            "keywords", flat=True
        )
        for term, _weight in keywords[:TAGS_SHOWN]
    ]
    found = sorted({word for word in [*reasons, *tags] if word in most_common})
    return NamedWords(
        common=len(most_common),
        items=len(stored),
        items_named=sum(bool(reason) for reason in stored),
        reason_words=len(reasons),
        common_reason_words=sum(word in most_common for word in reasons),
        tags=len(tags),
        common_tags=sum(word in most_common for word in tags),
        examples=tuple(found[:10]),
    )
