"""Related lists (相关推荐): the inverted index of related vectors and the stored lists.

When an article is published or edited its vector enters the index (`Posting`), its list
is computed from the index and stored (`RelatedItem`), and the neighbours it now belongs
next to take it into their stored lists. Reading a list is then one indexed query.
"""

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from yaowen.analysis.models import ArticleAnalysis
from yaowen.analysis.selectors import idf_model
from yaowen.core.cache import invalidate
from yaowen.core.progress import Progress, no_progress
from yaowen.newsroom.models import Article
from yaowen.recommend.models import Posting, RelatedItem, TopicAssignment
from yaowen.recommend.selectors import postings_read, related_key
from yaowen.recommend.services.topics import (
    stored_topics,
    stored_vectors,
    topic_assign,
    topics_assign_many,
)
from yaowen.textkit.keywords import IdfModel, is_candidate
from yaowen.textkit.normalize import normalize
from yaowen.textkit.simhash import hamming
from yaowen.textkit.similarity import (
    GRAM_PREFIX,
    POSTING_CAP,
    RAW_GRAM_PREFIX,
    related_articles,
    related_features,
    related_vector,
)

LIST_SIZE = 10
PER_AUTHOR = 2
# Best-scored candidates read in full (author, channel, time, fingerprints) for the rules.
CANDIDATES_CHECKED = 60
# Neighbours of a newly indexed article whose stored lists may take it in.
NEIGHBOURS_UPDATED = LIST_SIZE
# An article in another channel is still related, a little less.
OTHER_CHANNEL = 0.85
# Stories close in time are more related; a year apart still keeps half the score.
RECENCY_HALF_LIFE_DAYS = 30.0
RECENCY_FLOOR = 0.5
NEAR_DUPLICATE_BITS = 3
REASON_TERMS = 2
REINDEX_BATCH = 1000
# A rebuild of at least this many lists reads the whole index into memory once, when the
# index is at most this many rows (about 200,000 articles; ~1 GB of Python objects).
IN_MEMORY_MIN = 200
IN_MEMORY_POSTINGS = 10_000_000
IN_MEMORY_BATCH = 500

Vector = list[tuple[str, float]]


@dataclass(frozen=True, slots=True)
class Neighbour:
    """What the list rules need to know about one candidate."""

    article_id: int
    author_id: int
    channel_id: int
    published_at: dt.datetime
    prints: tuple[int, ...]
    duplicate_of: int | None
    title_key: str
    keywords: tuple[str, ...]


def related_publish(*, article: Article) -> list[int]:
    """The article is live (or was edited while live): index it, store its list, and
    offer it to the neighbours whose lists it now belongs in. Returns those neighbours."""
    vector = related_index(article_id=article.pk)
    if not vector:
        RelatedItem.objects.filter(article_id=article.pk).delete()
        return []
    ranked = related_recompute(article_id=article.pk, vector=vector)
    return _offer_to_neighbours(article.pk, ranked[:NEIGHBOURS_UPDATED])


def related_unpublish(*, article: Article) -> None:
    """The article left the site: out of the index, out of every stored list."""
    Posting.objects.filter(article_id=article.pk).delete()
    TopicAssignment.objects.filter(article_id=article.pk).delete()
    holders = list(
        RelatedItem.objects.filter(related_id=article.pk).values_list("article_id", flat=True)
    )
    RelatedItem.objects.filter(Q(article_id=article.pk) | Q(related_id=article.pk)).delete()
    invalidate(*(related_key(holder) for holder in holders))


def related_index(*, article_id: int) -> Vector:
    """Write the article's related vector into the index, replacing its old one."""
    analysis = (
        ArticleAnalysis.objects.filter(article_id=article_id)
        .values_list("title_terms", "body_terms", "article__title")
        .first()
    )
    Posting.objects.filter(article_id=article_id).delete()
    if analysis is None:
        return []
    vector = _vector(analysis[0].split(), analysis[1].split(), normalize(analysis[2]))
    Posting.objects.bulk_create(
        Posting(feature=feature, article_id=article_id, weight=weight) for feature, weight in vector
    )
    topic_assign(article_id=article_id, vector=vector)
    return vector


