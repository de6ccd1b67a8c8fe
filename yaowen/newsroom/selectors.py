"""Newsroom reads: channels, a published article for its page, and article lists."""

from django.db.models import QuerySet
from django.urls import reverse

from yaowen.core.cache import cached, cached_shared
from yaowen.newsroom.cards import ArticleCard, cards_from
from yaowen.newsroom.models import Article, ArticleReference, Channel

CHANNELS_KEY = "channels:v1"
CHANNELS_TTL = 600
REFERENCES_TTL = 3600
AUTHOR_RECENT_TTL = 300


def references_key(article_id: int) -> str:
    return f"article:{article_id}:refs"


def author_recent_key(author_id: int) -> str:
    return f"author:{author_id}:recent"


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


def article_get(article_id: int) -> Article | None:
    """One article with its author and channel in a single query, whatever its status."""
    return (
        Article.objects.select_related("author", "author__field", "channel")
        .filter(pk=article_id)
        .first()
    )


def article_references(article_id: int) -> list[ArticleReference]:
    return cached(
        references_key(article_id),
        REFERENCES_TTL,
        lambda: list(ArticleReference.objects.filter(article_id=article_id)),
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
    return cached(
        author_recent_key(author_id),
        AUTHOR_RECENT_TTL,
        lambda: cards_from(article_list_by_author(author_id=author_id)[:limit]),
    )
