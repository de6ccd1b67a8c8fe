"""Listeners that only the multi-process tests use (process_settings.EVENT_LISTENERS)."""

import time
from pathlib import Path

from yaowen.jobs.delivery import Event


def slow(event: Event) -> None:
    """Marks its start, sleeps, marks its end: a task a test can kill halfway."""
    folder = Path(event["folder"])
    with open(folder / "started", "a") as marks:
        marks.write(f"{event.delivery_id}\n")
    time.sleep(event["seconds"])
    with open(folder / "done", "a") as marks:
        marks.write(f"{event.delivery_id}\n")


def fail(event: Event) -> None:
    raise RuntimeError("the probe listener always fails")
