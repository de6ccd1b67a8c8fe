"""Reads over the analysis tables: copy lookup, paragraph matches and term statistics."""

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models.functions import Substr
from django.utils import timezone

from yaowen.analysis.models import ArticleAnalysis, CopyAnchor, TermStat
from yaowen.core.rows import rows_where
from yaowen.newsroom.models import Article
from yaowen.newsroom.rendering import plain_text
from yaowen.textkit import copies
from yaowen.textkit.classifier import BODY_CHARS, Example
from yaowen.textkit.keywords import IdfModel, idf_from_counts

DOCUMENTS_TERM = ""  # the TermStat row that counts documents
# A published article sharing this many anchors with a text is a candidate, and at most
# CHECKED_CANDIDATES of them, those sharing the most, are compared exactly. Edited copies
# on real articles shared 2+ anchors with their original in 3,275 of 3,276 cases, and
# unrelated articles of the same category averaged 0.7 candidates per lookup
# (bench/near_duplicates.py). An anchor held by COMMON_ANCHOR articles counts a quarter:
# its first holders share boilerplate with every later text, not the text itself, while
# the original of a text copied that often still shares many such anchors with it.
MIN_SHARED_ANCHORS = 2
COMMON_WEIGHT = 0.25
CHECKED_CANDIDATES = 4
# The best-ranked candidates, published or not, of which the published are kept.
RANKED_CANDIDATES = 64
# Anchors per IN query: under SQLite's limit of bound parameters with room to spare.
ANCHORS_PER_QUERY = 5000


@dataclass(frozen=True)
class Match:
    article_id: int
    author_id: int
    published_at: dt.datetime
    # For a body copy: how much of the two texts the other holds, in percent (the larger of
    # the two shares); None for a title match.
    share: int | None = None


def near_duplicates(sketch: copies.Sketch, *, exclude_article: int | None = None) -> list[Match]:
    """The published articles this text copies, whole or in part, or that hold it; oldest
    first.

    One indexed IN query reads the articles holding any of the text's anchors (at most
    `CopyAnchor.COMMON_ANCHOR` per anchor). Those sharing MIN_SHARED_ANCHORS or more (a
    common anchor counting COMMON_WEIGHT), most first, are candidates; the first
    CHECKED_CANDIDATES of them that are published (among the first RANKED_CANDIDATES) are
    compared with the text shingle by shingle (`textkit.copies.overlap`). A text too short
    to compare matches nothing.
    """
    if not sketch.comparable:
        return []
    anchors = copies.to_signed(sketch.lookup_anchors())
    table = connection.ops.quote_name(CopyAnchor._meta.db_table)
    holders: dict[int, list[int]] = {}
    with connection.cursor() as cursor:
        for start in range(0, len(anchors), ANCHORS_PER_QUERY):
            chunk = anchors[start : start + ANCHORS_PER_QUERY]
            cursor.execute(
                f"SELECT anchor, article_id FROM {table} WHERE anchor IN "
                f"({', '.join(['%s'] * len(chunk))})",
                chunk,
            )
            for anchor, article_id in cursor.fetchall():
                holders.setdefault(anchor, []).append(article_id)
    shared: Counter[int] = Counter()
    for ids in holders.values():
        weight = COMMON_WEIGHT if len(ids) >= CopyAnchor.COMMON_ANCHOR else 1
        for article_id in ids:
            shared[article_id] += weight
    shared.pop(exclude_article, None)
    ranked = sorted(
        (article_id for article_id, count in shared.items() if count >= MIN_SHARED_ANCHORS),
        key=lambda article_id: (-shared[article_id], article_id),
    )[:RANKED_CANDIDATES]
    if not ranked:
        return []
    # Raw SQL, as above: building these queries through the ORM cost more than running
    # them. Which candidates are published is asked first, on the analysis rows alone:
    # drafts and articles under review hold anchors too (they count towards common ones),
    # and copies of the same text awaiting review can outnumber its original.
    analyses = connection.ops.quote_name(ArticleAnalysis._meta.db_table)
    articles = connection.ops.quote_name(Article._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT article_id, author_id, published_at FROM {analyses} "
            f"WHERE article_id IN ({', '.join(['%s'] * len(ranked))}) "
            f"AND published_at IS NOT NULL",
            ranked,
        )
        published = {row[0]: row for row in cursor.fetchall()}
        best = [published[pk] for pk in ranked if pk in published][:CHECKED_CANDIDATES]
        if not best:
            return []
        cursor.execute(
            f"SELECT id, body_source FROM {articles} WHERE id IN ({', '.join(['%s'] * len(best))})",
            [row[0] for row in best],
        )
        bodies = dict(cursor.fetchall())
    matches = []
    for article_id, author_id, published_at in best:
        found = copies.overlap(sketch, copies.sketch(plain_text(bodies[article_id])))
        if found.is_copy:
            matches.append(Match(article_id, author_id, _aware(published_at), found.percent))
    matches.sort(key=lambda m: (m.published_at, m.article_id))
    return matches


