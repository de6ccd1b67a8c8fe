"""`manage.py refresh_hot`: recompute stored hot scores (run it every few minutes)."""

import time

from django.core.management.base import BaseCommand

from yaowen.recommend.services import hot_scores_refresh


class Command(BaseCommand):
    help = "Recompute the time-decayed hot score of every article in the hot window."

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        scored = hot_scores_refresh()
        self.stdout.write(f"Scored {scored} articles in {time.monotonic() - started:.2f}s.")
