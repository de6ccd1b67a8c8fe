"""Read-through caching for selectors, with keys that one place can invalidate."""

import secrets
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

T = TypeVar("T")

_MISSING = object()

# Values every page reads, as this process last loaded them: key -> (stamp, value).
_held: dict[str, tuple[str, object]] = {}


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
    value the cache no longer holds.
    """
    stamp = cache.get(_stamp_key(key))
    held = _held.get(key)
    if stamp is not None and held is not None and held[0] == stamp:
        return held[1]  # type: ignore[return-value]
    entry = cache.get(key) if stamp is not None else None
    if not (isinstance(entry, tuple) and len(entry) == 2 and entry[0] == stamp):
        entry = (secrets.token_hex(8), compute())
        cache.set_many({key: entry, _stamp_key(key): entry[0]}, ttl)
    _held[key] = entry
    return entry[1]  # type: ignore[return-value]


def invalidate(*keys: str) -> None:
    for key in keys:
        _held.pop(key, None)
    cache.delete_many([*keys, *(_stamp_key(key) for key in keys)])
