"""`manage.py restore ARCHIVE [--yes] [--force]`: a backup into an empty instance."""

import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import Error as DatabaseError

from yaowen.core.backup import (
    KIND_NAMES,
    BackupError,
    archive_restore,
    archive_stage,
    instance_content,
)
from yaowen.core.pagecache import pages_purge


class Command(BaseCommand):
    help = (
        "Restore an archive written by `manage.py backup` into this instance (its "
        "DATABASE_URL or SQLITE_PATH, and its media storage), then check every table's row "
        "count and every media file against the archive's manifest."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument("--yes", action="store_true", help="do not ask before restoring")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace an instance that already holds users, articles, comments or images",
        )

    def handle(self, *args, archive: Path, yes: bool, force: bool, **options) -> None:
        say = (lambda line: None) if options["verbosity"] == 0 else self.stderr.write
        try:
            with tempfile.TemporaryDirectory(prefix="yaowen-restore-") as work:
                say(f"Reading {archive} …")
                staged = archive_stage(archive, Path(work))
                manifest = staged.manifest
                held = instance_content(staged=staged)
                if held and not force:
                    raise CommandError(
                        f"This instance is not empty: it holds {', '.join(held)}. Restore into "
                        "an empty instance, or pass --force to replace what it holds."
                    )
                target = settings.DATABASES["default"]["NAME"]
                if not yes:
                    self._confirm(
                        f"Replace the {KIND_NAMES[manifest.database]} database {target} and "
                        f"write {manifest.media_files} media files from the backup of "
                        f"{manifest.created_at}?"
                    )
                restored = archive_restore(archive=archive, staged=staged, say=say)
        except BackupError as error:
            raise CommandError(error.message) from None
        except DatabaseError as error:
            raise CommandError(f"The database is not usable: {error}") from None
        except OSError as error:
            raise CommandError(f"The restore failed: {error}") from None
        # Pages an empty instance may have cached must not hide the restored content.
        pages_purge()
        counts = ", ".join(f"{rows} {label}" for label, rows in manifest.counts.items())
        self.stdout.write(
            f"Restored the backup of {manifest.created_at}: {counts}; "
            f"{restored.media_written} media files written, {restored.media_kept} already "
            "there. Every table's count and every file match the manifest."
        )
        if restored.unapplied_migrations:
            newer = len(restored.unapplied_migrations)
            self.stdout.write(
                f"The code has {newer} migration{'s' if newer > 1 else ''} newer than the "
                "backup: run `manage.py migrate`."
            )

    def _confirm(self, question: str) -> None:
        if not sys.stdin.isatty():
            raise CommandError(f"{question} Pass --yes to answer without a terminal.")
        try:
            answer = input(f"{question} Type yes to go on: ")
        except (EOFError, KeyboardInterrupt):
            answer = ""
        if answer.strip().lower() != "yes":
            raise CommandError("Nothing was restored.")
