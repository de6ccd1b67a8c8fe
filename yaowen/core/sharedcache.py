"""The default cache: one SQLite file on local disk that every process of the site shares.

Without `REDIS_URL` the web workers, the queue consumer and every `manage.py` command read
and write one cache (`CACHE_DIR`, `var/cache/` by default): a page invalidated by one
process is gone for all of them, and a rate-limit window counts every worker's hits.

Each operation is one SQL statement on a connection each thread keeps open, in WAL mode
(readers never wait for the writer): `add` and `incr` are single atomic statements, so they
hold across processes as Redis's do. bench/shared_cache.py measured this against diskcache,
Django's file and database caches (docs/benchmarks.md): reads cost about what local memory
costs; a write, one short transaction, a few tens of µs.

Values are pickled, except integers, stored as SQLite integers so that `incr` adds in SQL.
About every CULL_EVERY writes a process deletes the expired rows, and the soonest to expire
when the cache holds more than MAX_ENTRIES rows (OPTIONS, as for Django's own caches); keys
under KEPT_PREFIX (rate-limit counters, the login throttle) are never dropped for room, so
a flood of new pages cannot evict them.

Both shared caches degrade (`Degrading`): when the store fails (Redis down or hanging, the
disk full, a lock held too long), reads are misses and writes are skipped, logged once a
minute per process (`core.cache.Outage`), and the store is not tried again for
RETRY_SECONDS. `RedisCache` is Django's with that, and with short socket timeouts.
"""

import os
import pickle
import random
import sqlite3
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from redis.backoff import NoBackoff
from redis.retry import Retry

from yaowen.core.cache import outage

FILE_NAME = "cache.sqlite3"
# A statement that finds another process's write under way retries for this long, then
# fails like any database error: no write holds the lock for more than one statement.
LOCK_WAIT_SECONDS = 5.0
# Roughly every this many writes (chosen at random, so processes do not cull together).
CULL_EVERY = 1000
# No expiry: SQLite stores this REAL like any other time.
NEVER = float("inf")
# Keys under this prefix are dropped only when they expire, never to make room.
KEPT_PREFIX = "rl:"
# After a failure the store is left alone this long: reads miss and writes are skipped.
RETRY_SECONDS = 2.0

_SCHEMA = (
    # `expires` before `value`: reading it never walks a large value's overflow pages.
    "CREATE TABLE IF NOT EXISTS cache ("
    " key TEXT PRIMARY KEY NOT NULL, expires REAL NOT NULL, value BLOB NOT NULL)"
)


