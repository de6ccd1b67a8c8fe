"""`manage.py publish_scheduled`: publish scheduled articles whose time has come.

Run it every minute from cron or any scheduler, e.g. `* * * * * manage.py publish_scheduled`.
"""

from django.core.management.base import BaseCommand

from yaowen.newsroom.services import articles_publish_due


class Command(BaseCommand):
    help = "Publish every scheduled article whose publication time has passed."
    # Run every minute: the system checks (every URLconf and view imported, ~0.3 s) are
    # for `manage.py check` at deployment, not for each run.
    requires_system_checks = []

    def handle(self, *args, **options) -> None:
        published = articles_publish_due()
        self.stdout.write(f"Published {published} scheduled articles.")