@dataclass(frozen=True)
class CopiedParagraph:
    """A paragraph of an article and the paragraphs of its original it comes from."""

    number: int  # counting from 1
    text: str
    sources: list[tuple[int, str, int]]  # (number in the original, its text, percent)


def copied_paragraphs(article: Article) -> list[CopiedParagraph]:
    """For an article flagged as copying another's body: which of its paragraphs match
    which paragraphs of that original, worked out from the two texts now (the review page
    shows them). Empty for any other article. Reads `article.analysis.duplicate_of`, which
    the caller may have selected with it."""
    try:
        analysis = article.analysis
    except ArticleAnalysis.DoesNotExist:
        return []
    original = analysis.duplicate_of
    if analysis.duplicate_kind != ArticleAnalysis.DuplicateKind.BODY or original is None:
        return []
    mine = _paragraphs(article.body_source)
    theirs = _paragraphs(original.body_source)
    rows: dict[int, CopiedParagraph] = {}
    for match in copies.paragraph_matches(mine, theirs):
        row = rows.setdefault(
            match.paragraph, CopiedParagraph(match.paragraph + 1, mine[match.paragraph], [])
        )
        row.sources.append((match.source + 1, theirs[match.source], round(100 * match.share)))
    return list(rows.values())


def _paragraphs(source: str) -> list[str]:
    # plain_text keeps each Markdown block on its own lines, blocks apart by a blank line.
    blocks = (" ".join(block.split()) for block in plain_text(source).split("\n\n"))
    return [block for block in blocks if block]


def same_titles(title_key: str, *, exclude_article: int | None = None) -> list[Match]:
    """Published articles whose normalised title is exactly `title_key`; oldest first."""
    if not title_key:
        return []
    # Raw SQL: asked on every save, and the ORM took 0.7 ms to build what runs in 0.05.
    table = connection.ops.quote_name(ArticleAnalysis._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT article_id, author_id, published_at FROM {table} "
            f"WHERE title_key = %s AND published_at IS NOT NULL AND article_id <> %s "
            f"ORDER BY published_at, article_id",
            [title_key, exclude_article or 0],
        )
        rows = cursor.fetchall()
    return [Match(article_id, author, _aware(published)) for article_id, author, published in rows]


def _aware(moment: dt.datetime) -> dt.datetime:
    """A datetime read by raw SQL: SQLite gives UTC without the zone."""
    return moment.replace(tzinfo=dt.UTC) if timezone.is_naive(moment) else moment


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
        found.setdefault(key, []).append(Match(article_id, author, published))
    return found


def idf_model(terms: Iterable[str]) -> IdfModel:
    """The IDF over published articles, restricted to `terms` (all a keyword list needs)."""
    wanted = {term for term in terms if len(term) <= 64} | {DOCUMENTS_TERM}
    table = connection.ops.quote_name(TermStat._meta.db_table)
    # Raw SQL: this runs on every save with hundreds of terms, and the ORM's per-row
    # work was half its cost.
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # The terms as one JSON parameter, however many: a batch's are read at once,
            # and one article's 20 % faster than bound one by one into an IN list
            # (which SQLite sorts into a temporary index before probing).
            cursor.execute(
                f"SELECT term, df FROM json_each(%s) JOIN {table} ON term = json_each.value",
                [json.dumps(list(wanted), ensure_ascii=False)],
            )
            counts.update(cursor.fetchall())
        else:
            ordered = sorted(wanted)
            for start in range(0, len(ordered), 900):
                chunk = ordered[start : start + 900]
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
