"""Recommendation reads: hot lists, related articles and channel headline candidates.

Each returns ranked ArticleCards from a cache; pages de-duplicate them with fill_blocks.
"""

from functools import cache

from django.db import connection, connections
from django.utils import timezone

from yaowen.core.cache import cached, cached_shared
from yaowen.newsroom.cards import (
    ArticleCard,
    card_rows_sql,
    cards_by_sql,
    cards_from,
    cards_key,
    cards_with,
)
from yaowen.newsroom.models import Article, Channel
from yaowen.newsroom.selectors import article_published_qs, channel_list
from yaowen.recommend.hotset import hot_ids
from yaowen.recommend.models import HeadlinePin, Posting, RelatedItem
from yaowen.recommend.reasons import Pick, Why
from yaowen.textkit.similarity import POSTING_CAP

HOT_TTL = 60
RELATED_TTL = 600
BLOCKS_TTL = 60
BLOCK_CANDIDATES = 8
# Live ids may name articles taken down since the last refresh: read a few more.
HOT_SLACK = 5


def hot_key(channel_id: int | None) -> str:
    return f"hot:{channel_id or 'all'}"


def related_key(article_id: int) -> str:
    return cards_key(f"related:{article_id}")


BLOCKS_KEY = cards_key("blocks:candidates")


def article_list_hot(*, channel: Channel | None = None, limit: int = 10) -> list[ArticleCard]:
    """The hottest published articles, globally or in one channel: from the Redis sorted
    sets with REDIS_URL, otherwise by the stored hot score."""

    def compute() -> list[ArticleCard]:
        ids = hot_ids(channel_id=channel.pk if channel else None, limit=limit + HOT_SLACK)
        if ids is not None:  # Redis: the live sorted set, moved by every event
            by_id = {c.id: c for c in cards_from(article_published_qs().filter(pk__in=ids))}
            return [by_id[pk] for pk in ids if pk in by_id][:limit]
        queryset = article_published_qs().filter(hot_score__gt=0)
        if channel is not None:
            queryset = queryset.filter(channel=channel)
        return cards_from(queryset.order_by("-hot_score", "-pk")[:limit])

    return list(
        cached_shared(
            cards_key(f"{hot_key(channel.pk if channel else None)}:{limit}"), HOT_TTL, compute
        )
    )


@cache
def _related_sql(vendor: str) -> str:
    """An article's stored related list as card rows plus each item's reason."""
    quote = connection.ops.quote_name
    return card_rows_sql(
        source=f"{quote(RelatedItem._meta.db_table)} ri"
        f" JOIN {quote(Article._meta.db_table)} a ON a.id = ri.related_id",
        where="ri.article_id = %s AND a.status = %s",
        order="ri.rank",
        extra=", ri.reason",
    )


def article_list_related(*, article: Article, limit: int = 6) -> list[Pick]:
    """The article's stored related list (相关推荐), best first, with each item's reason.

    One indexed query on a cache miss; items taken down since the list was stored are
    skipped, the rest keep their order.
    """

    def compute() -> list[Pick]:
        rows = cards_by_sql(
            _related_sql(connection.vendor),
            [article.pk, Article.Status.PUBLISHED],
            (RelatedItem._meta.get_field("reason"),),
        )
        return [
            Pick(card, Why.KEYWORDS if reason else Why.TOPIC, tuple(reason))
            for card, (reason,) in rows
        ]

    return cached(related_key(article.pk), RELATED_TTL, compute)[:limit]


def headline_candidates() -> dict[int, list[Pick]]:
    """For every channel shown in headline blocks: editors' current pins by position
    (编辑推荐), then its hottest articles (热点).

    Three queries whatever the number of channels: the live pins, one UNION ALL of
    per-channel top-N id lists (each served by the channel/status/hot index), the cards.
    A pin that ends shows until the entry expires (at most BLOCKS_TTL seconds).
    """

    def compute() -> dict[int, list[Pick]]:
        channel_ids = [channel.pk for channel in channel_list() if channel.in_blocks]
        if not channel_ids:
            return {}
        now = timezone.now()
        pins = list(
            HeadlinePin.objects.filter(
                channel_id__in=channel_ids, starts_at__lte=now, ends_at__gt=now
            )
            .order_by("channel_id", "position", "-starts_at")
            .values_list("channel_id", "article_id")
        )
        rows = top_per_channel(channel_ids, BLOCK_CANDIDATES)
        # UNION ALL keeps each part's order in practice, but SQL does not promise it.
        rows.sort(key=lambda row: -row[2])
        pinned = set(pins)
        wanted = {article_id for _channel, article_id in pins} | {row[0] for row in rows}
        # A pinned article taken down since is left out here (a status filter in SQL made
        # SQLite walk the status index).
        by_id = {
            card.id: card
            for card, (status,) in cards_with(Article.objects.filter(pk__in=wanted), "status")
            if status == Article.Status.PUBLISHED
        }
        ranked: dict[int, list[Pick]] = {channel_id: [] for channel_id in channel_ids}
        for channel_id, article_id in pins:
            if article_id in by_id:
                ranked[channel_id].append(Pick(by_id[article_id], Why.EDITOR))
        for article_id, channel_id, _score in rows:
            if (channel_id, article_id) not in pinned:
                ranked[channel_id].append(Pick(by_id[article_id], Why.HOT))
        return ranked

    return cached_shared(BLOCKS_KEY, BLOCKS_TTL, compute)


_CHANNEL_SLOT = -7919  # a channel id no row has, marking where each part's id goes


def top_per_channel(channel_ids: list[int], limit: int) -> list[tuple[int, int, float]]:
    """(id, channel id, hot score) of each channel's top `limit` articles, in one statement.

    The ORM writes one part's SQL once; the parts differ only in the channel id parameter,
    which spares building a queryset per channel on this hot path.
    """
    part = (
        article_published_qs()
        .filter(channel_id=_CHANNEL_SLOT)
        .order_by("-hot_score", "-published_at")
        .values_list("id", "channel_id", "hot_score")[:limit]
    )
    sql, params = part.query.sql_with_params()
    slot = params.index(_CHANNEL_SLOT)
    statement = " UNION ALL ".join(
        f"SELECT * FROM ({sql}) AS part{index}" for index in range(len(channel_ids))
    )
    values: list = []
    for channel_id in channel_ids:
        values.extend((*params[:slot], channel_id, *params[slot + 1 :]))
    with connections[part.db].cursor() as cursor:
        cursor.execute(statement, values)
        return list(cursor.fetchall())


def postings_read(features: list[str], cap: int = POSTING_CAP) -> list[tuple[str, int, float]]:
    """(feature, article id, weight): each feature's `cap` strongest postings, in one
    statement of per-feature index range reads (published articles only have postings)."""
    if not features:
        return []
    table = Posting._meta.db_table
    part = (
        f"SELECT feature, article_id, weight FROM {table} "
        f"WHERE feature = %s ORDER BY weight DESC LIMIT {int(cap)}"
    )
    statement = " UNION ALL ".join(
        f"SELECT * FROM ({part}) AS p{index}" for index in range(len(features))
    )
    with connections[Posting.objects.db].cursor() as cursor:
        cursor.execute(statement, features)
        return list(cursor.fetchall())
