"""Whole-page caching for anonymous readers: answered before the session is read, so a hit
costs no database query, and forgotten path by path when the content changes.

Views opt in with `@anonymous_page`. `PageCacheMiddleware` (right after WhiteNoise) answers
a GET or HEAD of such a view from the cache when the request carries no session and no
flash-message cookie and its query string holds only `page` and `tab`. An entry is keyed
by the path and those parameters, the language, the care-mode state and the host, and it
names the generation of its path (`pagegen:<path>`) it was rendered under:
`pages_invalidate` gives a path a new generation, which drops every variant of it
(languages, care states, pages) with one cache write. Services call it after their
transaction commits (`newsroom.services.pages` lists the paths an article appears on).

Variants are bounded: only `page` values 1 to MAX_CACHED_PAGE (written plainly) and the
tabs in CACHED_TABS are cached, anything else is served and not stored; and at most
VARIANTS_PER_GENERATION entries are stored per path and generation, so the variants of one
page take at most that many entries however its URL is varied.

Cacheable responses, hit or miss, carry `Cache-Control: public`, a strong ETag of the body,
Last-Modified and `Vary: Cookie, Accept-Language`, and answer conditional requests with
304. Everything else an opted-in view serves (logged-in readers, pending messages) is
`private, no-cache` and never touches the anonymous entries. docs/operations.md ("Page
cache") lists what invalidates what; what comes from hot lists may be PAGE_TTL seconds old.

While the cache fails (core.sharedcache degrades), every page is rendered from the database
and nothing is stored; an invalidation that could not be written is made up for by purging
every page once the cache answers again (`pages_settle`), so no page cached before the
outage outlives a change made during it.
"""

import hashlib
import math
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

import zstandard
from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, quote_etag
from django.utils.translation import get_language_from_request

from yaowen.core import ratelimit
from yaowen.core.cache import cache_down
from yaowen.core.care import care_state
from yaowen.core.hooks import hook

PAGE_TTL = 60
# Browsers and CDNs may show a page this long past PAGE_TTL while they fetch a fresh one.
STALE_TTL = 600
# Longer than any entry lives, so an entry never outlives the generation it names.
GENERATION_TTL = 24 * 3600
# Pages past this (and `?page=` values written any other way than 1, 2 …) are served, not
# stored: each would be one more copy of the page for anyone who varies the number.
MAX_CACHED_PAGE = 50
# The tabs the cached views know (channel 热门, home 要闻); others would render the default.
CACHED_TABS = frozenset({"hot", "news"})
# At most this many entries per path and generation: the ceiling on one page's variants
# (languages × care states × hosts × pages × tabs) whatever a crawler or attacker asks for.
VARIANTS_PER_GENERATION = 100
VARY = ("Cookie", "Accept-Language")
# 2: bodies packed with Zstandard (level 1: 4x faster to pack than zlib's fastest, 5x to
# unpack, about as small); entries of another format are misses.
ENTRY_FORMAT = 2

_OPT_IN = "anonymous_page"


def anonymous_page(view: Callable) -> Callable:
    """Let the page cache serve and store this view's pages for anonymous readers."""
    setattr(view, _OPT_IN, True)
    return view


@dataclass(frozen=True)
class PageFacts:
    last_modified: datetime | None = None
    article_id: int | None = None


def page_facts(
    response: HttpResponse, *, last_modified: datetime | None = None, article_id: int | None = None
) -> HttpResponse:
    """Tell the page cache what the page shows: when its content last changed (for
    Last-Modified) and which article it is (so pages served from the cache count views)."""
    response.page_facts = PageFacts(last_modified=last_modified, article_id=article_id)
    return response


def page_variant(request: HttpRequest) -> str:
    """Everything besides the URL that changes the HTML an anonymous reader gets.

    The one place the key reads cookies and headers: language as LocaleMiddleware will pick
    it, care mode and text size, and the host (absolute share links).
    """
    prefixed, _default = is_language_prefix_patterns_used(settings.ROOT_URLCONF)
    language = get_language_from_request(request, check_path=prefixed)
    return f"{language}|{care_state(request)}|{request.get_host()}"


_PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,2}")


