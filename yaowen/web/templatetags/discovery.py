"""Head tags for crawlers and share previews: canonical URLs, OpenGraph/Twitter, JSON-LD.

They read only what the page already loaded (the article with its author and channel, the
references in the context), so they add no query to a page render.
"""

from collections.abc import Iterable

from django import template
from django.conf import settings
from django.core.paginator import Page

from yaowen.newsroom.models import Article, ArticleReference
from yaowen.web.discovery import structured

register = template.Library()


@register.simple_tag(takes_context=True)
def canonical_url(context: template.Context, path: str, page: Page | str = "") -> str:
    # Pages without pagination pass an unknown variable, which templates resolve to "".
    page = page if isinstance(page, Page) else None
    return structured.canonical_url(context["request"], path, page)


@register.simple_tag(takes_context=True)
def absolute_url(context: template.Context, path: str) -> str:
    return context["request"].build_absolute_uri(path)


@register.simple_tag(takes_context=True)
def site_image_url(context: template.Context) -> str:
    return structured.site_image_url(context["request"])


@register.inclusion_tag("includes/meta_article.html", takes_context=True)
def article_social_tags(context: template.Context, article: Article) -> dict:
    return {
        "site_name": settings.SITE_NAME,
        "meta": structured.article_social_tags(context["request"], article),
    }


@register.inclusion_tag("includes/json_ld.html", takes_context=True)
def article_json_ld(
    context: template.Context, article: Article, references: Iterable[ArticleReference] = ()
) -> dict:
    data = structured.article_json_ld(context["request"], article, references or ())
    return {"json_ld": structured.json_ld_text(data)}
