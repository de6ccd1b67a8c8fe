"""Fixed-window counters in the cache, shared by every throttle on the site.

`add` opens a window and `incr` counts in it, each atomic in the shared cache (the disk
cache's single SQL statements, or Redis), so every worker's hits land in one count.
"""

from django.core.cache import cache


def hits(key: str) -> int:
    """How many hits `key` has in its current window."""
    return int(cache.get(f"rl:{key}", 0))


def hit(key: str, *, window: int) -> int:
    """Count one hit for `key`; the window starts with the first hit. Returns the new count."""
    full = f"rl:{key}"
    if cache.add(full, 1, window):
        return 1
    try:
        return cache.incr(full)
    except ValueError:  # expired between add and incr
        cache.add(full, 1, window)
        return 1


def reset(key: str) -> None:
    cache.delete(f"rl:{key}")