def _cached_value(name: str, value: str) -> bool:
    """Whether a query parameter may be part of a cached page's key: `page` and `tab` only."""
    if name == "page":
        return _PAGE_NUMBER.fullmatch(value) is not None and int(value) <= MAX_CACHED_PAGE
    return name == "tab" and value in CACHED_TABS


def _query(request: HttpRequest) -> str | None:
    """The query string as part of the key, or None when it holds anything else."""
    parts = []
    for name in sorted(request.GET):
        values = request.GET.getlist(name)
        if len(values) != 1 or not _cached_value(name, values[0]):
            return None
        parts.append(f"{name}={values[0]}")
    return "&".join(parts)


def page_key(request: HttpRequest) -> str | None:
    """The cache key of this request's page for an anonymous reader, or None if personal."""
    if (
        settings.SESSION_COOKIE_NAME in request.COOKIES
        or CookieStorage.cookie_name in request.COOKIES
    ):
        return None
    query = _query(request)
    if query is None:
        return None
    try:
        variant = page_variant(request)
    except DisallowedHost:
        return None  # the handler answers 400
    name = f"{request.path_info}?{query}|{variant}"
    return f"page:{hashlib.blake2b(name.encode(), digest_size=16).hexdigest()}"


# The generation every entry also names: purging the whole page cache is one write too.
ALL_PAGES = "*"


def generation_key(path: str) -> str:
    return f"pagegen:{path}"


class Generation(NamedTuple):
    token: str
    # When the path was last invalidated (0 if never since the cache started): a floor
    # for Last-Modified, since a new comment changes a page but not its article's time.
    changed_at: float


class Entry(NamedTuple):
    format: int
    generation: str
    headers: list[tuple[str, str]]
    body: bytes  # Zstandard: pages are mostly markup, about 3x smaller packed
    etag: str
    last_modified: int
    article_id: int | None


# Set when an invalidation could not be written (the cache failing): this process then owes
# a purge of every page, paid as soon as the cache takes a write again.
_purge_owed = False


def pages_invalidate(paths: Iterable[str]) -> None:
    """Drop every cached variant of these paths (all languages, care states and pages)."""
    global _purge_owed
    now = time.time()
    generations = {generation_key(path): (_token(), now) for path in set(paths)}
    if generations and cache.set_many(generations, GENERATION_TTL):
        _purge_owed = True
    pages_settle()


def pages_settle() -> None:
    """Pay a purge owed since an invalidation failed, once the cache takes writes again:
    a page stored before the outage (Redis keeps its data across a restart) must not be
    served without a change made while the cache was down."""
    global _purge_owed
    if _purge_owed and not cache.set_many(
        {generation_key(ALL_PAGES): (_token(), time.time())}, GENERATION_TTL
    ):
        _purge_owed = False


def pages_purge() -> None:
    """Drop every cached page of the site (after a deploy that changes templates, say)."""
    pages_invalidate([ALL_PAGES])


def pages_invalidate_on_commit(paths: Iterable[str]) -> None:
    """Invalidate once the current transaction commits, so no reader caches the old data
    again between the invalidation and the commit."""
    paths = list(paths)
    transaction.on_commit(lambda: pages_invalidate(paths))


# Zstandard's (de)compressor objects are not thread-safe: one pair per thread.
_codecs = threading.local()


def _pack(body: bytes) -> bytes:
    if not hasattr(_codecs, "pack"):
        _codecs.pack = zstandard.ZstdCompressor(level=1)
    return _codecs.pack.compress(body)


def _unpack(body: bytes) -> bytes:
    if not hasattr(_codecs, "unpack"):
        _codecs.unpack = zstandard.ZstdDecompressor()
    return _codecs.unpack.decompress(body)


def _token() -> str:
    return uuid.uuid4().hex[:16]


def _generation(path: str) -> Generation:
    """The path's generation, created if it has none (never invalidated, or evicted)."""
    key = generation_key(path)
    fresh = Generation(_token(), 0.0)
    if cache.add(key, tuple(fresh), GENERATION_TTL):
        return fresh
    return _as(Generation, cache.get(key)) or fresh


def _combined(generations: list[Generation]) -> Generation:
    return Generation(
        ":".join(generation.token for generation in generations),
        max(generation.changed_at for generation in generations),
    )


