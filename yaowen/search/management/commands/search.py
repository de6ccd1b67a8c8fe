"""`manage.py search rebuild [--resegment]`, `manage.py search query TEXT`."""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from yaowen.analysis.services import analysis_rebuild
from yaowen.core.progress import bar_progress
from yaowen.search.schema import statements
from yaowen.search.selectors import article_search


class Command(BaseCommand):
    help = "Rebuild the search index, or run a query from the shell."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", metavar="{rebuild,query}")
        rebuild = actions.add_parser("rebuild", help="rebuild the index of published articles")
        rebuild.add_argument(
            "--resegment",
            action="store_true",
            help="segment every article again first (after a dictionary or tokenizer change)",
        )
        query = actions.add_parser("query", help="print the first page of results")
        query.add_argument("text")

    def handle(self, *args, **options) -> None:
        action = options.get("action")
        if action == "rebuild":
            if options["resegment"]:
                total = analysis_rebuild(progress=bar_progress)
                self.stdout.write(f"Segmented and indexed {total} articles again.")
            with transaction.atomic():
                for sql in statements(connection.vendor, "rebuild"):
                    with connection.cursor() as cursor:
                        cursor.execute(sql)
            self.stdout.write("Search index rebuilt.")
        elif action == "query":
            results = article_search(text=options["text"])
            self.stdout.write(f"{results.total} matches for {' '.join(results.query.terms)}")
            for hit in results.page:
                self.stdout.write(f"{hit.card.id}\t{hit.card.title}")
        else:
            raise CommandError("name a subcommand: rebuild or query")
