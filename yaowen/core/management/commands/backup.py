"""`manage.py backup [--output DIR] [--no-media]`: the database and the media in one archive."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import Error as DatabaseError

from yaowen.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write one tar.gz holding the database (SQLite's online backup, or pg_dump), every "
        "media file and a manifest of row counts. Safe while the site runs."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            default=Path(settings.BASE_DIR) / "var" / "backups",
            help="folder for the archive (default var/backups)",
        )
        parser.add_argument(
            "--no-media",
            action="store_true",
            help="the database only (media kept elsewhere: a versioned, replicated bucket)",
        )

    def handle(self, *args, output: Path, no_media: bool, **options) -> None:
        quiet = options["verbosity"] == 0
        try:
            path, manifest = backup_create(
                folder=output,
                media=not no_media,
                say=(lambda line: None) if quiet else self.stderr.write,
            )
        except BackupError as error:
            raise CommandError(error.message) from None
        except (DatabaseError, OSError) as error:
            raise CommandError(f"The backup failed: {error}") from None
        counts = ", ".join(f"{rows} {label}" for label, rows in manifest.counts.items())
        self.stdout.write(f"{path}")
        if not quiet:
            self.stdout.write(
                f"  {counts}; {manifest.media_files} media files "
                f"({manifest.media_bytes / 1e6:.1f} MB); {path.stat().st_size / 1e6:.1f} MB "
                "archive"
            )