def related_index_many(texts: Sequence[tuple[int, str, str, str]]) -> None:
    """`related_index` for a batch of just-published articles (bulk import), given as
    (article id, title words, body words, title): one IDF read for the batch."""
    tokens = [
        (article_id, title.split(), body.split(), normalize(text))
        for article_id, title, body, text in texts
    ]
    idf = idf_model(
        feature
        for _id, title, body, text in tokens
        for feature in related_features(title, body, title=text)
    )
    vectors = {
        article_id: related_vector(title, body, idf.df, idf.documents, title=text)
        for article_id, title, body, text in tokens
    }
    Posting.objects.bulk_create(
        (
            Posting(feature=feature, article_id=article_id, weight=weight)
            for article_id, vector in vectors.items()
            for feature, weight in vector
        ),
        batch_size=2000,
    )
    topics_assign_many(vectors)


def related_reindex(*, progress: Progress = no_progress) -> int:
    """Write every published article's related vector again, with the current IDF (after
    `keywords refit`). Returns the number of articles indexed."""
    published = ArticleAnalysis.objects.filter(published_at__isnull=False).values_list(
        "article_id", "title_terms", "body_terms", "article__title"
    )
    total = published.count()
    tick = progress("index", total)
    with transaction.atomic():
        Posting.objects.all().delete()
        batch: list[tuple[int, str, str, str]] = []
        for row in published.iterator(chunk_size=REINDEX_BATCH):
            batch.append(row)
            if len(batch) >= REINDEX_BATCH:
                related_index_many(batch)
                tick(len(batch))
                batch = []
        related_index_many(batch)
        tick(len(batch))
    return total


def related_recompute(*, article_id: int, vector: Vector | None = None) -> list[RelatedItem]:
    """Compute and store the article's related list from the index; returns it, best first."""
    if vector is None:
        vector = _stored_vector(article_id)
    items = _items(article_id, _ranked(article_id, vector, DATABASE))
    with transaction.atomic():
        RelatedItem.objects.filter(article_id=article_id).delete()
        RelatedItem.objects.bulk_create(items)
    invalidate(related_key(article_id))
    return items


def _items(article_id: int, ranked: list[tuple[Neighbour, float, list[str]]]) -> list[RelatedItem]:
    return [
        RelatedItem(
            article_id=article_id,
            related_id=neighbour.article_id,
            rank=rank,
            score=score,
            reason=reason,
        )
        for rank, (neighbour, score, reason) in enumerate(ranked)
    ]


def related_rebuild(
    *,
    article_ids: Iterable[int] | None = None,
    neighbours: bool = False,
    tick: Callable[[int], None] = lambda n: None,
) -> int:
    """Recompute the stored lists of `article_ids` (default: every published article);
    with `neighbours`, also offer each to its neighbours' lists (newly imported articles).

    Many lists on a site small enough to hold its whole index in memory are computed
    from one read of it (the same functions, the same result), and written in batches.
    """
    if article_ids is None:
        article_ids = Article.objects.filter(status=Article.Status.PUBLISHED).values_list(
            "pk", flat=True
        )
    ids = list(article_ids)
    if (
        not neighbours
        and len(ids) >= IN_MEMORY_MIN
        and Posting.objects.count() <= (IN_MEMORY_POSTINGS)
    ):
        return _rebuild_in_memory(ids, tick)
    for article_id in ids:
        ranked = related_recompute(article_id=article_id)
        if neighbours:
            _offer_to_neighbours(article_id, ranked[:NEIGHBOURS_UPDATED])
        tick(1)
    return len(ids)


