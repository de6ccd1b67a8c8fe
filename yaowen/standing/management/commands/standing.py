"""`manage.py standing refresh [--creator ID]`: recompute creators' standing and trust."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yaowen.accounts.models import CreatorProfile
from yaowen.core.progress import bar_progress
from yaowen.standing.services import standings_refresh


class Command(BaseCommand):
    help = "Recompute every creator's standing (创作者指数), level and trust, or one creator's."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", metavar="{refresh}")
        refresh = actions.add_parser("refresh", help="recompute standing, level and trust")
        refresh.add_argument(
            "--creator", type=int, action="append", metavar="ID", help="only this creator"
        )

    def handle(self, *args, **options) -> None:
        if options.get("action") != "refresh":
            raise CommandError("name a subcommand: refresh")
        ids = options.get("creator")
        if ids:
            missing = set(ids) - set(
                CreatorProfile.objects.filter(pk__in=ids).values_list("pk", flat=True)
            )
            if missing:
                raise CommandError(f"no creator with id {', '.join(map(str, sorted(missing)))}")
        total = standings_refresh(creator_ids=ids, progress=bar_progress)
        self.stdout.write(f"Standing recomputed: {total} creators.")
