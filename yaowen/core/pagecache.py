"""Whole-page caching for anonymous readers, keyed by what the page shows.

A key names the page and a `version` built from the data the page renders (for an article:
its last change and its counters), so an edit, a takedown or a new comment changes the key
instead of needing an invalidation; only what is derived from hot lists may be up to
PAGE_TTL seconds old. Personal pages (logged in, flash messages, query strings) are never
cached.
"""

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

from yaowen.core.context_processors import care_mode_enabled

PAGE_TTL = 60


def anonymous_page_key(request: HttpRequest, name: str, version: str) -> str | None:
    """The cache key of this page for an anonymous reader, or None if it is personal."""
    if (
        request.method != "GET"
        or request.GET
        or "messages" in request.COOKIES
        or request.user.is_authenticated
    ):
        return None
    care = "care" if care_mode_enabled(request) else "std"
    return f"page:{name}:{version}:{get_language()}:{care}:{request.get_host()}"


def cached_page(key: str | None) -> HttpResponse | None:
    if key is None:
        return None
    content = cache.get(key)
    return None if content is None else HttpResponse(content)


def store_page(key: str | None, response: HttpResponse) -> HttpResponse:
    if key is not None and response.status_code == 200:
        cache.set(key, response.content, PAGE_TTL)
    return response