def _rebuild_in_memory(ids: list[int], tick: Callable[[int], None]) -> int:
    capped: dict[str, list[tuple[str, int, float]]] = {}
    vectors: dict[int, Vector] = {}
    rows = Posting.objects.order_by("feature", "-weight").values_list(
        "feature", "article_id", "weight"
    )
    for feature, article_id, weight in rows.iterator(chunk_size=20000):
        postings = capped.setdefault(feature, [])
        if len(postings) < POSTING_CAP:
            postings.append((feature, article_id, weight))
        vectors.setdefault(article_id, []).append((feature, weight))
    topics = dict(TopicAssignment.objects.values_list("article_id", "topics"))
    # One IDF read for every word of the index, instead of one per list.
    idf = idf_model(
        feature for vector in vectors.values() for feature, _weight in vector if _is_word(feature)
    )
    facts: dict[int, Neighbour] = {}
    known = list(vectors)
    for start in range(0, len(known), IN_MEMORY_BATCH):
        facts.update(_neighbours(known[start : start + IN_MEMORY_BATCH]))
    memory = Source(
        postings=lambda features: [row for f in features for row in capped.get(f, ())],
        vectors=lambda wanted: {i: vectors.get(i, []) for i in wanted},
        topics=lambda wanted: {i: topics[i] for i in wanted if i in topics},
        facts=lambda wanted: {i: facts[i] for i in wanted if i in facts},
        generic=lambda words: {word for word in words if idf.is_generic(word)},
    )
    for start in range(0, len(ids), IN_MEMORY_BATCH):
        batch = ids[start : start + IN_MEMORY_BATCH]
        items = [
            item
            for article_id in batch
            for item in _items(
                article_id,
                _ranked(
                    article_id,
                    sorted(vectors.get(article_id, []), key=lambda pair: -pair[1]),
                    memory,
                ),
            )
        ]
        with transaction.atomic():
            RelatedItem.objects.filter(article_id__in=batch).delete()
            RelatedItem.objects.bulk_create(items, batch_size=2000)
        invalidate(*(related_key(article_id) for article_id in batch))
        tick(len(batch))
    return len(ids)


def _vector(title: list[str], body: list[str], text: str) -> Vector:
    idf = idf_model(related_features(title, body, title=text))
    return related_vector(title, body, idf.df, idf.documents, title=text)


def _stored_vector(article_id: int) -> Vector:
    return list(
        Posting.objects.filter(article_id=article_id)
        .order_by("-weight")
        .values_list("feature", "weight")
    )


@dataclass(frozen=True)
class Source:
    """Where a list's inputs are read: the database, or a whole index held in memory."""

    postings: Callable[[Sequence[str]], Iterable[tuple[str, int, float]]]
    vectors: Callable[[Sequence[int]], Mapping[int, Vector]]
    topics: Callable[[Sequence[int]], Mapping[int, Sequence[int]]]
    facts: Callable[[list[int]], Mapping[int, Neighbour]]
    generic: Callable[[Iterable[str]], set[str]]


def _ranked(
    article_id: int, vector: Vector, source: Source
) -> list[tuple[Neighbour, float, list[str]]]:
    """The list rules over the index's best candidates: (neighbour, score, reason)."""
    if not vector:
        return []
    best = related_articles(
        article_id,
        vector,
        postings=source.postings,
        vectors=source.vectors,
        topics=source.topics,
        k=CANDIDATES_CHECKED,
    )
    facts = source.facts([article_id, *(candidate for candidate, _score in best)])
    me = facts.get(article_id)
    if me is None:
        return []
    adjusted = [
        (facts[candidate], score * _agreement(me, facts[candidate]))
        for candidate, score in best
        if candidate in facts
    ]
    adjusted.sort(key=lambda item: (-item[1], -item[0].article_id))
    chosen = _apply_rules(me, adjusted)
    vectors = source.vectors([article_id, *(neighbour.article_id for neighbour, _ in chosen)])
    reasons = _reasons(me, [neighbour for neighbour, _score in chosen], vectors, source.generic)
    return [
        (neighbour, round(score, 6), reasons[neighbour.article_id]) for neighbour, score in chosen
    ]


