"""Read-through caching for selectors, with keys that one place can invalidate; and how a
part the site can run without (the shared cache, Redis) reports that it is failing.

The shared cache degrades by itself (`core.sharedcache`): while it fails, reads are misses
and writes are skipped, so every caller keeps working from the database. `Outage` is the
one place such failures are logged: once a minute per process, not once per request.
"""

import logging
import secrets
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

T = TypeVar("T")

logger = logging.getLogger("yaowen.outage")

_MISSING = object()

# Values every page reads, as this process last loaded them: key -> (stamp, value, until).
# `until` (this process's clock) is only used while the cache is down.
_held: dict[str, tuple[str, object, float]] = {}

# A failing part is logged at most this often per process.
LOG_EVERY_SECONDS = 60.0


class Outage:
    """One part that can fail, as this process sees it: `failed` on every failure (logged
    at most once a minute, with how many were not), `succeeded` after every success (the
    first one after a failure logs the recovery).

    `down` is True from a failure until the next success. `paused` is True for
    `retry_seconds` after a failure: callers skip the part meanwhile, so a server that
    hangs costs one timeout per pause, not one per request.
    """

    def __init__(self, name: str, *, retry_seconds: float = 0.0) -> None:
        self.name = name
        self.retry_seconds = retry_seconds
        self._lock = threading.Lock()
        self._failed_at: float | None = None
        self._logged_at = float("-inf")
        self._unlogged = 0

    @property
    def down(self) -> bool:
        return self._failed_at is not None

    @property
    def paused(self) -> bool:
        failed_at = self._failed_at
        return failed_at is not None and time.monotonic() - failed_at < self.retry_seconds

    def failed(self, action: str, exc: BaseException | None = None) -> None:
        now = time.monotonic()
        with self._lock:
            self._failed_at = now
            if now - self._logged_at < LOG_EVERY_SECONDS:
                self._unlogged += 1
                return
            self._logged_at, unlogged, self._unlogged = now, self._unlogged, 0
        logger.warning(
            "%s failing: could not %s (%d more failures since the last report); "
            "the site carries on without it.",
            self.name,
            action,
            unlogged,
            exc_info=exc,
        )

    def succeeded(self) -> None:
        if self._failed_at is None:  # the usual case: one attribute read
            return
        with self._lock:
            if self._failed_at is None:
                return
            self._failed_at = None
            unlogged, self._unlogged = self._unlogged, 0
        logger.warning("%s answers again (%d failures since the last report).", self.name, unlogged)

    def reset(self) -> None:
        """Forget the failure without logging (tests; a process that restarts its client)."""
        with self._lock:
            self._failed_at, self._logged_at, self._unlogged = None, float("-inf"), 0


_outages: dict[str, Outage] = {}
_outages_lock = threading.Lock()


def outage(name: str, *, retry_seconds: float = 0.0) -> Outage:
    """The process's one `Outage` of this name (cache backends are made per thread)."""
    found = _outages.get(name)
    if found is None:
        with _outages_lock:
            found = _outages.setdefault(name, Outage(name, retry_seconds=retry_seconds))
    return found


def cache_down() -> bool:
    """Whether the default cache's last operation in this process failed (a local-memory
    cache never does)."""
    state = getattr(cache, "outage", None)
    return state is not None and state.down


def cached(key: str, ttl: int, compute: Callable[[], T]) -> T:
    """Return the cached value for `key`, computing and storing it on a miss."""
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value, ttl)
    return value


def _stamp_key(key: str) -> str:
    return f"{key}:stamp"


def cached_shared(key: str, ttl: int, compute: Callable[[], T]) -> T:
    """`cached` for a value nearly every page reads (the channels, the hot list, headline
    candidates), which callers must not change.

    The cache holds (stamp, value) and the stamp alone beside it. Each process keeps the
    value it last loaded and, while the cached stamp is the same, reads only the stamp: a
    few bytes instead of unpickling tens of kilobytes on every page. A recompute, an
    `invalidate` or a cleared cache changes or removes the stamp, so no process serves a
    value the cache no longer holds. While the cache is down, the held value serves for
    `ttl` seconds from when it was loaded, rather than recomputing it on every page.
    """
    stamp = cache.get(_stamp_key(key))
    held = _held.get(key)
    if held is not None:
        if stamp is not None and held[0] == stamp:
            return held[1]  # type: ignore[return-value]
        if stamp is None and cache_down() and time.monotonic() < held[2]:
            return held[1]  # type: ignore[return-value]
    entry = cache.get(key) if stamp is not None else None
    if not (isinstance(entry, tuple) and len(entry) == 2 and entry[0] == stamp):
        entry = (secrets.token_hex(8), compute())
        cache.set_many({key: entry, _stamp_key(key): entry[0]}, ttl)
    _held[key] = (entry[0], entry[1], time.monotonic() + ttl)
    return entry[1]  # type: ignore[return-value]


def invalidate(*keys: str) -> None:
    for key in keys:
        _held.pop(key, None)
    cache.delete_many([*keys, *(_stamp_key(key) for key in keys)])
