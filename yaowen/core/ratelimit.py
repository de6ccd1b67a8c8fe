"""Counters, waits and small remembered values for the site's limits, in the shared cache.

`hit` counts in a window: `add` opens it and `incr` counts, each atomic in the shared cache
(the disk cache's single SQL statements, or Redis), so every worker's hits land in one
count. `wait_start`/`wait_left` hold something off until a time; `remember`/`recall` keep a
small value (the login throttle's known addresses). Everything lives under the cache's
KEPT_PREFIX, which the disk cache never drops to make room for pages.

While the shared cache is down, each process counts in its own memory instead (bounded):
limits then hold per worker, never vanish and never refuse everyone. A request the database
refuses takes back its hits, and whatever else registered with `refund_if_refused` (a view
count): `ledger`, `take_back`, used by core.middleware.
"""

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.core.cache import cache

from yaowen.core.cache import cache_down
from yaowen.core.sharedcache import KEPT_PREFIX

# While the shared cache is down: at most this many keys per process, the oldest dropped.
LOCAL_MAX_KEYS = 10_000


class _Local:
    """This process's fallback: key -> (value, expiry on time.time())."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: OrderedDict[str, tuple[Any, float]] = OrderedDict()

    def get(self, key: str, default: Any = None) -> Any:
        with self._lock:
            found = self._items.get(key)
            if found is None or found[1] <= time.time():
                return default
            return found[0]

    def set(self, key: str, value: Any, ttl: float) -> None:
        with self._lock:
            self._items[key] = (value, time.time() + ttl)
            self._items.move_to_end(key)
            while len(self._items) > LOCAL_MAX_KEYS:
                self._items.popitem(last=False)

    def hit(self, key: str, window: float, extend: bool) -> int:
        now = time.time()
        with self._lock:
            found = self._items.get(key)
            if found is None or found[1] <= now:
                count, expires = 1, now + window
            else:
                count, expires = found[0] + 1, (now + window if extend else found[1])
            self._items[key] = (count, expires)
            self._items.move_to_end(key)
            while len(self._items) > LOCAL_MAX_KEYS:
                self._items.popitem(last=False)
            return count

    def decr(self, key: str) -> None:
        with self._lock:
            found = self._items.get(key)
            if found is not None and found[0] > 0:
                self._items[key] = (found[0] - 1, found[1])

    def delete(self, key: str) -> None:
        with self._lock:
            self._items.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


_local = _Local()

# What the request under way counted, as the steps that take it back, when the 503
# middleware keeps a ledger.
_ledger: ContextVar[list[Callable[[], None]] | None] = ContextVar(
    "yaowen_ratelimit_ledger", default=None
)


def _full(key: str) -> str:
    return f"{KEPT_PREFIX}{key}"


def hits(key: str) -> int:
    """How many hits `key` has in its current window."""
    full = _full(key)
    value = cache.get(full, 0)
    if cache_down():
        value = _local.get(full, 0)
    return int(value)


def hit(key: str, *, window: int, extend: bool = False) -> int:
    """Count one hit for `key`; the window starts with the first hit, or (`extend`) with the
    latest one, so that a key hit steadily never expires. Returns the new count."""
    full = _full(key)
    count = _shared_hit(full, window, extend)
    if count is None:
        count = _local.hit(full, window, extend)
    refund_if_refused(lambda: _take_back(full))
    return count


def _shared_hit(full: str, window: int, extend: bool) -> int | None:
    """The hit counted in the shared cache, or None when the cache is down."""
    if cache.add(full, 1, window):
        return 1
    try:
        count = cache.incr(full)
    except ValueError:
        if cache_down():
            return None
        cache.add(full, 1, window)  # expired between add and incr
        return 1
    if extend:
        cache.touch(full, window)
    return count


def reset(key: str) -> None:
    full = _full(key)
    cache.delete(full)
    _local.delete(full)


def wait_start(key: str, seconds: float) -> None:
    """Hold `key` off for `seconds` from now (replacing any wait it had)."""
    full = _full(f"wait:{key}")
    until = time.time() + seconds
    cache.set(full, until, math.ceil(seconds))
    if cache_down():
        _local.set(full, until, seconds)


def wait_left(key: str) -> float:
    """Seconds `key` must still wait (0 if none)."""
    full = _full(f"wait:{key}")
    until = cache.get(full)
    if cache_down():
        until = _local.get(full)
    return max(0.0, until - time.time()) if isinstance(until, int | float) else 0.0


def wait_end(key: str) -> None:
    reset(f"wait:{key}")


def remember(key: str, value: Any, *, ttl: int) -> None:
    """Keep a small value for `ttl` seconds, safe from being dropped for room."""
    full = _full(key)
    cache.set(full, value, ttl)
    if cache_down():
        _local.set(full, value, ttl)


def recall(key: str, default: Any = None) -> Any:
    full = _full(key)
    value = cache.get(full, default)
    if cache_down():
        value = _local.get(full, default)
    return value


def refund_if_refused(undo: Callable[[], None]) -> None:
    """Run `undo` if the database refuses the request under way (core.middleware answers
    503): what it counted must not count. Outside a request, nothing happens."""
    noted = _ledger.get()
    if noted is not None:
        noted.append(undo)


@contextmanager
def ledger() -> Iterator[list[Callable[[], None]]]:
    """Note what is counted inside the block, so that `take_back` can undo it."""
    noted: list[Callable[[], None]] = []
    token = _ledger.set(noted)
    try:
        yield noted
    finally:
        _ledger.reset(token)


def take_back(noted: list[Callable[[], None]]) -> None:
    """Undo what `ledger` noted (a write the database refused must not use a limit)."""
    for undo in noted:
        undo()


def _take_back(full: str) -> None:
    try:
        cache.decr(full)
    except ValueError:  # expired meanwhile, or counted in this process's memory
        _local.decr(full)
