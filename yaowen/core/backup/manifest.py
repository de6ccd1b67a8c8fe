"""What a backup archive holds and says about itself: its members, its manifest (row
counts, media, code version), and the one error family of backups."""

import json
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata

from django.conf import settings

from yaowen.core.errors import ApplicationError

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
KIND_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
MEDIA = "media/"
# The rows a manifest names for people (every table is counted and checked anyway). Core
# knows no domain app, so these are table names only; a project may rename them in settings.
SUMMARY_TABLES = {
    "users": "accounts_user",
    "articles": "newsroom_article",
    "comments": "engagement_comment",
    "images": "newsroom_articleimage",
}
CHUNK = 1 << 20

Say = Callable[[str], None]


class BackupError(ApplicationError):
    """A backup could not be written, or an archive cannot be restored here."""


@dataclass
class Manifest:
    """What an archive holds: written last into it, read first by a restore."""

    created_at: str
    database: str
    tables: dict[str, int]
    media_files: int
    media_bytes: int
    version: str | None = None
    commit: str | None = None
    format: int = FORMAT

    @property
    def counts(self) -> dict[str, int]:
        return {label: self.tables.get(table, 0) for label, table in summary_tables().items()}

    def as_json(self) -> bytes:
        data = {**self.__dict__, "counts": self.counts}
        return json.dumps(data, ensure_ascii=False, indent=2).encode()

    @classmethod
    def from_json(cls, raw: bytes) -> "Manifest":
        try:
            data = json.loads(raw)
            if data.get("format") != FORMAT:
                raise BackupError(
                    f"This backup has format {data.get('format')!r}; this version of Yaowen "
                    f"reads format {FORMAT}."
                )
            return cls(
                created_at=data["created_at"],
                database=data["database"],
                tables={str(name): int(rows) for name, rows in data["tables"].items()},
                media_files=int(data["media_files"]),
                media_bytes=int(data["media_bytes"]),
                version=data.get("version"),
                commit=data.get("commit"),
            )
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise BackupError(f"The backup's {MANIFEST} is not readable ({error}).") from None


def summary_tables() -> dict[str, str]:
    return getattr(settings, "BACKUP_SUMMARY_TABLES", SUMMARY_TABLES)


def code_version() -> str | None:
    try:
        return metadata.version("yaowen")
    except metadata.PackageNotFoundError:
        return None


def code_commit() -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(settings.BASE_DIR), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None