def _as(kind: type[NamedTuple], value: object):
    """A stored tuple as `kind`, or None. Entries are stored as plain tuples, so a deploy
    that changes these classes never meets a pickle it cannot load (Redis outlives it)."""
    if isinstance(value, tuple) and len(value) == len(kind._fields):
        return kind(*value)
    return None


class PageCacheMiddleware:
    """Answers anonymous readers' pages from the cache before sessions, users or the
    database are touched; stores the pages opted-in views render for them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _purge_owed:
            pages_settle()
        if request.method not in ("GET", "HEAD") or not _opted_in(request.path_info):
            return self.get_response(request)
        key = page_key(request)
        if key is None:
            response = self.get_response(request)
            # Logged in, or a message pending: this page is this reader's only.
            patch_cache_control(response, private=True, no_cache=True)
            return response
        paths = (ALL_PAGES, request.path_info)
        found = cache.get_many([*map(generation_key, paths), key])
        generations = [_as(Generation, found.get(generation_key(path))) for path in paths]
        entry = _as(Entry, found.get(key))
        if (
            entry is not None
            and entry.format == ENTRY_FORMAT
            and None not in generations
            and entry.generation == _combined(generations).token
        ):
            return _answer(request, entry)
        # Read before the view runs: a change committed during the render moves the
        # generation, so the page rendered from older data is stored under one nobody asks.
        generation = _combined(
            [known or _generation(path) for known, path in zip(generations, paths, strict=True)]
        )
        response = self.get_response(request)
        return _store(request, key, generation, response)


def _variant_allowed(path: str, generation: Generation) -> bool:
    """Whether one more variant of `path` may be stored under this generation."""
    name = hashlib.blake2b(f"{path}\n{generation.token}".encode(), digest_size=16).hexdigest()
    return ratelimit.hit(f"pagevariants:{name}", window=PAGE_TTL) <= VARIANTS_PER_GENERATION


def _opted_in(path: str) -> bool:
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return getattr(match.func, _OPT_IN, False)


def _answer(request: HttpRequest, entry: Entry) -> HttpResponse:
    """The stored page, a 304 when the reader's copy is current, or the headers (HEAD)."""
    if entry.article_id is not None:
        # Counted like a page the view renders (engagement's view buffer, named in
        # settings.HOOKS: core imports no app above it).
        hook("article_page_viewed")(request, entry.article_id)
    response = HttpResponse(b"" if request.method == "HEAD" else _unpack(entry.body))
    for name, value in entry.headers:
        response.headers[name] = value
    return get_conditional_response(
        request, etag=entry.etag, last_modified=entry.last_modified, response=response
    )


def _store(
    request: HttpRequest, key: str, generation: Generation, response: HttpResponse
) -> HttpResponse:
    if response.status_code != 200 or response.streaming:
        return response
    if response.cookies:
        # Something set a cookie (a CSRF token rendered into a form, a session): the page
        # belongs to this reader and must not be shown to anyone else.
        patch_cache_control(response, private=True, no_cache=True)
        return response
    facts = getattr(response, "page_facts", None) or PageFacts()
    changed = facts.last_modified.timestamp() if facts.last_modified else time.time()
    # HTTP dates have whole seconds: rounding the invalidation up keeps a copy fetched in
    # the second before it from passing If-Modified-Since.
    last_modified = max(int(changed), math.ceil(generation.changed_at))
    etag = quote_etag(hashlib.blake2b(response.content, digest_size=16).hexdigest())
    response.headers["ETag"] = etag
    response.headers["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, max_age=PAGE_TTL, stale_while_revalidate=STALE_TTL)
    patch_vary_headers(response, VARY)
    if not cache_down() and _variant_allowed(request.path_info, generation):
        entry = Entry(
            format=ENTRY_FORMAT,
            generation=generation.token,
            headers=list(response.items()),
            body=_pack(response.content),
            etag=etag,
            last_modified=last_modified,
            article_id=facts.article_id,
        )
        cache.set(key, tuple(entry), PAGE_TTL)
    return get_conditional_response(
        request, etag=etag, last_modified=last_modified, response=response
    )
