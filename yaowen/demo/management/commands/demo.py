"""`manage.py demo`: fill the site with generated creators, articles and engagement."""

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from yaowen.accounts.models import User
from yaowen.demo.build import DEMO_PASSWORD, DEMO_READER, DemoSize, demo_build
from yaowen.demo.moderation_work import DEMO_ADMIN
from yaowen.demo.review_work import DEMO_EDITOR
from yaowen.newsroom.models import Article


class Command(BaseCommand):
    help = "Generate demo content: creators with avatars, articles in every channel, engagement."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--articles", type=int, default=3000)
        parser.add_argument("--creators", type=int, default=50)
        parser.add_argument("--readers", type=int, default=300)
        parser.add_argument("--seed", type=int, default=DemoSize.seed)
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if the site already has articles (for start-up scripts).",
        )

    def handle(self, *args, **options) -> None:
        for name in ("articles", "creators", "readers"):
            if options[name] < 1:
                raise CommandError(f"--{name} must be at least 1.")
        if options["creators"] > 5000:
            raise CommandError("--creators must be at most 5000.")
        has_articles = Article.objects.exists()
        if has_articles and options["if_empty"]:
            self.stdout.write("The site already has articles; demo content left as it is.")
            return
        if has_articles or User.objects.filter(username=DEMO_READER).exists():
            raise CommandError(
                "The database already has content. Demo content goes into an empty database: "
                "delete var/yaowen.sqlite3 (or use a fresh DATABASE_URL) and run migrate first."
            )
        size = DemoSize(
            creators=options["creators"],
            articles=options["articles"],
            readers=options["readers"],
            seed=options["seed"],
        )
        bars: list[tqdm] = []

        def progress(label: str, total: int):
            if bars:
                bars[-1].close()
            bar = tqdm(
                total=total,
                desc=f"{label:>9}",
                unit="",
                file=self.stderr._out,
                disable=options["verbosity"] == 0,
                leave=True,
            )
            bars.append(bar)
            return bar.update

        started = time.monotonic()
        try:
            result = demo_build(size=size, progress=progress)
        finally:
            for bar in bars:
                bar.close()
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content ready in {elapsed:.1f}s: {result.creators} creators, "
                f"{result.readers} readers, {result.articles} articles, {result.comments} "
                f"comments, {result.likes} likes, {result.follows} follows."
            )
        )
        self.stdout.write(
            f"Log in as '{DEMO_READER}', 'creator000' …, the reviewer '{DEMO_EDITOR}' or the "
            f"administrator '{DEMO_ADMIN}', with password '{DEMO_PASSWORD}'."
        )
