"""Newsroom reads: channels, a published article for its page, and article lists."""

from functools import cache

from django.db import connection
from django.db.models import QuerySet
from django.urls import reverse

from yaowen.core.cache import cached, cached_shared
from yaowen.core.rows import row_with_parent, rows_where
from yaowen.newsroom.cards import ArticleCard, card_rows_sql, cards_by_sql, cards_key
from yaowen.newsroom.models import Article, ArticleReference, Channel

CHANNELS_KEY = "channels:v1"
CHANNELS_TTL = 600
REFERENCES_TTL = 3600
AUTHOR_RECENT_TTL = 300


def references_key(article_id: int) -> str:
    return f"article:{article_id}:refs"


def author_recent_key(author_id: int) -> str:
    return cards_key(f"author:{author_id}:recent")


def channel_list() -> list[Channel]:
    """Active channels in staff's order; cached, because every page's navigation shows them.

    Each carries its resolved `url`, so that rendering the navigation reverses nothing.
    """

    def compute() -> list[Channel]:
        channels = list(Channel.objects.filter(is_active=True))
        pattern = reverse("web:channel", args=["slug"])
        for channel in channels:
            channel.url = pattern.replace("/slug/", f"/{channel.slug}/")
        return channels

    return list(cached_shared(CHANNELS_KEY, CHANNELS_TTL, compute))


def channel_get(slug: str) -> Channel | None:
    return next((channel for channel in channel_list() if channel.slug == slug), None)


def channel_by_id(channel_id: int) -> Channel:
    """A channel by id: the shared instance from the channel list (not to be changed), or
    from the database for an inactive one."""
    found = next((channel for channel in channel_list() if channel.pk == channel_id), None)
    return found or Channel.objects.get(pk=channel_id)


def article_get(article_id: int) -> Article | None:
    """One article, whatever its status, with its author, the author's field and its
    channel attached: 1 uncompiled query (`core.rows`); the channels come from the
    channel list held in memory, so they are shared and must not be changed."""
    article = row_with_parent(Article, article_id, "author")
    if article is None:
        return None
    author = article.author
    if author.field_id is not None:
        author.field = channel_by_id(author.field_id)
    article.author = author
    article.channel = channel_by_id(article.channel_id)
    return article


def article_references(article_id: int) -> list[ArticleReference]:
    return cached(
        references_key(article_id),
        REFERENCES_TTL,
        lambda: rows_where(ArticleReference, "article_id", article_id, order_by="position"),
    )


def article_published_qs() -> QuerySet[Article]:
    return Article.objects.filter(status=Article.Status.PUBLISHED)


def article_list_latest(*, channel: Channel | None = None) -> QuerySet[Article]:
    """Published articles, newest first; a queryset so that pages can paginate it."""
    queryset = article_published_qs()
    if channel is not None:
        queryset = queryset.filter(channel=channel)
    return queryset.order_by("-published_at", "-pk")


def article_list_by_hot(*, channel: Channel) -> QuerySet[Article]:
    """A channel's published articles by stored hot score (its 热门 tab); articles nobody
    has read yet follow, newest first."""
    return article_published_qs().filter(channel=channel).order_by("-hot_score", "-published_at")


def article_list_by_author(*, author_id: int) -> QuerySet[Article]:
    return article_published_qs().filter(author_id=author_id).order_by("-published_at", "-pk")


def author_recent_cards(*, author_id: int, limit: int = 8) -> list[ArticleCard]:
    """The author's latest articles (往期回顾), cached per author."""

    def compute() -> list[ArticleCard]:
        sql = _author_recent_sql(connection.vendor)
        rows = cards_by_sql(sql, [author_id, Article.Status.PUBLISHED, limit])
        return [card for card, _extra in rows]

    return cached(author_recent_key(author_id), AUTHOR_RECENT_TTL, compute)


@cache
def _author_recent_sql(vendor: str) -> str:
    """article_list_by_author's first rows as card rows (its index serves the order)."""
    return card_rows_sql(
        source=f"{connection.ops.quote_name(Article._meta.db_table)} a",
        where="a.author_id = %s AND a.status = %s",
        order="a.published_at DESC, a.id DESC LIMIT %s",
    )
