"""Progress reporting for long services: `progress(label, total)` returns `tick(n)`."""

from collections.abc import Callable

from tqdm import tqdm

# progress(label, total) returns tick(n), called as n more items are done.
Progress = Callable[[str, int], Callable[[int], None]]


def no_progress(label: str, total: int) -> Callable[[int], None]:
    """For callers that show nothing: tests, services called from other services."""
    return lambda done: None


def bar_progress(label: str, total: int) -> Callable[[int], None]:
    """A tqdm bar per stage (on stderr), for management commands."""
    bar = tqdm(total=total, desc=label, unit="article", leave=True)

    def tick(done: int) -> None:
        bar.update(done)
        if bar.n >= total:
            bar.close()

    return tick
