"""`manage.py flush_views`: write buffered article views to the database (cron, every minute)."""

from django.core.management.base import BaseCommand

from yaowen.engagement.viewcount import backend, views_flush


class Command(BaseCommand):
    help = "Write buffered article view counts to the database (needed when REDIS_URL is set)."

    def handle(self, *args, **options) -> None:
        written = views_flush()
        self.stdout.write(f"Flushed {written} views.")
        buffer = backend()
        if buffer.name == "memory":
            self.stdout.write(
                "Views are buffered in each web worker's memory (REDIS_URL is not set): the "
                f"workers flush their own buffers every {buffer.flush_seconds:g} s; this "
                "command can only flush its own, empty, buffer."
            )