def _agreement(me: Neighbour, other: Neighbour) -> float:
    """Channel agreement times closeness in time: the non-textual part of the score."""
    channel = 1.0 if me.channel_id == other.channel_id else OTHER_CHANNEL
    days = abs((me.published_at - other.published_at).total_seconds()) / 86400
    recency = RECENCY_FLOOR + (1 - RECENCY_FLOOR) * 0.5 ** (days / RECENCY_HALF_LIFE_DAYS)
    return channel * recency


def _apply_rules(
    me: Neighbour, ranked: Iterable[tuple[Neighbour, float]]
) -> list[tuple[Neighbour, float]]:
    """Drop near-duplicates (of the article and of each other) and creator floods."""
    chosen: list[tuple[Neighbour, float]] = []
    per_author: dict[int, int] = {}
    for neighbour, score in ranked:
        if len(chosen) >= LIST_SIZE:
            break
        if per_author.get(neighbour.author_id, 0) >= PER_AUTHOR:
            continue
        if _near_duplicate(me, neighbour) or any(
            _near_duplicate(kept, neighbour) for kept, _score in chosen
        ):
            continue
        per_author[neighbour.author_id] = per_author.get(neighbour.author_id, 0) + 1
        chosen.append((neighbour, score))
    return chosen


def _near_duplicate(a: Neighbour, b: Neighbour) -> bool:
    if a.duplicate_of == b.article_id or b.duplicate_of == a.article_id:
        return True
    if a.duplicate_of is not None and a.duplicate_of == b.duplicate_of:
        return True
    if a.title_key and a.title_key == b.title_key:
        return True
    return any(
        x and y and hamming(x, y) <= NEAR_DUPLICATE_BITS
        for x, y in zip(a.prints, b.prints, strict=True)
    )


def _reasons(
    me: Neighbour,
    others: Sequence[Neighbour],
    vectors: Mapping[int, Sequence[tuple[str, float]]],
    generic: Callable[[Iterable[str]], set[str]],
) -> dict[int, list[str]]:
    """推荐理由 for each of `others` beside `me`, by article id (`_shared_words` without
    the generic ones), with one look-up of which shared words are generic."""
    shared = {
        other.article_id: _shared_words(
            me, other, vectors.get(me.article_id), vectors.get(other.article_id)
        )
        for other in others
    }
    common = generic({word for words in shared.values() for word, _weight in words})
    return {
        article_id: [word for word, _weight in words if word not in common][:REASON_TERMS]
        for article_id, words in shared.items()
    }


def _shared_words(
    me: Neighbour,
    other: Neighbour,
    mine: Sequence[tuple[str, float]] | None,
    theirs: Sequence[tuple[str, float]] | None,
) -> list[tuple[str, float]]:
    """The words both articles' stored vectors hold, strongest together first: words
    each article itself weighs among its own strongest, so specific to both; only words
    that could be keywords (no single characters, no numbers). Then the keywords both
    share, for when the vectors are missing or share only generic words. The caller drops
    generic words."""
    mine_words = {
        term: weight for term, weight in mine or () if _is_word(term) and is_candidate(term)
    }
    shared = sorted(
        ((term, mine_words[term] * weight) for term, weight in theirs or () if term in mine_words),
        key=lambda pair: (-pair[1], pair[0]),
    )
    named = {term for term, _weight in shared}
    keywords = set(other.keywords)
    return shared + [(term, 0.0) for term in me.keywords if term in keywords and term not in named]


def _generic_words(words: Iterable[str]) -> set[str]:
    """The words among `words` too common in the site's published articles to name."""
    wanted = set(words)
    if not wanted:
        return set()
    idf: IdfModel = idf_model(wanted)
    return {word for word in wanted if idf.is_generic(word)}


def _is_word(feature: str) -> bool:
    return not feature.startswith((GRAM_PREFIX, RAW_GRAM_PREFIX))


