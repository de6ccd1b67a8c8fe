"""Whole-site backups: the database (SQLite's online backup, or `pg_dump`) and the media
(read through the storage API) in one tar.gz, with a manifest of row counts that a restore
checks. `manage.py backup` and `manage.py restore`; docs/operations.md, "Backups".

`manifest` says what an archive holds, `databases` copies and restores the database,
`archive` writes and reads the archives."""

from yaowen.core.backup.archive import (
    Restored,
    Staged,
    archive_restore,
    archive_stage,
    backup_create,
    instance_content,
    media_names,
)
from yaowen.core.backup.manifest import (
    DATABASE_MEMBER,
    KIND_NAMES,
    MANIFEST,
    BackupError,
    Manifest,
)

__all__ = [
    "DATABASE_MEMBER",
    "KIND_NAMES",
    "MANIFEST",
    "BackupError",
    "Manifest",
    "Restored",
    "Staged",
    "archive_restore",
    "archive_stage",
    "backup_create",
    "instance_content",
    "media_names",
]
