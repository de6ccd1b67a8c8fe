"""Crawler and share endpoints: robots.txt, the sitemaps, share cards and the site logo."""

from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from yaowen.core.cache import cached
from yaowen.core.http import MAX_ID, id_or_404
from yaowen.core.rows import row_by_pk
from yaowen.newsroom.models import Article
from yaowen.newsroom.selectors import channel_by_id, channel_list
from yaowen.web.discovery import cards, selectors, stored
from yaowen.web.discovery.structured import iso

XML = "application/xml; charset=utf-8"
IMAGE_TTL = 86400


def _xml(template: str, context: dict) -> HttpResponse:
    # No request context: the site's context processors would only add queries.
    return HttpResponse(render_to_string(template, context), content_type=XML)


def _site_text(request: HttpRequest) -> cards.Text:
    # Without a CJK font a Chinese site name cannot be drawn; the host name always can.
    return cards.Text(settings.SITE_NAME, fallback=request.get_host())


@require_safe
@cache_control(public=True, max_age=IMAGE_TTL)
def robots_txt(request: HttpRequest) -> HttpResponse:
    sitemap = request.build_absolute_uri(reverse("web:sitemap_index"))
    return HttpResponse(
        render_to_string("discovery/robots.txt", {"sitemap": sitemap}),
        content_type="text/plain; charset=utf-8",
    )


@require_safe
@cache_control(public=True, max_age=3600)
def sitemap_index(request: HttpRequest) -> HttpResponse:
    article_sitemaps = [
        (reverse("web:sitemap_articles", args=[page]), iso(lastmod))
        for page, lastmod in selectors.sitemap_article_pages()
    ]
    sitemaps = [*article_sitemaps, (reverse("web:sitemap_pages"), "")]
    # An empty <urlset> is not a valid sitemap: the news one is listed only when it has news.
    if selectors.sitemap_news_exists(now=timezone.now()):
        sitemaps.append((reverse("web:sitemap_news"), ""))
    base = request.build_absolute_uri("/").removesuffix("/")
    context = {"sitemaps": [(f"{base}{path}", lastmod) for path, lastmod in sitemaps]}
    return _xml("discovery/sitemap_index.xml", context)


@require_safe
@cache_control(public=True, max_age=3600)
def sitemap_articles(request: HttpRequest, page: int) -> HttpResponse:
    # Past the last possible page the ids would overflow the key column.
    possible = 0 < page <= MAX_ID // selectors.ARTICLES_PER_SITEMAP
    rows = selectors.sitemap_article_rows(page) if possible else []
    if not rows:
        # An empty <urlset> is invalid; pages the index does not list do not exist.
        raise Http404
    prefix = request.build_absolute_uri(reverse("web:article", args=[0])).removesuffix("0/")
    urls = [(f"{prefix}{pk}/", iso(updated_at)) for pk, updated_at in rows]
    return _xml("discovery/sitemap_urls.xml", {"urls": urls})


@require_safe
@cache_control(public=True, max_age=3600)
def sitemap_pages(request: HttpRequest) -> HttpResponse:
    """The home page, the latest list, the channels and the authors with articles."""
    paths = [reverse("web:home"), reverse("web:latest"), reverse("web:creators")]
    paths += [channel.get_absolute_url() for channel in channel_list()]
    author = reverse("web:author", args=[0]).removesuffix("0/")
    paths += [f"{author}{pk}/" for pk in selectors.sitemap_creator_ids()]
    base = request.build_absolute_uri("/").removesuffix("/")
    urls = [(f"{base}{path}", "") for path in paths]
    return _xml("discovery/sitemap_urls.xml", {"urls": urls})


@require_safe
@cache_control(public=True, max_age=300)
def sitemap_news(request: HttpRequest) -> HttpResponse:
    """Google News: what was published in the last 48 hours, at most 1,000 articles."""
    prefix = request.build_absolute_uri(reverse("web:article", args=[0])).removesuffix("0/")
    articles = [
        (f"{prefix}{pk}/", title, iso(published_at))
        for pk, title, published_at in selectors.sitemap_news_rows(now=timezone.now())
    ]
    return _xml(
        "discovery/sitemap_news.xml", {"articles": articles, "publication": settings.SITE_NAME}
    )


def _read(name: str) -> HttpResponse:
    with default_storage.open(name, "rb") as handle:
        return HttpResponse(handle.read(), content_type="image/png")


def _stored_image(key: str, store: Callable[[], str]) -> HttpResponse:
    """The generated image `store` keeps in the media storage (its name cached under `key`).

    Where Django serves media itself the bytes are the answer; otherwise a redirect to where
    media are served (the bucket, its CDN, the web server in front), so that no web server
    carries them."""
    name = cached(key, IMAGE_TTL, store)
    if not settings.SERVE_MEDIA:
        return HttpResponseRedirect(default_storage.url(name))
    try:
        return _read(name)
    except FileNotFoundError:
        # The media folder was emptied under the cache: draw the image again.
        name = store()
        cache.set(key, name, IMAGE_TTL)
        return _read(name)


@require_safe
@cache_control(public=True, max_age=IMAGE_TTL)
def article_share_image(request: HttpRequest, pk: int) -> HttpResponse:
    """The article's generated share card; an edit gives it a new cache entry."""
    # One query on a hit (status and change time); the author is read only to draw. The
    # prepared SQL has no ORM guard against an id past the key column's range.
    article = row_by_pk(Article, id_or_404(pk))
    if article is None or not article.is_public:
        raise Http404

    def store() -> str:
        channel = channel_by_id(article.channel_id)
        address = request.build_absolute_uri(article.get_absolute_url()).split("//", 1)[-1]
        texts = {
            "title": cards.Text(article.title, fallback=address),
            "kicker": cards.Text(channel.name, fallback=channel.slug.upper()),
            "site": _site_text(request),
            "byline": cards.Text(article.author.display_name),
        }
        return stored.image_stored(
            folder=f"share/articles/{article.pk}", draw=cards.share_card, texts=texts
        )

    key = f"share-image:{article.pk}:{article.updated_at.timestamp()}:{request.get_host()}"
    return _stored_image(key, store)


@require_safe
@cache_control(public=True, max_age=IMAGE_TTL)
def site_share_image(request: HttpRequest) -> HttpResponse:
    """The share card of pages other than articles: the site name and its description."""
    texts = {
        "title": cards.Text(_("自媒体新闻平台：创作者入驻发布，读者阅读、跟帖与分享。")),
        "kicker": cards.Text(settings.SITE_NAME),
        "site": _site_text(request),
    }
    key = f"share-image:site:{settings.SITE_NAME}:{get_language()}:{request.get_host()}"
    return _stored_image(
        key, lambda: stored.image_stored(folder="share/site", draw=cards.share_card, texts=texts)
    )


@require_safe
@cache_control(public=True, max_age=IMAGE_TTL)
def site_logo(request: HttpRequest) -> HttpResponse:
    texts = {"site": _site_text(request)}
    key = f"logo-image:{settings.SITE_NAME}:{request.get_host()}"
    return _stored_image(
        key, lambda: stored.image_stored(folder="share/logo", draw=cards.logo, texts=texts)
    )