def _offer_to_neighbours(article_id: int, ranked: Sequence[RelatedItem]) -> list[int]:
    """Put the article into each neighbour's stored list where it now ranks; returns the
    neighbours whose lists changed."""
    neighbour_ids = [item.related_id for item in ranked]
    if not neighbour_ids:
        return []
    stored: dict[int, list[RelatedItem]] = {holder: [] for holder in neighbour_ids}
    for item in RelatedItem.objects.filter(article_id__in=neighbour_ids).order_by("rank"):
        stored[item.article_id].append(item)
    member_ids = {item.related_id for items in stored.values() for item in items}
    facts = _neighbours([article_id, *neighbour_ids, *member_ids])
    newcomer = facts.get(article_id)
    if newcomer is None:
        return []
    holders = [facts[holder] for holder in neighbour_ids if holder in facts]
    # The newcomer's reason in each holder's list, from both stored vectors, as a recompute
    # would give it; the members already listed keep theirs, less any word that has become
    # generic since.
    vectors = stored_vectors([article_id, *(holder.article_id for holder in holders)])
    shared = {
        holder.article_id: _shared_words(
            holder, newcomer, vectors.get(holder.article_id), vectors.get(article_id)
        )
        for holder in holders
    }
    common = _generic_words(
        [
            *(word for words in shared.values() for word, _weight in words),
            *(word for items in stored.values() for item in items for word in item.reason),
        ]
    )
    changed: list[int] = []
    rewritten: list[RelatedItem] = []
    for item in ranked:
        holder = facts.get(item.related_id)
        if holder is None:
            continue
        reasons = {
            old.related_id: [word for word in old.reason if word not in common]
            for old in stored[holder.article_id]
            if old.related_id != article_id
        }
        reasons[article_id] = [
            word for word, _weight in shared[holder.article_id] if word not in common
        ][:REASON_TERMS]
        current = [
            (facts[old.related_id], old.score)
            for old in stored[holder.article_id]
            if old.related_id != article_id and old.related_id in facts
        ]
        # The index's similarity is symmetric; only the agreement factor is recomputed.
        score = item.score
        merged = sorted(
            [*current, (newcomer, score)], key=lambda pair: (-pair[1], -pair[0].article_id)
        )
        kept = _apply_rules(holder, merged)
        if all(neighbour.article_id != article_id for neighbour, _score in kept):
            continue
        changed.append(holder.article_id)
        rewritten.extend(
            RelatedItem(
                article_id=holder.article_id,
                related_id=neighbour.article_id,
                rank=rank,
                score=score,
                reason=reasons[neighbour.article_id],
            )
            for rank, (neighbour, score) in enumerate(kept)
        )
    if changed:
        with transaction.atomic():
            RelatedItem.objects.filter(article_id__in=changed).delete()
            RelatedItem.objects.bulk_create(rewritten)
        invalidate(*(related_key(holder) for holder in changed))
    return changed


def _neighbours(article_ids: list[int]) -> dict[int, Neighbour]:
    """The rule facts of published articles among `article_ids`, in one query."""
    rows = ArticleAnalysis.objects.filter(
        article_id__in=article_ids, published_at__isnull=False
    ).values_list(
        "article_id",
        "author_id",
        "channel_id",
        "published_at",
        *ArticleAnalysis.FINGERPRINT_FIELDS,
        "duplicate_of_id",
        "title_key",
        "keywords",
    )
    mask = (1 << 64) - 1
    return {
        row[0]: Neighbour(
            article_id=row[0],
            author_id=row[1],
            channel_id=row[2],
            published_at=row[3],
            prints=tuple(value & mask for value in row[4:7]),
            duplicate_of=row[7],
            title_key=row[8],
            keywords=tuple(term for term, _weight in row[9]),
        )
        for row in rows
    }


DATABASE = Source(
    postings=postings_read,
    vectors=stored_vectors,
    topics=stored_topics,
    facts=_neighbours,
    generic=_generic_words,
)
