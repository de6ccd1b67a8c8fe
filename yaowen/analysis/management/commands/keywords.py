"""`manage.py keywords refit|show`: the IDF behind article keywords."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yaowen.analysis.models import ArticleAnalysis
from yaowen.analysis.services import idf_refit
from yaowen.core.progress import bar_progress


class Command(BaseCommand):
    help = "Refit the IDF on published articles and recompute their keywords, or show some."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", metavar="{refit,show}")
        actions.add_parser("refit", help="recount document frequencies and recompute keywords")
        show = actions.add_parser("show", help="print an article's stored keywords")
        show.add_argument("article_id", type=int)

    def handle(self, *args, **options) -> None:
        if options.get("action") == "refit":
            total = idf_refit(progress=bar_progress)
            self.stdout.write(f"IDF refitted on {total} published articles; keywords recomputed.")
        elif options.get("action") == "show":
            analysis = ArticleAnalysis.objects.filter(article_id=options["article_id"]).first()
            if analysis is None:
                raise CommandError(f"article {options['article_id']} has not been analysed")
            for term, weight in analysis.keywords:
                self.stdout.write(f"{weight:.4f}\t{term}")
        else:
            raise CommandError("name a subcommand: refit or show")
