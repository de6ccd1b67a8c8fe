"""What recommendations do when articles and engagement change (settings.EVENT_LISTENERS):
related lists and the index behind them, live hot lists, and the cached lists and the
pages that show them. Each is idempotent: the same event twice leaves the same lists."""

from django.core.cache import cache

from yaowen.core.cache import invalidate
from yaowen.core.pagecache import pages_invalidate
from yaowen.jobs.delivery import Event
from yaowen.newsroom.models import Article
from yaowen.recommend.hotset import hot_event, hot_views_add
from yaowen.recommend.selectors import BLOCKS_KEY, related_key
from yaowen.recommend.services.related import (
    related_index_many,
    related_publish,
    related_rebuild,
    related_unpublish,
)

# How long a handled `views.flushed` batch is remembered, so a second delivery of it does
# not add the same views to the live hot lists twice.
SEEN_TTL = 24 * 3600


def _forget(article_ids: list[int]) -> None:
    """The related lists of these articles, the headline blocks, and their pages."""
    invalidate(BLOCKS_KEY, *(related_key(pk) for pk in article_ids))
    pages_invalidate(Article(pk=pk).get_absolute_url() for pk in article_ids)


def article_indexed(event: Event) -> None:
    """A live article's words are indexed: its related list, and its neighbours' lists."""
    article = Article.objects.filter(pk=event["article_id"]).first()
    if article is None or not article.is_public:
        return
    neighbours = related_publish(article=article)
    _forget([article.pk, *neighbours])


def articles_indexed(event: Event) -> None:
    """A batch of imported live articles: their related vectors, lists and neighbours."""
    from yaowen.analysis.models import ArticleAnalysis
    from yaowen.recommend.models import Posting

    ids = event["article_ids"]
    Posting.objects.filter(article_id__in=ids).delete()
    related_index_many(
        list(
            ArticleAnalysis.objects.filter(
                article_id__in=ids, published_at__isnull=False
            ).values_list("article_id", "title_terms", "body_terms", "article__title")
        )
    )
    related_rebuild(article_ids=ids, neighbours=True)
    invalidate(BLOCKS_KEY)


def article_gone(event: Event) -> None:
    """article.removed: out of the index and of every stored list."""
    article = Article.objects.filter(pk=event["article_id"]).first()
    if article is None or article.is_public:
        return
    related_unpublish(article=article)
    _forget([article.pk])


def engagement_counted(event: Event) -> None:
    """comment.created / article.liked / article.shared: the live hot lists (Redis)."""
    article = Article.objects.filter(pk=event["article_id"]).first()
    if article is None or not article.is_public:
        return
    # Counted once per reader, kind and article within the window, so a second delivery
    # changes nothing.
    hot_event(
        article_id=article.pk,
        channel_id=article.channel_id,
        kind=event["kind"],
        reader=event["reader"],
        published_at=article.published_at,
    )


def views_flushed(event: Event) -> None:
    """views.flushed: the views just written to the database, into the live hot lists."""
    # A batch written twice (a flush that crashed before clearing it) is added once.
    if not cache.add(f"hot:views:{event['batch']}", 1, SEEN_TTL):
        return
    hot_views_add(counts={int(pk): count for pk, count in event["counts"].items()})


def channels_changed(event: Event) -> None:
    invalidate(BLOCKS_KEY)
