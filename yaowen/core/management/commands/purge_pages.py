"""`manage.py purge_pages PATH ... | --all`: forget cached public pages (docs/operations.md)."""

from django.core.management.base import BaseCommand, CommandError

from yaowen.core.pagecache import pages_invalidate, pages_purge


class Command(BaseCommand):
    help = (
        "Forget the anonymous page cache's pages: every variant (language, care mode, page "
        "number) of each PATH, or every page of the site with --all."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("paths", nargs="*", help="paths such as / or /a/123/")
        parser.add_argument(
            "--all", action="store_true", dest="purge_all", help="every cached page"
        )

    def handle(self, *args, paths: list[str], purge_all: bool, **options) -> None:
        if purge_all:
            pages_purge()
            self.stdout.write("Every cached page will be rendered again.")
            return
        if not paths:
            raise CommandError("Name at least one path (such as /a/123/), or use --all.")
        wrong = [path for path in paths if not path.startswith("/")]
        if wrong:
            raise CommandError(f"Paths start with '/': {', '.join(wrong)}")
        pages_invalidate(paths)
        self.stdout.write(f"Forgot {len(set(paths))} path(s) in every variant.")
