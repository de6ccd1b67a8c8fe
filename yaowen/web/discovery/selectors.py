"""Sitemap reads: bounded, column-only queries over what readers may open.

Candidates for `newsroom.selectors` and `accounts.selectors`; they live here until moved.
"""

import datetime as dt

from django.db.models import BigIntegerField, ExpressionWrapper, F, Max

from yaowen.accounts.models import CreatorProfile
from yaowen.core.cache import cached
from yaowen.newsroom.selectors import article_published_qs

ARTICLES_PER_SITEMAP = 50_000  # the sitemaps.org limit per file
SITEMAP_PAGES_KEY = "sitemap:article-pages"
SITEMAP_PAGES_TTL = 900
NEWS_WINDOW = dt.timedelta(hours=48)
NEWS_LIMIT = 1_000  # Google News reads at most 1,000 URLs per news sitemap
CREATORS_LIMIT = 49_000  # leaves room for the home page and the channels in one file


def sitemap_article_pages() -> list[tuple[int, dt.datetime]]:
    """The non-empty article sitemap pages (numbered from 1) with each one's last change.

    Page n holds the published articles whose id falls in ((n-1)·size, n·size], so a page is
    read by a primary-key range, never by an OFFSET, and never exceeds the size; a takedown
    empties at most one page. Cached: it aggregates over every published article.
    """
    size = ARTICLES_PER_SITEMAP

    def compute() -> list[tuple[int, dt.datetime]]:
        bucket = ExpressionWrapper((F("pk") - 1) / size, output_field=BigIntegerField())
        rows = (
            article_published_qs()
            .annotate(bucket=bucket)
            .values("bucket")
            .annotate(lastmod=Max("updated_at"))
            .order_by("bucket")
        )
        return [(row["bucket"] + 1, row["lastmod"]) for row in rows]

    return cached(f"{SITEMAP_PAGES_KEY}:{size}", SITEMAP_PAGES_TTL, compute)


def sitemap_article_rows(page: int) -> list[tuple[int, dt.datetime]]:
    """(id, updated_at) of the published articles on one sitemap page, by id."""
    low = (page - 1) * ARTICLES_PER_SITEMAP
    return list(
        article_published_qs()
        .filter(pk__gt=low, pk__lte=low + ARTICLES_PER_SITEMAP)
        .order_by("pk")
        .values_list("pk", "updated_at")
    )


def _news_qs(now: dt.datetime):
    return article_published_qs().filter(published_at__gt=now - NEWS_WINDOW, published_at__lte=now)


def sitemap_news_exists(*, now: dt.datetime) -> bool:
    return _news_qs(now).exists()


def sitemap_news_rows(*, now: dt.datetime) -> list[tuple[int, str, dt.datetime]]:
    """(id, title, published_at) of articles published in the last 48 hours, newest first."""
    return list(
        _news_qs(now)
        .order_by("-published_at", "-pk")
        .values_list("pk", "title", "published_at")[:NEWS_LIMIT]
    )


def sitemap_creator_ids() -> list[int]:
    """Active creators with at least one published article, most followed first."""
    return list(
        CreatorProfile.objects.filter(status=CreatorProfile.Status.ACTIVE, article_count__gt=0)
        .order_by("-follower_count", "pk")
        .values_list("pk", flat=True)[:CREATORS_LIMIT]
    )
