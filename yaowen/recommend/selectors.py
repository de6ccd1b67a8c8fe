"""Recommendation reads: hot lists, related articles and channel headline candidates.

Each returns ranked ArticleCards from a cache; pages de-duplicate them with fill_blocks.
"""

from django.db import connections

from yaowen.core.cache import cached
from yaowen.newsroom.cards import ArticleCard, cards_from
from yaowen.newsroom.models import Article, Channel
from yaowen.newsroom.selectors import article_list_latest, article_published_qs, channel_list

HOT_TTL = 60
RELATED_TTL = 600
BLOCKS_TTL = 60
BLOCK_CANDIDATES = 12


def hot_key(channel_id: int | None) -> str:
    return f"hot:{channel_id or 'all'}"


def related_key(article_id: int) -> str:
    return f"related:{article_id}"


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
        channels = [channel for channel in channel_list() if channel.in_blocks]
        if not channels:
            return {}
        rows = _union_all(
            [
                article_published_qs()
                .filter(channel=channel)
                .order_by("-hot_score", "-published_at")
                .values_list("id", "hot_score")[:BLOCK_CANDIDATES]
                for channel in channels
            ]
        )
        # UNION ALL keeps each part's order in practice, but SQL does not promise it.
        rows.sort(key=lambda row: -row[1])
        ids = [row[0] for row in rows]
        by_id = {card.id: card for card in cards_from(Article.objects.filter(pk__in=ids))}
        ranked: dict[int, list[ArticleCard]] = {channel.pk: [] for channel in channels}
        slug_to_pk = {channel.slug: channel.pk for channel in channels}
        for article_id in ids:
            card = by_id[article_id]
            ranked[slug_to_pk[card.channel_slug]].append(card)
        return ranked

    return cached(BLOCKS_KEY, BLOCKS_TTL, compute)


def _union_all(querysets: list) -> list[tuple]:
    """Run sliced, ordered values_list querysets as one UNION ALL statement."""
    parts, params = [], []
    for index, queryset in enumerate(querysets):
        sql, query_params = queryset.query.sql_with_params()
        parts.append(f"SELECT * FROM ({sql}) AS part{index}")
        params.extend(query_params)
    with connections[querysets[0].db].cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        return list(cursor.fetchall())
