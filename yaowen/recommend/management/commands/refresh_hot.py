"""`manage.py refresh_hot`: recompute stored hot scores (run it every few minutes)."""

import time

from django.core.management.base import BaseCommand

from yaowen.recommend.services.hot import hot_scores_refresh


class Command(BaseCommand):
    help = (
        "Recompute the time-decayed hot score of every article in the hot window, and with "
        "REDIS_URL re-score the live Redis hot sets."
    )

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        done = hot_scores_refresh()
        self.stdout.write(f"Scored {done.scored} articles in {time.monotonic() - started:.2f}s.")
        if done.live is not None:
            self.stdout.write(
                f"Redis hot sets: re-scored {done.live.loaded} articles, "
                f"removed {done.live.removed} stale entries."
            )
        elif done.live_failed:
            self.stderr.write(
                "Redis hot sets: could not re-score them (see the log); stored scores are "
                "written, and hot lists use them while Redis does not answer."
            )
        else:
            self.stdout.write("Redis hot sets: off (REDIS_URL is not set).")
