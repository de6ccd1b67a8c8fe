"""Search published articles: candidates from the index, ranked by relevance and recency."""

import datetime as dt
import math
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db import connection
from django.utils import timezone

from yaowen.analysis.engine import tokenizer
from yaowen.analysis.facets import month_tokens
from yaowen.newsroom.cards import ArticleCard, cards_from
from yaowen.newsroom.models import Article
from yaowen.newsroom.rendering import plain_text
from yaowen.search.query import ParsedQuery, fts5_expression, query_parse
from yaowen.search.schema import FTS, TABLE
from yaowen.search.snippets import Marked, highlight, snippet

PER_PAGE = 20
# The newest matches considered for ranking. A news search rarely wants the thousandth
# best match, and reading every match of a common word would not stay fast at scale.
CANDIDATES = 1000
# BM25 column weights: a word in the title counts ten body words; a gram (a character or
# two-character piece of a longer word) counts little, it only rescues short queries.
SQLITE_WEIGHTS = (10.0, 1.0, 0.3, 0.0)  # facets weigh nothing
# ts_rank weights in the order D, C, B, A: grams, unused, body, title.
POSTGRES_WEIGHTS = "{0.03, 0, 0.1, 1.0}"
# Recency: relevance times 0.3 + 0.7 * 2^(-age / HALF_LIFE); an old article never drops
# below 30 % of its relevance, a fresh one keeps all of it.
RECENCY_FLOOR = 0.3
HALF_LIFE_DAYS = 14.0

SORTS = ("relevance", "time")


@dataclass(frozen=True)
class Filters:
    channel_id: int | None = None
    author_id: int | None = None
    since: dt.datetime | None = None


@dataclass(frozen=True)
class SearchHit:
    card: ArticleCard
    title_parts: Marked  # shown by the template search/marked.html
    snippet_parts: Marked


@dataclass
class SearchResults:
    query: ParsedQuery
    page: Page  # of SearchHit
    total: int  # matches found, at most CANDIDATES
    capped: bool  # more matches exist than were ranked
    any_term: bool  # no article held every term; these hold some


def recency_weight(age_days: float) -> float:
    return RECENCY_FLOOR + (1 - RECENCY_FLOOR) * math.pow(2.0, -max(age_days, 0.0) / HALF_LIFE_DAYS)


def article_search(
    *, text: str, filters: Filters = Filters(), sort: str = "relevance", page: str | int = 1
) -> SearchResults:
    """One page of published articles matching `text`, best first (or newest first).

    Every term must match; when no article holds them all, articles holding any are
    shown and `any_term` says so.
    """
    query = query_parse(text, tokenizer())
    empty = SearchResults(query, Paginator([], PER_PAGE).get_page(1), 0, False, False)
    if not query:
        return empty
    any_term = False
    rows = _candidates(query, filters, any_term=False)
    if not rows and len(query.terms) > 1:
        rows, any_term = _candidates(query, filters, any_term=True), True
    if not rows:
        return empty
    now = timezone.now()
    if sort == "time":
        rows.sort(key=lambda row: row[2], reverse=True)
    else:
        rows.sort(
            key=lambda row: row[1] * recency_weight((now - row[2]).total_seconds() / 86400),
            reverse=True,
        )
    paged = Paginator([row[0] for row in rows], PER_PAGE).get_page(page)
    paged.object_list = _hits(list(paged.object_list), query)
    return SearchResults(query, paged, len(rows), len(rows) >= CANDIDATES, any_term)


def _candidates(
    query: ParsedQuery, filters: Filters, *, any_term: bool
) -> list[tuple[int, float, dt.datetime]]:
    """(article id, relevance > 0, published at) of the newest CANDIDATES matches."""
    if connection.vendor == "postgresql":
        return _candidates_postgres(query, filters, any_term=any_term)
    return _candidates_sqlite(query, filters, any_term=any_term)


