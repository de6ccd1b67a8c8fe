"""Writing and reading backup archives: the database copy, every media file through the
storage API, the manifest; a restore reads the whole archive before changing anything and
checks what it wrote against the manifest."""

import contextlib
import datetime as dt
import gzip
import io
import os
import shutil
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from tqdm import tqdm

import yaowen.core.backup.databases as databases
from yaowen.core.backup.manifest import (
    CHUNK,
    DATABASE_MEMBER,
    KIND_NAMES,
    MANIFEST,
    MEDIA,
    BackupError,
    Manifest,
    Say,
    code_commit,
    code_version,
    summary_tables,
)


@dataclass
class Restored:
    """What a restore did, for the command to report."""

    manifest: Manifest
    media_written: int = 0
    media_kept: int = 0
    unapplied_migrations: list[str] = field(default_factory=list)


# -- backup -------------------------------------------------------------------------------


def backup_create(
    *, folder: Path, media: bool = True, storage: Storage | None = None, say: Say = print
) -> tuple[Path, Manifest]:
    """Write one archive of the database and the media into `folder`; return its path.

    The database is one consistent snapshot taken while the site keeps running; the media
    are copied after it, and since stored names are never reused for other bytes, every file
    the snapshot names is in the archive (unless deleted meanwhile). The archive appears
    under its final name only once complete.
    """
    storage = storage or default_storage
    kind = databases.database_kind()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC)
    name = f"yaowen-{stamp:%Y%m%d-%H%M%S}-{kind}.tar.gz"
    final = folder / name
    partial = folder / f".{name}.partial"
    with tempfile.TemporaryDirectory(dir=folder, prefix=".backup-") as work:
        dump = Path(work) / DATABASE_MEMBER[kind]
        say(f"Copying the {KIND_NAMES[kind]} database …")
        tables = databases.snapshot(dump)
        try:
            # Level 1: the 2,000-article SQLite file (64 MB) packs to 24.5 MB in 1.9 s, level 6
            # to 21.4 MB in 5.5 s; images do not shrink at all.
            with (
                # Password hashes, e-mail addresses, sessions: readable by this user only.
                open(partial, "xb", opener=lambda path, flags: os.open(path, flags, 0o600)) as raw,
                tarfile.open(fileobj=raw, mode="w:gz", compresslevel=1) as archive,
            ):
                archive.add(dump, arcname=DATABASE_MEMBER[kind])
                files, size = _media_add(archive, storage, say) if media else (0, 0)
                manifest = Manifest(
                    created_at=stamp.isoformat(timespec="seconds"),
                    database=kind,
                    tables=tables,
                    media_files=files,
                    media_bytes=size,
                    version=code_version(),
                    commit=code_commit(),
                )
                _add_bytes(archive, MANIFEST, manifest.as_json())
            os.replace(partial, final)
        finally:
            partial.unlink(missing_ok=True)
    return final, manifest


