"""Reads over the analysis tables: near-duplicate lookup and term statistics."""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models.functions import Substr

from yaowen.analysis.models import ArticleAnalysis, TermStat
from yaowen.core.rows import rows_where
from yaowen.newsroom.models import Article
from yaowen.textkit.classifier import BODY_CHARS, Example
from yaowen.textkit.keywords import IdfModel, idf_from_counts
from yaowen.textkit.simhash import blocks16, hamming

NEAR_DUPLICATE_BITS = 3
DOCUMENTS_TERM = ""  # the TermStat row that counts documents


@dataclass(frozen=True)
class Match:
    article_id: int
    author_id: int
    published_at: dt.datetime
    distance: int


def near_duplicates(
    prints: Sequence[int], *, exclude_article: int | None = None, bits: int = NEAR_DUPLICATE_BITS
) -> list[Match]:
    """Every published article with any fingerprint within `bits` (at most 3) of the same
    fingerprint of this text; `prints` in the order of `FINGERPRINT_FIELDS`.

    Reads the rows sharing at least one 16-bit block with any fingerprint (twelve indexed
    lookups), then keeps those truly within `bits`; oldest first, each with its smallest
    distance. Zero fingerprints (no usable text) match nothing.
    """
    if bits > NEAR_DUPLICATE_BITS:
        raise ValueError("the 16-bit block index finds distances up to 3 only")
    fields = ArticleAnalysis.FINGERPRINT_FIELDS
    prints = (list(prints) + [0] * len(fields))[: len(fields)]
    clauses, params = [], []
    for number, fingerprint in enumerate(prints):
        if fingerprint:
            for offset, block in enumerate(blocks16(fingerprint)):
                clauses.append(f"block{4 * number + offset} = %s")
                params.append(block)
    if not clauses:
        return []
    # Raw SQL and bare integers: real fingerprints are biased, so a block is shared by many
    # more rows than chance would give (hundreds per lookup at scale), and building model
    # rows or converting dates for each of them cost more than the lookup itself.
    table = connection.ops.quote_name(ArticleAnalysis._meta.db_table)
    sql = (
        f"SELECT article_id, {', '.join(fields)} FROM {table} "
        f"WHERE ({' OR '.join(clauses)}) AND published_at IS NOT NULL AND fingerprint <> 0"
    )
    close: dict[int, int] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for article_id, *others in cursor.fetchall():
            if article_id == exclude_article:
                continue
            distance = min(
                hamming(mine, other) for mine, other in zip(prints, others, strict=True) if mine
            )
            if distance <= bits:
                close[article_id] = distance
    if not close:
        return []
    rows = ArticleAnalysis.objects.filter(article_id__in=close).values_list(
        "article_id", "author_id", "published_at"
    )
    matches = [Match(pk, author, published, close[pk]) for pk, author, published in rows]
    matches.sort(key=lambda m: (m.published_at, m.article_id))
    return matches


def same_titles(title_key: str, *, exclude_article: int | None = None) -> list[Match]:
    """Published articles whose normalised title is exactly `title_key`; oldest first."""
    if not title_key:
        return []
    rows = (
        ArticleAnalysis.objects.filter(title_key=title_key, published_at__isnull=False)
        .exclude(article_id=exclude_article)
        .order_by("published_at", "article_id")
        .values_list("article_id", "author_id", "published_at")
    )
    return [Match(article_id, author, published, 0) for article_id, author, published in rows]


def same_titles_among(keys: set[str]) -> dict[str, list[Match]]:
    """`same_titles` for many keys in one query: key -> published matches, oldest first."""
    found: dict[str, list[Match]] = {}
    if not keys:
        return found
    rows = (
        ArticleAnalysis.objects.filter(title_key__in=keys, published_at__isnull=False)
        .order_by("published_at", "article_id")
        .values_list("title_key", "article_id", "author_id", "published_at")
    )
    for key, article_id, author, published in rows:
        found.setdefault(key, []).append(Match(article_id, author, published, 0))
    return found


def idf_model(terms: Iterable[str]) -> IdfModel:
    """The IDF over published articles, restricted to `terms` (all a keyword list needs)."""
    wanted = sorted({term for term in terms if len(term) <= 64} | {DOCUMENTS_TERM})
    table = connection.ops.quote_name(TermStat._meta.db_table)
    # Raw SQL: this runs on every save with hundreds of terms, and the ORM's per-row
    # work was half its cost.
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        for start in range(0, len(wanted), 900):
            chunk = wanted[start : start + 900]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"SELECT term, df FROM {table} WHERE term IN ({marks})", chunk)
            counts.update(cursor.fetchall())
    documents = counts.pop(DOCUMENTS_TERM, 0)
    return idf_from_counts(counts, documents)


def article_analysis(article_id: int) -> ArticleAnalysis | None:
    """What the article page shows of an article's analysis: its keywords and its earlier
    original (with that one's author). The segmented text columns are not read."""
    rows = rows_where(ArticleAnalysis, "article_id", article_id, only=("keywords", "duplicate_of"))
    if not rows:
        return None
    analysis = rows[0]
    if analysis.duplicate_of_id is not None:  # rare: one more query, through the ORM
        analysis.duplicate_of = (
            Article.objects.select_related("author")
            .only("status", "title", "published_at", "author__display_name")
            .filter(pk=analysis.duplicate_of_id)
            .first()
        )
    return analysis


# The newest this many published articles train the classifier: as many as the
# development corpus has (20,000 headlines), and training time stays bounded however large
# the site grows (all 95,000 demo articles of a 100,000-article site took over 4 minutes).
TRAINING_EXAMPLES = 20_000


def training_examples(limit: int = TRAINING_EXAMPLES) -> list[Example]:
    """The newest published articles as classifier examples labelled by channel slug;
    only the body's opening is read, as much as the classifier looks at."""
    rows = (
        Article.objects.filter(status=Article.Status.PUBLISHED)
        .order_by("-published_at")[:limit]
        .annotate(opening=Substr("body_source", 1, 2 * BODY_CHARS))
        .values_list("channel__slug", "title", "opening")
        .iterator(chunk_size=2000)
    )
    return [Example(label=slug, title=title, body=body) for slug, title, body in rows]
