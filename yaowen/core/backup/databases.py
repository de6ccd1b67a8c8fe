"""The database half of a backup: a consistent copy taken while the site runs, put back
into an instance, and every table's row count (SQLite's backup API; PostgreSQL's
`pg_dump`/`pg_restore` inside an exported snapshot)."""

import contextlib
import os
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection, connections, transaction

from yaowen.core.backup.manifest import DATABASE_MEMBER, BackupError


def database_kind() -> str:
    """ "sqlite" or "postgresql": the instance's database, as manifests name it."""
    if connection.vendor not in DATABASE_MEMBER:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")
    return connection.vendor


def snapshot(target: Path) -> dict[str, int]:
    """Copy the database into `target` while the site runs; every table's row count in
    that copy."""
    if database_kind() == "sqlite":
        return _sqlite_snapshot(target)
    return _postgresql_snapshot(target)


def restore(staged: Path) -> None:
    """Replace this instance's database with the copy `staged` (of the same kind)."""
    connections.close_all()
    if database_kind() == "sqlite":
        _sqlite_restore(staged)
        return
    _pg_tool(
        "pg_restore",
        "--no-password",
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        f"--dbname={connection.settings_dict['NAME']}",
        str(staged),
    )


def table_counts() -> dict[str, int]:
    """Every table's row count in this instance's database."""
    if database_kind() == "sqlite":
        return sqlite_counts(Path(connection.settings_dict["NAME"]))
    with connection.cursor() as cursor:
        return _pg_counts(cursor)


# -- SQLite -------------------------------------------------------------------------------


def _sqlite_snapshot(target: Path) -> dict[str, int]:
    """SQLite's online backup in one step: one read transaction, so the writers carry on
    (WAL) and the copy is one moment of the site. Counted and checked on the copy."""
    connection.ensure_connection()
    with contextlib.closing(sqlite3.connect(target)) as copy:
        connection.connection.backup(copy)
    return sqlite_counts(target)


def sqlite_counts(path: Path) -> dict[str, int]:
    """Every ordinary table's row count in the SQLite file `path`, after SQLite's own
    quick check of it (virtual tables are counted through their shadow tables)."""
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as database:
            (check,) = database.execute("PRAGMA quick_check").fetchone()
            if check != "ok":
                raise BackupError(f"The database copy is damaged: {check}")
            names = [
                row[0]
                for row in database.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE"
                    " 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name"
                )
            ]
            return {
                name: database.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
                for name in names
            }
    except sqlite3.DatabaseError as error:
        raise BackupError(f"The database file is not a usable SQLite database ({error}).") from None


def _sqlite_restore(staged: Path) -> None:
    """SQLite's backup API into the configured file: it replaces every page of the
    destination in one transaction, whether the file is new or a freshly migrated one."""
    target = Path(connection.settings_dict["NAME"])
    target.parent.mkdir(parents=True, exist_ok=True)
    with (
        contextlib.closing(sqlite3.connect(f"file:{staged}?mode=ro", uri=True)) as source,
        contextlib.closing(sqlite3.connect(target, timeout=20)) as destination,
    ):
        try:
            source.backup(destination)
        except sqlite3.DatabaseError as error:
            raise BackupError(f"Could not write the database {target}: {error}") from None


# -- PostgreSQL ---------------------------------------------------------------------------


def _postgresql_snapshot(target: Path) -> dict[str, int]:
    """`pg_dump --format=custom` inside a snapshot this connection exports and counts in,
    so the manifest's counts are exactly the dump's."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (exported,) = cursor.fetchone()
        counts = _pg_counts(cursor)
        _pg_tool(
            "pg_dump",
            "--format=custom",
            "--no-password",
            f"--snapshot={exported}",
            f"--file={target}",
        )
    return counts


def _pg_counts(cursor) -> dict[str, int]:
    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = ANY(current_schemas(false))"
        " ORDER BY tablename"
    )
    counts = {}
    for (name,) in cursor.fetchall():
        cursor.execute(f'SELECT count(*) FROM "{name}"')
        counts[name] = cursor.fetchone()[0]
    return counts


def _pg_environment() -> dict[str, str]:
    """libpq's variables for `pg_dump`/`pg_restore`: the password stays out of argv."""
    config = connection.settings_dict
    values = {
        "PGHOST": config.get("HOST"),
        "PGPORT": config.get("PORT"),
        "PGUSER": config.get("USER"),
        "PGPASSWORD": config.get("PASSWORD"),
        "PGDATABASE": config.get("NAME"),
        "PGSSLMODE": config.get("OPTIONS", {}).get("sslmode"),
    }
    return {**os.environ, **{key: str(value) for key, value in values.items() if value}}


def _pg_tool(*args: str) -> None:
    try:
        done = subprocess.run(
            args, env=_pg_environment(), capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        raise BackupError(
            f"{args[0]} is not installed (Debian: apt-get install postgresql-client)."
        ) from None
    if done.returncode:
        detail = "\n".join(done.stderr.strip().splitlines()[-5:])
        raise BackupError(f"{args[0]} failed (exit code {done.returncode}):\n{detail}")