def media_names(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file in the storage, depth first, through `listdir` (a filesystem or a bucket)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from media_names(storage, f"{folder}/{sub}" if folder else sub)


def _media_add(archive: tarfile.TarFile, storage: Storage, say: Say) -> tuple[int, int]:
    names = list(media_names(storage))
    say(f"Copying {len(names)} media files …")
    files = size = 0
    with tqdm(total=len(names), unit="file", desc="media", disable=None) as bar:
        for name in names:
            try:
                with storage.open(name, "rb") as source:
                    info = tarfile.TarInfo(MEDIA + name)
                    info.size = storage.size(name)
                    info.mtime = int(dt.datetime.now().timestamp())
                    archive.addfile(info, source)
            except FileNotFoundError:  # deleted since it was listed: not part of the site
                say(f"  {name} disappeared during the backup; skipped.")
            else:
                files += 1
                size += info.size
            bar.update(1)
    return files, size


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(dt.datetime.now().timestamp())
    archive.addfile(info, io.BytesIO(data))


# -- restore ------------------------------------------------------------------------------


@dataclass
class Staged:
    """An archive read through once: its manifest, its database file, its media names."""

    manifest: Manifest
    database: Path
    media: dict[str, int]


def archive_stage(archive: Path, work: Path) -> Staged:
    """Read the whole archive (so a truncated or damaged one is refused before anything
    changes), keep the database file in `work`, and check it against the manifest."""
    if not archive.is_file():
        raise BackupError(f"{archive} does not exist (or is not a file).")
    manifest_raw = database = None
    media: dict[str, int] = {}
    try:
        with _read(archive) as tar:
            for member in tar:
                name = member.name
                if not member.isfile() or not _safe(name):
                    raise BackupError(f"{archive} holds an unexpected entry: {name!r}.")
                source = tar.extractfile(member)
                if name == MANIFEST:
                    manifest_raw = source.read()
                elif name in DATABASE_MEMBER.values():
                    database = work / name
                    with open(database, "wb") as target:
                        shutil.copyfileobj(source, target, CHUNK)
                elif name.startswith(MEDIA):
                    media[name.removeprefix(MEDIA)] = member.size
                    while source.read(CHUNK):  # read to check the stream, kept nowhere
                        pass
                else:
                    raise BackupError(f"{archive} holds an unexpected entry: {name!r}.")
            # tar stops at the first unreadable header as if the archive ended there: read
            # the stream to its end, where gzip checks the length and checksum of it all.
            while tar.fileobj.read(CHUNK):
                pass
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as error:
        raise BackupError(
            f"{archive} is not a complete Yaowen backup (a tar.gz archive): {error}."
        ) from None
    if manifest_raw is None:
        raise BackupError(
            f"{archive} is not a Yaowen backup, or a damaged one: it has no {MANIFEST}."
        )
    manifest = Manifest.from_json(manifest_raw)
    if manifest.database not in DATABASE_MEMBER:
        raise BackupError(f"Unknown database kind in the backup: {manifest.database!r}.")
    if database is None or database.name != DATABASE_MEMBER[manifest.database]:
        raise BackupError(f"{archive} has no {KIND_NAMES[manifest.database]} database in it.")
    if len(media) != manifest.media_files or sum(media.values()) != manifest.media_bytes:
        raise BackupError(
            f"{archive} holds {len(media)} media files ({sum(media.values())} bytes), its "
            f"manifest names {manifest.media_files} ({manifest.media_bytes} bytes)."
        )
    kind = databases.database_kind()
    if manifest.database != kind:
        raise BackupError(
            f"This backup holds a {KIND_NAMES[manifest.database]} database and this instance "
            f"uses {KIND_NAMES[kind]}; restore it into an instance of the same kind "
            "(DATABASE_URL set for PostgreSQL, unset for SQLite)."
        )
    if kind == "sqlite" and databases.sqlite_counts(database) != manifest.tables:
        raise BackupError(f"The database in {archive} does not match its manifest's counts.")
    return Staged(manifest=manifest, database=database, media=media)


@contextlib.contextmanager
def _read(archive: Path) -> Iterator[tarfile.TarFile]:
    """The archive as a stream of members, through `gzip` (tarfile's own "r|gz" checks no
    checksum, so a damaged archive could pass for a shorter one)."""
    with gzip.open(archive, "rb") as stream, tarfile.open(fileobj=stream, mode="r|") as tar:
        yield tar


def _safe(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and name == str(path)


def instance_content(*, staged: Staged, storage: Storage | None = None) -> list[str]:
    """What the instance already holds that a restore would replace: rows of the summary
    tables, and media files of the archive's names with other sizes."""
    storage = storage or default_storage
    held = []
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for label, table in summary_tables().items():
            if table in existing:
                cursor.execute(f'SELECT count(*) FROM "{table}"')
                if rows := cursor.fetchone()[0]:
                    held.append(f"{rows} {label}")
    clashes = sum(
        1
        for name, size in staged.media.items()
        if storage.exists(name) and storage.size(name) != size
    )
    if clashes:
        held.append(f"{clashes} media files with other contents under the same names")
    return held


def archive_restore(
    *, archive: Path, staged: Staged, storage: Storage | None = None, say: Say = print
) -> Restored:
    """Replace this instance's database with the archive's, write its media, then check
    every table's row count and every file against the manifest."""
    storage = storage or default_storage
    manifest = staged.manifest
    say(f"Restoring the {KIND_NAMES[manifest.database]} database …")
    databases.restore(staged.database)
    tables = databases.table_counts()
    if tables != manifest.tables:
        wrong = sorted(
            name
            for name in manifest.tables.keys() | tables.keys()
            if manifest.tables.get(name) != tables.get(name)
        )
        raise BackupError(f"After the restore these tables' counts differ: {', '.join(wrong)}")
    restored = Restored(manifest=manifest)
    _media_restore(archive, staged, storage, restored, say)
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    restored.unapplied_migrations = [f"{m.app_label}.{m.name}" for m, _back in plan]
    return restored


def _media_restore(
    archive: Path, staged: Staged, storage: Storage, restored: Restored, say: Say
) -> None:
    say(f"Restoring {len(staged.media)} media files …")
    with (
        _read(archive) as tar,
        tqdm(total=len(staged.media), unit="file", desc="media", disable=None) as bar,
    ):
        for member in tar:
            if not member.name.startswith(MEDIA):
                continue
            name = member.name.removeprefix(MEDIA)
            if storage.exists(name):
                if storage.size(name) == member.size:  # names never change content
                    restored.media_kept += 1
                    bar.update(1)
                    continue
                storage.delete(name)  # only reached with --force (instance_content)
            # Media are images of a few megabytes at most (imaging.MAX_BYTES): read whole.
            written = storage.save(name, ContentFile(tar.extractfile(member).read()))
            if written != name:
                raise BackupError(f"The storage wrote {name} as {written}; media names differ.")
            restored.media_written += 1
            bar.update(1)
    missing = [
        name
        for name, size in staged.media.items()
        if not storage.exists(name) or storage.size(name) != size
    ]
    if missing:
        raise BackupError(
            f"{len(missing)} media files are missing after the restore: {missing[:5]}"
        )
