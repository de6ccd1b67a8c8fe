"""What crawlers and share previews read in a page: canonical URLs, OpenGraph and Twitter
tags, and schema.org JSON-LD. Built only from objects the page has already loaded: no queries.
"""

import html
import json
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.core.paginator import Page
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import iri_to_uri
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from yaowen.accounts.models import CreatorProfile
from yaowen.core.urls import fast_reverse
from yaowen.newsroom.models import Article, ArticleReference
from yaowen.web.discovery.cards import CARD_SIZE, LOGO_SIZE

HEADLINE_CHARS = 110  # Google shows at most this much of a headline
DESCRIPTION_CHARS = 120
# JSON may hold "</script>" or "<!--"; escaped, nothing in it can end or comment the element.
SCRIPT_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def absolute(request: HttpRequest, path: str) -> str:
    """`request.build_absolute_uri(path)` for a path starting with "/", with the scheme and
    host worked out (and the host validated) once per request: a page's head tags build
    about ten of these."""
    origin = request.__dict__.get("_absolute_origin")
    if origin is None:
        origin = request.__dict__["_absolute_origin"] = request.build_absolute_uri("/")[:-1]
    if path.startswith("/") and not path.startswith("//"):
        return iri_to_uri(f"{origin}{path}")
    return request.build_absolute_uri(path)


def iso(moment: datetime) -> str:
    """ISO 8601 in the site's time zone, with its offset (2026-11-27T08:00:00+08:00)."""
    return timezone.localtime(moment).isoformat(timespec="seconds")


def canonical_url(request: HttpRequest, path: str, page: Page | None = None) -> str:
    """The absolute URL of `path`; of the query string only ?page=N survives, for N > 1."""
    url = absolute(request, path)
    if page is not None and page.number > 1:
        url = f"{url}?page={page.number}"
    return url


def site_image_url(request: HttpRequest) -> str:
    return absolute(request, reverse("web:site_share_image"))


def article_description(article: Article) -> str:
    if article.summary:
        return article.summary
    text = " ".join(html.unescape(strip_tags(article.body_html)).split())
    return Truncator(text).chars(DESCRIPTION_CHARS)


def article_image(request: HttpRequest, article: Article) -> tuple[str, bool]:
    """The article's share image as an absolute URL, and whether it is its own cover
    (worked out once per request: the social tags and the JSON-LD both show it)."""
    held = request.__dict__.setdefault("_article_images", {})
    key = (article.pk, article.updated_at, article.cover.name if article.cover else "")
    if key not in held:
        held[key] = _article_image(request, article)
    return held[key]


def _article_image(request: HttpRequest, article: Article) -> tuple[str, bool]:
    if article.cover:
        # The cover is the cleaned original upload, the largest variant there is.
        return absolute(request, article.cover.url), True
    path = fast_reverse("web:article_share_image", [article.pk])
    # Versioned by the last edit, so that WeChat's cached preview follows a new title.
    return absolute(request, f"{path}?v={int(article.updated_at.timestamp())}"), False


def _modified(article: Article) -> datetime:
    return max(article.published_at or article.updated_at, article.updated_at)


def article_social_tags(request: HttpRequest, article: Article) -> dict:
    """The values of the article page's OpenGraph and Twitter card tags."""
    image, is_cover = article_image(request, article)
    return {
        "url": absolute(request, article.get_absolute_url()),
        "title": article.title,
        "description": article_description(article),
        "image": image,
        "image_alt": article.cover_alt or article.title,
        "image_size": None if is_cover else CARD_SIZE,
        # A cover is a photo worth showing large; a generated card repeats the title.
        "twitter_card": "summary_large_image" if is_cover else "summary",
        "published": iso(article.published_at),
        "modified": iso(_modified(article)),
        "section": article.channel.name,
        "author_url": absolute(request, article.author.get_absolute_url()),
        "tags": [str(tag) for tag in article.tags or ()],
    }


def _citation(reference: ArticleReference) -> dict:
    work = {
        "@type": "CreativeWork",
        "name": reference.title or reference.source,
        "publisher": {"@type": "Organization", "name": reference.source},
    }
    if reference.url:
        work["url"] = reference.url
    if reference.published_on:
        work["datePublished"] = reference.published_on.isoformat()
    return work


def article_json_ld(
    request: HttpRequest, article: Article, references: Iterable[ArticleReference] = ()
) -> dict:
    """schema.org NewsArticle with the properties Google requires or recommends."""
    url = absolute(request, article.get_absolute_url())
    author = article.author
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": Truncator(article.title).chars(HEADLINE_CHARS),
        "description": article_description(article),
        "image": [article_image(request, article)[0]],
        "datePublished": iso(article.published_at),
        "dateModified": iso(_modified(article)),
        "author": [
            {
                "@type": (
                    "Person"
                    if author.account_type == CreatorProfile.AccountType.PERSONAL
                    else "Organization"
                ),
                "name": author.display_name,
                "url": absolute(request, author.get_absolute_url()),
            }
        ],
        "publisher": {
            "@type": "Organization",
            "name": settings.SITE_NAME,
            "url": absolute(request, reverse("web:home")),
            "logo": {
                "@type": "ImageObject",
                "url": absolute(request, reverse("web:site_logo")),
                "width": LOGO_SIZE[0],
                "height": LOGO_SIZE[1],
            },
        },
        "articleSection": article.channel.name,
        "inLanguage": "zh-CN",
        "isAccessibleForFree": True,
    }
    if article.tags:
        data["keywords"] = [str(tag) for tag in article.tags]
    if citations := [_citation(reference) for reference in references]:
        data["citation"] = citations
    return data


def json_ld_text(data: dict) -> SafeString:
    """`data` as JSON to put inside a script element (includes/json_ld.html) as it is,
    whatever its strings hold."""
    # Safe: with <, > and & escaped nothing in it can end or comment the element, and inside
    # a script element HTML escapes would not be read back.
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(SCRIPT_ESCAPES))
