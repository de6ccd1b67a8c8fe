"""`manage.py words import FILE --category C --action A`, `manage.py words check TEXT`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yaowen.core.errors import ApplicationError
from yaowen.core.progress import bar_progress
from yaowen.wordfilter.models import SensitiveWord
from yaowen.wordfilter.services import screen_text, words_import


class Command(BaseCommand):
    help = "Import sensitive words (one per line) or screen a text against the lists."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="subcommand", metavar="{import,check}")
        load = actions.add_parser("import", help="add the words of a UTF-8 file, one per line")
        load.add_argument("file", help="UTF-8 text; blank lines and lines starting with # skipped")
        load.add_argument("--category", required=True, choices=SensitiveWord.Category.values)
        load.add_argument("--action", required=True, choices=SensitiveWord.Action.values)
        load.add_argument("--note", default="", help="kept with every imported word")
        check = actions.add_parser("check", help="print the hits and the action for a text")
        check.add_argument("text")

    def handle(self, *args, **options) -> None:
        subcommand = options.get("subcommand")
        if subcommand == "import":
            self._import(options)
        elif subcommand == "check":
            screening = screen_text(options["text"])
            for hit in screening.hits:
                self.stdout.write(
                    f"{hit.start}-{hit.end}\t{hit.word}\t{hit.category}\t{hit.action}"
                )
            self.stdout.write(f"action: {screening.action}")
        else:
            raise CommandError("name a subcommand: import or check")

    def _import(self, options: dict) -> None:
        path = Path(options["file"])
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError as error:
            raise CommandError(f"no such file: {path}") from error
        except UnicodeDecodeError as error:
            raise CommandError(
                f"{path} is not UTF-8 text ({error.reason} at byte {error.start})"
            ) from error
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror}") from error
        try:
            result = words_import(
                lines=text.splitlines(),
                category=options["category"],
                action=options["action"],
                note=options["note"],
                by=None,
                progress=bar_progress,
            )
        except ApplicationError as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            f"Imported {result.created} words; skipped {len(result.duplicates)} already listed "
            f"and {len(result.invalid)} without letters or longer than 50 characters."
        )
        for line in result.invalid[:20]:
            self.stderr.write(f"invalid: {line}")
