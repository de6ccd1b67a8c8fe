"""Recommendation reads: hot lists, related articles and channel headline candidates.

Each returns ranked ArticleCards from a cache; pages de-duplicate them with fill_blocks.
"""

from django.db import connections
from django.utils.translation import get_language

from yaowen.core.cache import cached
from yaowen.newsroom.cards import ArticleCard, cards_from
from yaowen.newsroom.models import Article, Channel
from yaowen.newsroom.selectors import article_list_latest, article_published_qs, channel_list

HOT_TTL = 60
RELATED_TTL = 600
BLOCKS_TTL = 60
BLOCK_CANDIDATES = 8


def hot_key(channel_id: int | None) -> str:
    return f"hot:{channel_id or 'all'}"


def related_key(article_id: int) -> str:
    return f"related:{article_id}"


# The article page's rendered recommendation blocks live as long as the hot lists.
RECS_TTL = HOT_TTL


def article_recs_key(article_id: int, language: str | None = None) -> str:
    return f"article:{article_id}:recs:{language or get_language()}"


BLOCKS_KEY = "blocks:candidates"


def article_list_hot(*, channel: Channel | None = None, limit: int = 10) -> list[ArticleCard]:
    """The hottest published articles by stored hot score, globally or in one channel."""

    def compute() -> list[ArticleCard]:
        queryset = article_published_qs().filter(hot_score__gt=0)
        if channel is not None:
            queryset = queryset.filter(channel=channel)
        return cards_from(queryset.order_by("-hot_score", "-pk")[:limit])

    return cached(f"{hot_key(channel.pk if channel else None)}:{limit}", HOT_TTL, compute)


def article_list_related(*, article: Article, limit: int = 6) -> list[ArticleCard]:
    """Articles related to `article`: for now the newest others in its channel."""

    def compute() -> list[ArticleCard]:
        queryset = article_list_latest(channel=article.channel).exclude(pk=article.pk)
        return cards_from(queryset[: limit * 2])

    return cached(related_key(article.pk), RELATED_TTL, compute)[:limit]


def headline_candidates() -> dict[int, list[ArticleCard]]:
    """For every channel shown in headline blocks, its hottest articles, ranked.

    Two queries whatever the number of channels: one UNION ALL of per-channel top-N id
    lists (each served by the channel/status/hot index), one for the cards.
    """

    def compute() -> dict[int, list[ArticleCard]]:
        channel_ids = [channel.pk for channel in channel_list() if channel.in_blocks]
        if not channel_ids:
            return {}
        rows = _top_per_channel(channel_ids, BLOCK_CANDIDATES)
        # UNION ALL keeps each part's order in practice, but SQL does not promise it.
        rows.sort(key=lambda row: -row[2])
        by_id = {
            card.id: card
            for card in cards_from(Article.objects.filter(pk__in=[row[0] for row in rows]))
        }
        ranked: dict[int, list[ArticleCard]] = {channel_id: [] for channel_id in channel_ids}
        for article_id, channel_id, _score in rows:
            ranked[channel_id].append(by_id[article_id])
        return ranked

    return cached(BLOCKS_KEY, BLOCKS_TTL, compute)


_CHANNEL_SLOT = -7919  # a channel id no row has, marking where each part's id goes


def _top_per_channel(channel_ids: list[int], limit: int) -> list[tuple[int, int, float]]:
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