class SQLiteStore(BaseCache):
    """A Django cache in one SQLite file (LOCATION is its directory), shared by processes;
    its errors reach the caller (`SQLiteCache` is the one to configure)."""

    def __init__(self, location: str, params: dict[str, Any]) -> None:
        super().__init__(params)
        self._path = Path(location) / FILE_NAME
        self._local = threading.local()

    # Connections -------------------------------------------------------------------------

    @property
    def _db(self) -> sqlite3.Connection:
        """This thread's connection, opened on first use (and again after a fork)."""
        local = self._local
        con = getattr(local, "con", None)
        if con is None or local.pid != os.getpid():
            con = self._open()
            local.con, local.pid = con, os.getpid()
        return con

    def _open(self) -> sqlite3.Connection:
        self._path.parent.mkdir(parents=True, exist_ok=True)
        # Autocommit: each statement is its own transaction; a busy write is retried here
        # (_write) with short sleeps rather than SQLite's millisecond-long ones.
        con = sqlite3.connect(self._path, timeout=0, isolation_level=None)
        self._retry(con.execute, "PRAGMA journal_mode=WAL")
        for pragma in (
            # A cache loses nothing that matters in a power cut; WAL keeps it consistent.
            "PRAGMA synchronous=NORMAL",
            "PRAGMA mmap_size=268435456",
            "PRAGMA temp_store=MEMORY",
        ):
            con.execute(pragma)
        self._retry(con.execute, _SCHEMA)
        return con

    def close(self, **kwargs: Any) -> None:
        """Django calls this when every request finishes: the connection stays open."""

    def _retry(self, call, *args):
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        pause = 0.00005
        while True:
            try:
                return call(*args)
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
                if time.monotonic() > deadline:
                    raise
                time.sleep(pause)
                pause = min(pause * 2, 0.002)

    def _read(self, sql: str, parameters: Iterable[Any] = ()) -> sqlite3.Cursor:
        # Readers do not wait for writers in WAL mode, but may for a moment in rare cases
        # (another connection recovering the WAL index).
        return self._retry(self._db.execute, sql, parameters)

    def _write(self, sql: str, parameters: Iterable[Any] = ()) -> sqlite3.Cursor:
        cursor = self._retry(self._db.execute, sql, parameters)
        if random.randrange(CULL_EVERY) == 0:
            self._cull()
        return cursor

    # Values ------------------------------------------------------------------------------

    @staticmethod
    def _dump(value: Any) -> Any:
        if type(value) is int and -(2**63) <= value < 2**63:
            return value
        return pickle.dumps(value, pickle.HIGHEST_PROTOCOL)

    @staticmethod
    def _load(stored: Any) -> Any:
        return stored if type(stored) is int else pickle.loads(stored)

    def _expires(self, timeout: Any) -> float:
        expires = self.get_backend_timeout(timeout)
        return NEVER if expires is None else expires

    # The cache API -----------------------------------------------------------------------

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        key = self.make_and_validate_key(key, version=version)
        row = self._read(
            "SELECT value FROM cache WHERE key = ? AND expires > ?", (key, time.time())
        ).fetchone()
        return default if row is None else self._load(row[0])

    def get_many(self, keys: Iterable[str], version: int | None = None) -> dict[str, Any]:
        wanted = {self.make_and_validate_key(key, version=version): key for key in keys}
        if not wanted:
            return {}
        marks = ",".join("?" * len(wanted))
        rows = self._read(
            f"SELECT key, value FROM cache WHERE key IN ({marks}) AND expires > ?",
            (*wanted, time.time()),
        ).fetchall()
        return {wanted[key]: self._load(value) for key, value in rows}

    def has_key(self, key: str, version: int | None = None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        row = self._read(
            "SELECT 1 FROM cache WHERE key = ? AND expires > ?", (key, time.time())
        ).fetchone()
        return row is not None

    def set(
        self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> None:
        key = self.make_and_validate_key(key, version=version)
        self._write(
            "INSERT INTO cache (key, expires, value) VALUES (?, ?, ?) ON CONFLICT (key) DO "
            "UPDATE SET expires = excluded.expires, value = excluded.value",
            (key, self._expires(timeout), self._dump(value)),
        )

    def add(
        self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        """Store only if the key is absent or expired: one statement, atomic."""
        key = self.make_and_validate_key(key, version=version)
        cursor = self._write(
            "INSERT INTO cache (key, expires, value) VALUES (?, ?, ?) ON CONFLICT (key) DO "
            "UPDATE SET expires = excluded.expires, value = excluded.value "
            "WHERE cache.expires <= ?",
            (key, self._expires(timeout), self._dump(value), time.time()),
        )
        return cursor.rowcount == 1

    def set_many(
        self, data: dict[str, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> list[str]:
        """Every value in one transaction: readers see all of them or none."""
        expires = self._expires(timeout)
        rows = [
            (self.make_and_validate_key(key, version=version), expires, self._dump(value))
            for key, value in data.items()
        ]
        if rows:
            self._transaction(
                lambda db: db.executemany(
                    "INSERT INTO cache (key, expires, value) VALUES (?, ?, ?) ON CONFLICT (key) "
                    "DO UPDATE SET expires = excluded.expires, value = excluded.value",
                    rows,
                )
            )
        return []

    def _transaction(self, work) -> None:
        db = self._db

        def run() -> None:
            db.execute("BEGIN IMMEDIATE")
            try:
                work(db)
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

        self._retry(run)

    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        """Add in SQL, atomic across processes; ValueError if the key is absent, as Django's
        caches do. The window (expiry) stays as `add` set it."""
        full = self.make_and_validate_key(key, version=version)
        row = self._write(
            "UPDATE cache SET value = value + ? WHERE key = ? AND expires > ? "
            "AND typeof(value) = 'integer' RETURNING value",
            (delta, full, time.time()),
        ).fetchall()
        if row:
            return row[0][0]
        # Absent, or not stored as an integer (a pickled bool, a big number): Django's way.
        value = self.get(key, version=version)
        if value is None:
            raise ValueError(f"Key '{key}' not found")
        new = value + delta
        self.set(key, new, version=version)
        return new

    def touch(self, key: str, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        cursor = self._write(
            "UPDATE cache SET expires = ? WHERE key = ? AND expires > ?",
            (self._expires(timeout), key, time.time()),
        )
        return cursor.rowcount == 1

    def delete(self, key: str, version: int | None = None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        return self._write("DELETE FROM cache WHERE key = ?", (key,)).rowcount == 1

    def delete_many(self, keys: Iterable[str], version: int | None = None) -> None:
        full = [self.make_and_validate_key(key, version=version) for key in keys]
        if full:
            self._write(f"DELETE FROM cache WHERE key IN ({','.join('?' * len(full))})", full)

    def clear(self) -> None:
        self._retry(self._db.execute, "DELETE FROM cache")

    # Culling -----------------------------------------------------------------------------

    def _cull(self) -> None:
        """Delete expired rows; past MAX_ENTRIES, also the 1/CULL_FREQUENCY soonest to
        expire (what Django's own caches drop when full). Rows under KEPT_PREFIX neither
        count nor go: counters must not be pushed out by pages."""
        db = self._db
        self._retry(db.execute, "DELETE FROM cache WHERE expires <= ?", (time.time(),))
        kept = self.make_key(KEPT_PREFIX)
        others = "substr(key, 1, ?) != ?"
        count = self._read(
            f"SELECT COUNT(*) FROM cache WHERE {others}", (len(kept), kept)
        ).fetchone()[0]
        if count > self._max_entries:
            drop = max(1, count // self._cull_frequency) if self._cull_frequency else count
            self._retry(
                db.execute,
                "DELETE FROM cache WHERE key IN "
                f"(SELECT key FROM cache WHERE {others} ORDER BY expires LIMIT ?)",
                (len(kept), kept, drop),
            )


class Degrading:
    """Mixin for a cache backend: an error of its store (`failures`) makes a read a miss and
    a write a no-op instead of failing the request, and is logged once a minute per process.
    After a failure the store is not tried for RETRY_SECONDS.

    What each operation answers while the store fails: `get` its default, `get_many` {},
    `has_key`, `add`, `touch` and `delete` False, `set_many` every key (as failed), `incr`
    and `decr` ValueError (as for a missing key). `outage.down` tells a caller that needs to
    know (rate limits, `core.cache.cached_shared`).
    """

    failures: tuple[type[BaseException], ...] = ()

    def __init__(self, location: Any, params: dict[str, Any]) -> None:
        super().__init__(location, params)  # type: ignore[call-arg]
        # Shared by the backend instances of every thread of the process.
        self.outage = outage(f"{type(self).__name__} {location}", retry_seconds=RETRY_SECONDS)

    def _guarded(self, action: str, fallback: Any, call, *args: Any, **kwargs: Any) -> Any:
        state = self.outage
        if state.paused:
            return fallback
        try:
            result = call(*args, **kwargs)
        except self.failures as exc:
            state.failed(action, exc)
            return fallback
        state.succeeded()
        return result

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        return self._guarded("read", default, super().get, key, default, version)

    def get_many(self, keys: Iterable[str], version: int | None = None) -> dict[str, Any]:
        return self._guarded("read", {}, super().get_many, keys, version)

    def has_key(self, key: str, version: int | None = None) -> bool:
        return self._guarded("read", False, super().has_key, key, version)

    def set(
        self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> None:
        self._guarded("write", None, super().set, key, value, timeout, version)

    def add(
        self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        return self._guarded("write", False, super().add, key, value, timeout, version)

    def set_many(
        self, data: dict[str, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> list[str]:
        return self._guarded("write", list(data), super().set_many, data, timeout, version)

    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        result = self._guarded("write", _MISSED, super().incr, key, delta, version)
        if result is _MISSED:
            raise ValueError(f"Key '{key}' not found (the cache is failing)")
        return result

    def touch(self, key: str, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._guarded("write", False, super().touch, key, timeout, version)

    def delete(self, key: str, version: int | None = None) -> bool:
        return self._guarded("write", False, super().delete, key, version)

    def delete_many(self, keys: Iterable[str], version: int | None = None) -> None:
        self._guarded("write", None, super().delete_many, keys, version)

    def clear(self) -> None:
        self._guarded("write", None, super().clear)


_MISSED = object()


class SQLiteCache(Degrading, SQLiteStore):
    """The default cache: `SQLiteStore`, degrading when its file cannot be read or written
    (disk full, read-only, a lock held past LOCK_WAIT_SECONDS)."""

    failures = (sqlite3.Error, OSError)


class RedisCache(Degrading, DjangoRedisCache):
    """Django's Redis cache (REDIS_URL), degrading while Redis is down, and failing fast: a
    Redis that hangs holds a request up at most about a second per RETRY_SECONDS."""

    failures = (redis.RedisError,)

    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        options = {
            "socket_connect_timeout": 0.5,
            "socket_timeout": 1.0,
            # One immediate retry covers a pooled connection Redis closed (a restart).
            "retry": Retry(NoBackoff(), 1),
            **params.get("OPTIONS", {}),
        }
        super().__init__(server, {**params, "OPTIONS": options})