def _filter_sql(filters: Filters) -> tuple[str, list]:
    clauses, params = [], []
    if filters.channel_id is not None:
        clauses.append("a.channel_id = %s")
        params.append(filters.channel_id)
    if filters.author_id is not None:
        clauses.append("a.author_id = %s")
        params.append(filters.author_id)
    if filters.since is not None:
        clauses.append("a.published_at >= %s")
        params.append(connection.ops.adapt_datetimefield_value(filters.since))
    return "".join(f" AND {clause}" for clause in clauses), params


def _fts5_match(query: ParsedQuery, filters: Filters, *, any_term: bool) -> str:
    """The words in the word columns, and the filters as facet tokens (see facets.py)."""
    words = fts5_expression(query.terms, any_term=any_term)
    parts = [f"{{title_terms body_terms grams}} : ({words})"]
    if filters.channel_id is not None:
        parts.append(f'facets : "c{filters.channel_id}"')
    if filters.author_id is not None:
        parts.append(f'facets : "a{filters.author_id}"')
    if filters.since is not None:
        months = " OR ".join(f'"{m}"' for m in month_tokens(filters.since, timezone.now()))
        parts.append(f"facets : ({months})")
    return " AND ".join(parts)


def _candidates_sqlite(query: ParsedQuery, filters: Filters, *, any_term: bool) -> list:
    # The SQL filters repeat the facets exactly (a month token is coarser than `since`).
    where, params = _filter_sql(filters)
    weights = ", ".join(str(weight) for weight in SQLITE_WEIGHTS)
    sql = (
        f"SELECT {FTS}.rowid, bm25({FTS}, {weights}), a.published_at "
        f"FROM {FTS} JOIN {TABLE} a ON a.article_id = {FTS}.rowid "
        f"WHERE {FTS} MATCH %s AND a.published_at IS NOT NULL{where} "
        f"ORDER BY {FTS}.rowid DESC LIMIT {CANDIDATES}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [_fts5_match(query, filters, any_term=any_term), *params])
        rows = cursor.fetchall()
    parse = connection.ops.convert_datetimefield_value
    # bm25() is negative, more negative for better matches.
    return [
        (article_id, -score, _aware(parse(published, None, connection)))
        for article_id, score, published in rows
    ]


def _candidates_postgres(query: ParsedQuery, filters: Filters, *, any_term: bool) -> list:
    where, params = _filter_sql(filters)
    joiner = " || " if any_term else " && "
    tsquery = joiner.join(["plainto_tsquery('simple', %s)"] * len(query.terms))
    sql = (
        f"SELECT a.article_id, ts_rank('{POSTGRES_WEIGHTS}', a.search_vector, q.query), "
        f"a.published_at FROM {TABLE} a, (SELECT {tsquery} AS query) q "
        f"WHERE a.published_at IS NOT NULL AND a.search_vector @@ q.query{where} "
        f"ORDER BY a.published_at DESC LIMIT {CANDIDATES}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*query.terms, *params])
        return [(article_id, float(rank), published) for article_id, rank, published in cursor]


def _aware(value: dt.datetime) -> dt.datetime:
    return value if timezone.is_aware(value) else timezone.make_aware(value, dt.UTC)


def _hits(article_ids: list[int], query: ParsedQuery) -> list[SearchHit]:
    """Cards with highlighted titles and snippets, in the order of `article_ids`."""
    # Status is checked in Python: given `status = ?` too, SQLite without statistics may
    # walk the status index over every published article instead of reading 20 rows by id.
    rows = Article.objects.filter(pk__in=article_ids)
    bodies = {
        pk: body
        for pk, status, body in rows.values_list("pk", "status", "body_source")
        if status == Article.Status.PUBLISHED
    }
    cards = {card.id: card for card in cards_from(rows) if card.id in bodies}
    terms = list(query.terms)
    return [
        SearchHit(
            card=cards[article_id],
            title_parts=highlight(cards[article_id].title, terms),
            snippet_parts=snippet(plain_text(bodies[article_id]), terms),
        )
        for article_id in article_ids
        if article_id in cards
    ]
