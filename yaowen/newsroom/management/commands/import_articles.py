"""`manage.py import_articles FILE.tsv --author ID|NAME [--publish]`: bulk import.

Each line is `channel<TAB>title<TAB>body`: the channel by slug or name, the body in
Markdown with `\\n` for line breaks (it may be empty only if the line is then skipped:
an article needs a body). Lines that cannot be imported are listed with their numbers
and make the command exit non-zero; the other lines are imported all the same.
"""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q
from tqdm import tqdm

from yaowen.accounts.models import CreatorProfile
from yaowen.jobs.delivery import deliver_pending
from yaowen.newsroom.models import Channel
from yaowen.newsroom.services import ArticleInput, articles_import


class Command(BaseCommand):
    help = "Import articles of one creator from a TSV file (channel, title, body)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="UTF-8 TSV: channel<TAB>title<TAB>body")
        parser.add_argument("--author", required=True, help="creator id or display name")
        parser.add_argument("--publish", action="store_true", help="publish them at once")
        parser.add_argument("--batch", type=int, default=200, help="articles per transaction")

    def handle(self, *args, **options) -> None:
        if options["batch"] < 1:
            raise CommandError("--batch must be at least 1.")
        author = self.author(options["author"])
        try:
            with open(options["file"], encoding="utf-8-sig", errors="replace") as handle:
                lines = handle.read().splitlines()
        except OSError as error:
            raise CommandError(f"cannot read {options['file']}: {error.strerror}") from error
        channels = {c.slug: c for c in Channel.objects.all()}
        channels.update({c.name: c for c in channels.values()})
        items, errors = [], []
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            fields = line.split("\t")
            channel = channels.get(fields[0].strip())
            if len(fields) < 2:
                errors.append((number, "expected channel<TAB>title<TAB>body"))
            elif channel is None:
                errors.append((number, f"unknown channel {fields[0].strip()!r}"))
            else:
                body = "\t".join(fields[2:]).replace("\\n", "\n")
                items.append(
                    (number, ArticleInput(title=fields[1][:64], channel=channel, body_source=body))
                )
        with tqdm(total=len(items), desc="import", unit="article") as bar:
            result = articles_import(
                author=author,
                items=items,
                by=author.user,
                publish=options["publish"],
                batch_size=options["batch"],
                tick=bar.update,
            )
        # The consumer analyses, indexes and lists them; here and now for a command.
        delivered = deliver_pending()
        self.stdout.write(f"Analysed and indexed in {delivered} background steps.")
        self.stdout.write(
            f"Imported {result.created} articles for {author.display_name}"
            f" ({result.published} published)."
        )
        errors = sorted(errors + result.errors)
        if errors:
            for number, message in errors:
                self.stderr.write(f"line {number}: {message}")
            raise CommandError(f"{len(errors)} lines were not imported (listed above).")

    def author(self, value: str) -> CreatorProfile:
        query = Q(display_name=value)
        if value.isdigit():
            query |= Q(pk=int(value))
        author = CreatorProfile.objects.select_related("user").filter(query).first()
        if author is None:
            raise CommandError(f"no creator with id or name {value!r}")
        return author
