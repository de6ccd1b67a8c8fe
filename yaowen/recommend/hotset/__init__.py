"""Live hot lists (热点推荐) in Redis sorted sets, moved as engagement arrives (REDIS_URL)."""

import datetime as dt
import sys
import threading
import time

import redis

from yaowen.engagement.viewcount import redis_client, redis_key_prefix, redis_url
from yaowen.newsroom.models import Article
from yaowen.recommend.hotset.store import (
    HOT_EVENT_WINDOW_SECONDS,
    KINDS,
    OUTAGE_PAUSE_SECONDS,
    HotRow,
    HotSet,
    Rebuilt,
)

__all__ = ["HOT_EVENT_WINDOW_SECONDS", "KINDS", "HotRow", "HotSet", "Rebuilt"]

# Without Redis, hot lists read the stored Article.hot_score, which `refresh_hot` computes
# from the database counters, and every function here is a no-op (None or False).
#
# With Redis, keys under "<CACHE_KEY_PREFIX>:hot:" ("yw:hot:"): `a:<article>`, a hash of
# the counts the score uses (v views, c commenters, l likes, s shares) and the publication
# time p, expiring when the article leaves the hot window; `all` and `c<channel>`, sorted
# sets of article ids by hot score as of the article's last event or refresh; and
# `seen:<kind>:<article>:<reader>`, one reader's counted action, for the window.
#
# What counts once (the same reader repeating the same kind on the same article):
# - view: once per reader per 30 minutes, decided by the view counter; views reach the sets
#   when they are flushed (`hot_views_add`), so the article page never waits on this module.
# - like: the database keeps one like per reader, so `like_count` cannot be inflated. Here
#   a re-like within the window does not count; an unlike is not an event, so a taken-back
#   like stays in the live score until the next refresh rewrites the counts.
# - comment: the stored score counts distinct commenters, not comments. Here a reader's
#   further comments within the window do not count; the refresh snaps back to commenters.
# - share: once per reader, article and target per 30 minutes (`share_record`'s rule), so the
#   live sets and `share_count` agree; another target is another audience, not a repeat.

_UNSET = object()
_backend: "HotSet | None | object" = _UNSET
_backend_lock = threading.Lock()


def backend() -> HotSet | None:
    """This process's live hot sets, or None when the cache is not Redis (REDIS_URL unset)."""
    global _backend
    if _backend is _UNSET:
        with _backend_lock:
            if _backend is _UNSET:
                url = redis_url()
                _backend = (
                    None
                    if url is None
                    else HotSet(redis_client(url), prefix=f"{redis_key_prefix()}:hot:")
                )
    return _backend  # type: ignore[return-value]


def _available() -> HotSet | None:
    live = backend()
    if live is None or time.monotonic() < live.paused_until:
        return None
    return live


def _failed(live: HotSet, action: str) -> None:
    # Logged once a minute (core.cache.Outage), not per request; called in the `except`
    # block, so the error being handled is the one to log.
    live.outage.failed(action, sys.exc_info()[1])
    # While paused nobody waits on timeouts.
    live.paused_until = time.monotonic() + OUTAGE_PAUSE_SECONDS


def hot_event(
    *, article_id: int, channel_id: int, kind: str, reader: str, published_at: dt.datetime | None
) -> bool:
    """Count one counted action (view/like/comment/share) in the live hot sets at once.

    The same reader repeating the same kind on the same article within the window counts
    once. Returns whether the sets moved: False for a repeat, without Redis, or on failure.
    """
    live = _available()
    if live is None or published_at is None:
        return False
    try:
        return live.event(
            article_id=article_id,
            channel_id=channel_id,
            kind=kind,
            reader=reader,
            published_at=published_at,
        )
    except redis.RedisError:
        _failed(live, "count an event")
        return False


def hot_views_add(*, counts: dict[int, int]) -> int:
    """Pass views flushed to the database (already once per reader and window) on to the live
    sets; returns the articles re-scored. One query and one round trip; 0 without Redis."""
    live = _available()
    if live is None or not counts:
        return 0
    rows = [
        (pk, channel_id, published_at, counts[pk])
        for pk, channel_id, published_at in Article.objects.filter(
            pk__in=list(counts), status=Article.Status.PUBLISHED, published_at__isnull=False
        ).values_list("id", "channel_id", "published_at")
    ]
    try:
        return live.views_add(rows)
    except redis.RedisError:
        _failed(live, "add flushed views")
        return 0


def hot_ids(*, channel_id: int | None, limit: int) -> list[int] | None:
    """The ids of the hottest articles now, globally or in one channel, best first.

    None when Redis is not configured, fails or holds no such list (a new or flushed
    server before the next refresh): the caller then reads the stored score. Ids may name
    articles unpublished since; the caller filters them.
    """
    live = _available()
    if live is None:
        return None
    try:
        return live.top(channel_id=channel_id, limit=limit) or None
    except redis.RedisError:
        _failed(live, "read a hot list")
        return None
