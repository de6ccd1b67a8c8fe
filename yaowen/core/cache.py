"""Read-through caching for selectors, with keys that one place can invalidate."""

from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

T = TypeVar("T")

_MISSING = object()


def cached(key: str, ttl: int, compute: Callable[[], T]) -> T:
    """Return the cached value for `key`, computing and storing it on a miss."""
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value, ttl)
    return value


def invalidate(*keys: str) -> None:
    cache.delete_many(list(keys))
