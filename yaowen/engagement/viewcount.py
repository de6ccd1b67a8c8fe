"""Article view counts: recorded without touching the database, written in batches.

A view is buffered where it is recorded and moved to `Article.view_count` later, so the
request path never writes to the database. Repeated views of one article by the same
reader (a logged-in user, or else one client address and browser) within
VIEW_WINDOW_SECONDS count once.

Two buffers, chosen from the cache settings:

- Memory (the default): each process keeps its own counts and flushes them from a daemon
  thread every VIEW_FLUSH_SECONDS and at exit. A crash loses the crashed process's unflushed
  views; the de-duplication window is per process.
- Redis (when the cache is Redis): counts live in one hash shared by every process and are
  flushed by `manage.py flush_views`. Nothing is lost by a crash; see `RedisViewBuffer.flush`
  for the one narrow window in which a batch can be counted twice. Flushed views also move
  the live hot lists (`recommend.hotset`), so the page itself never waits on them.

docs/operations.md ("View counts") describes operation; VIEW_COUNTING=off disables counting.
"""

import atexit
import hashlib
import logging
import os
import threading
import time
import uuid
import weakref
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol

import redis
from django.conf import settings
from django.db import connection, connections, transaction
from django.http import HttpRequest
from redis.backoff import NoBackoff
from redis.retry import Retry

from config.env import env_bool
from yaowen.core import ratelimit
from yaowen.core.cache import Outage
from yaowen.jobs.events import announce
from yaowen.newsroom.models import Article

logger = logging.getLogger(__name__)

VIEW_WINDOW_SECONDS = 30 * 60
VIEW_FLUSH_SECONDS = 10
# Bounds each process's de-duplication map (about 170 bytes an entry, so 17 MB); past it the
# oldest entries are dropped, and those readers may be counted again before the window ends.
MAX_SEEN = 100_000
# Read once at start: VIEW_COUNTING=off makes view_record a no-op (benchmarks, emergencies).
COUNTING_ENABLED = env_bool("VIEW_COUNTING", True)
WRITE_BATCH = 1000
# After Redis fails, views are not sent to it for this long (not counted).
RETRY_SECONDS = 2.0


class ViewBuffer(Protocol):
    name: str

    def record(self, viewer: str, article_id: int) -> bool: ...

    def forget(self, viewer: str, article_id: int) -> None: ...

    def pending(self) -> dict[int, int]: ...

    def flush(self) -> int: ...


def viewer_key(request: HttpRequest) -> str:
    """Who is viewing: "u:<id>" for a logged-in reader, else a hash of address and browser.

    Anonymous readers get no cookie, so pages served from the page cache still count; the
    cost is that readers behind one NAT address with the same browser count as one.
    `request.user` is only looked at when a session cookie is present, so an anonymous
    request never loads a session.
    """
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return f"u:{user.pk}"
    address = request.META.get("REMOTE_ADDR", "")
    agent = request.META.get("HTTP_USER_AGENT", "")[:512]
    digest = hashlib.blake2b(f"{address}\n{agent}".encode(), digest_size=8).hexdigest()
    return f"c:{digest}"


def view_record(request: HttpRequest, article_id: int) -> bool:
    """Count one view of the article unless this reader viewed it within the window.

    Returns True if the view was counted. Never touches the database: the article view
    calls it on every 200 response, including pages answered from the page cache.
    """
    if not COUNTING_ENABLED:
        return False
    viewer, buffer = viewer_key(request), backend()
    counted = buffer.record(viewer, article_id)
    if counted:
        # A page the database then refuses (the 503 page) was not viewed: take it back.
        ratelimit.refund_if_refused(lambda: buffer.forget(viewer, article_id))
    return counted


def views_flush() -> int:
    """Write this process's (memory) or everyone's (Redis) buffered views; returns views."""
    return backend().flush()


def counts_write(counts: dict[int, int]) -> int:
    """Add buffered counts to `Article.view_count` in one transaction; returns the views.

    Rows are updated in id order so two flushes running at once cannot deadlock. The
    update leaves `updated_at` alone, so page-cache keys do not change.
    """
    rows = sorted((article_id, n) for article_id, n in counts.items() if n > 0)
    if not rows:
        return 0
    table = connection.ops.quote_name(Article._meta.db_table)
    sql = f"UPDATE {table} SET view_count = view_count + %s WHERE id = %s"
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(rows), WRITE_BATCH):
            cursor.executemany(sql, [(n, pk) for pk, n in rows[start : start + WRITE_BATCH]])
    return sum(n for _, n in rows)


class MemoryViewBuffer:
    """Per-process counts and de-duplication, flushed by a thread of the same process.

    A management command runs in another process and cannot see this memory, so each
    process flushes its own buffer: from a daemon thread started on the first recorded view
    (one per process, started again in a forked child) and at interpreter exit.
    """

    name = "memory"

    def __init__(
        self,
        *,
        window: float = VIEW_WINDOW_SECONDS,
        flush_seconds: float | None = None,
        max_seen: int = MAX_SEEN,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.window = window
        # 0 disables the flush thread (and the flush at exit): tests flush explicitly.
        self.flush_seconds = (
            getattr(settings, "VIEW_FLUSH_SECONDS", VIEW_FLUSH_SECONDS)
            if flush_seconds is None
            else flush_seconds
        )
        self.max_seen = max_seen
        self.clock = clock
        self._atexit_registered = False
        self._reset()
        _memory_buffers.add(self)

    def _reset(self) -> None:
        # Also run in a forked child: the parent's lock may be held and its counts are the
        # parent's to flush.
        self._lock = threading.Lock()
        self._counts: dict[int, int] = {}
        # hash((viewer, article)) -> expiry, in expiry order because the window is fixed.
        self._seen: OrderedDict[int, float] = OrderedDict()
        self._flusher_pid: int | None = None
        self._flusher: threading.Thread | None = None
        self._stop = threading.Event()
        self._database = None

    def record(self, viewer: str, article_id: int) -> bool:
        now = self.clock()
        # A 64-bit hash stands for the pair: a third of the memory, and a collision (a view
        # not counted) is vanishingly rare.
        key = hash((viewer, article_id))
        with self._lock:
            if self._flusher_pid != os.getpid():
                self._flusher_start()
            seen = self._seen
            # Drop a few expired entries from the oldest end on every call, which keeps up
            # with insertions (one per call) without ever doing a long sweep here.
            for _ in range(64):
                if not seen:
                    break
                oldest, expiry = next(iter(seen.items()))
                if expiry > now:
                    break
                del seen[oldest]
            expiry = seen.get(key)
            if expiry is not None and expiry > now:
                return False
            seen[key] = now + self.window
            seen.move_to_end(key)
            if len(seen) > self.max_seen:
                seen.popitem(last=False)
            self._counts[article_id] = self._counts.get(article_id, 0) + 1
            return True

    def forget(self, viewer: str, article_id: int) -> None:
        """Take back a view `record` counted (unless it was flushed meanwhile)."""
        with self._lock:
            if self._seen.pop(hash((viewer, article_id)), None) is None:
                return
            left = self._counts.get(article_id, 0) - 1
            if left > 0:
                self._counts[article_id] = left
            else:
                self._counts.pop(article_id, None)

    def pending(self) -> dict[int, int]:
        with self._lock:
            return dict(self._counts)

    def flush(self) -> int:
        with self._lock:
            counts, self._counts = self._counts, {}
        if not counts:
            return 0
        try:
            return counts_write(counts)
        except BaseException:
            # Keep the views for the next flush rather than losing them.
            with self._lock:
                for article_id, n in counts.items():
                    self._counts[article_id] = self._counts.get(article_id, 0) + n
            raise

    def _flusher_start(self) -> None:
        self._flusher_pid = os.getpid()
        if not self.flush_seconds or self.flush_seconds <= 0:
            return
        self._database = connections["default"].settings_dict["NAME"]
        self._stop = threading.Event()
        self._flusher = threading.Thread(
            target=self._flush_loop,
            args=(self._stop,),
            name="yaowen-view-flush",
            daemon=True,
        )
        self._flusher.start()
        if not self._atexit_registered:
            atexit.register(self._flush_at_exit)
            self._atexit_registered = True

    def _flush_loop(self, stop: threading.Event) -> None:
        while not stop.wait(self.flush_seconds):
            self._flush_quietly()

    def _flush_quietly(self) -> None:
        if not self._counts:
            return
        if connections["default"].settings_dict["NAME"] != self._database:
            # Views recorded against one database (a test database, say) are never written
            # to another one (the database it replaced, at exit).
            with self._lock:
                dropped, self._counts = sum(self._counts.values()), {}
            # Info, not a warning: this is the normal end of a test run.
            logger.info("The database changed; %s buffered views dropped.", dropped)
            return
        try:
            self.flush()
        except Exception:
            logger.exception("Could not write view counts; they are kept for the next flush.")
        finally:
            # This thread's own connections: it runs outside any request, so nothing else
            # would ever close them.
            connections.close_all()

    def _flush_at_exit(self) -> None:
        self._stop.set()
        # Let a flush in progress finish: the interpreter would kill the daemon thread
        # halfway, and the views it had taken would be lost.
        if self._flusher is not None and self._flusher is not threading.current_thread():
            self._flusher.join(timeout=10)
        self._flush_quietly()

    def stop(self) -> None:
        """Stop this process's flush thread and forget the flush at exit (tests)."""
        self._stop.set()
        if self._flusher is not None:
            self._flusher.join(timeout=5)
        atexit.unregister(self._flush_at_exit)
        self._atexit_registered = False


_memory_buffers: "weakref.WeakSet[MemoryViewBuffer]" = weakref.WeakSet()


def _reset_after_fork() -> None:
    for buffer in list(_memory_buffers):
        buffer._reset()


os.register_at_fork(after_in_child=_reset_after_fork)


# Set the "seen" key only if absent (it expires with the window); count only if it was set.
_RECORD_LUA = """
if redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) then
  return redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
end
return 0
"""
# Take a counted view back: only if its "seen" key was still there (it was this view's).
_FORGET_LUA = """
if redis.call('DEL', KEYS[1]) == 1 then
  return redis.call('HINCRBY', KEYS[2], ARGV[1], -1)
end
return 0
"""
# Move the pending counts aside under a batch id the next flush will find even after a crash.
_CLAIM_LUA = """
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('RENAME', KEYS[1], KEYS[2])
  redis.call('SADD', KEYS[3], ARGV[1])
  return 1
end
return 0
"""
_UNLOCK_LUA = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""
FLUSH_LOCK_SECONDS = 300


class RedisViewBuffer:
    """Counts and de-duplication in Redis, shared by every process; flushed by a command.

    Keys (under `prefix`, "yw:views:" by default): `seen:<article>:<viewer>` (expires with
    the window), the `pending` hash (article id -> views), `flushing:<batch>` hashes being
    written, the `batches` set naming them, and `flush-lock`.
    """

    name = "redis"

    def __init__(
        self, client, *, prefix: str = "yw:views:", window: float = VIEW_WINDOW_SECONDS
    ) -> None:
        self.client = client
        self.prefix = prefix
        self.window_ms = max(1, int(window * 1000))
        # A Redis that fails is logged once a minute and left alone for a moment
        # (core.cache.Outage): a hanging server must not cost every page its timeout.
        self.outage = Outage(f"Redis view counts ({prefix})", retry_seconds=RETRY_SECONDS)
        self._record = client.register_script(_RECORD_LUA)
        self._forget = client.register_script(_FORGET_LUA)
        self._claim = client.register_script(_CLAIM_LUA)
        self._unlock = client.register_script(_UNLOCK_LUA)

    def key(self, name: str) -> str:
        return f"{self.prefix}{name}"

    def record(self, viewer: str, article_id: int) -> bool:
        if self.outage.paused:
            return False
        try:
            counted = self._record(
                keys=[self.key(f"seen:{article_id}:{viewer}"), self.key("pending")],
                args=[self.window_ms, article_id],
            )
        except redis.RedisError as exc:
            # A view is not worth failing the page for.
            self.outage.failed("record a view", exc)
            return False
        self.outage.succeeded()
        return bool(counted)

    def forget(self, viewer: str, article_id: int) -> None:
        """Take back a view `record` counted. Were its batch claimed by a flush meanwhile,
        the -1 lands in the next batch, where counts_write ignores what is not positive."""
        try:
            self._forget(
                keys=[self.key(f"seen:{article_id}:{viewer}"), self.key("pending")],
                args=[article_id],
            )
        except redis.RedisError as exc:
            self.outage.failed("take back a view", exc)

    def pending(self) -> dict[int, int]:
        return {int(k): int(v) for k, v in self.client.hgetall(self.key("pending")).items()}

    def flush(self) -> int:
        """Write every pending batch to the database; returns the views written.

        Pending counts are renamed to a batch first, atomically, and a batch is deleted only
        after its transaction commits, so a crash at any point loses nothing: the next flush
        writes the batches it finds. One window remains: dying between the commit and the
        delete (one Redis round trip) makes the next flush write that batch again. A flush
        already running (the lock) makes this one return 0.
        """
        token = uuid.uuid4().hex
        lock = self.key("flush-lock")
        if not self.client.set(lock, token, nx=True, ex=FLUSH_LOCK_SECONDS):
            logger.info("Another view flush is running; skipped.")
            return 0
        try:
            batches = self.key("batches")
            self._claim(
                keys=[self.key("pending"), self.key(f"flushing:{token}"), batches], args=[token]
            )
            written = 0
            for batch in sorted(self.client.smembers(batches)):
                batch_id = batch.decode() if isinstance(batch, bytes) else batch
                batch_key = self.key(f"flushing:{batch_id}")
                counts = {int(k): int(v) for k, v in self.client.hgetall(batch_key).items()}
                written += counts_write(counts)
                pipe = self.client.pipeline(transaction=True)
                pipe.delete(batch_key)
                pipe.srem(batches, batch_id)
                pipe.execute()
                # Only now, so the hot lists never widen the window in which a crash
                # makes the next flush write this batch again.
                _hot_lists_add(batch_id, counts)
            return written
        finally:
            self._unlock(keys=[lock], args=[token])


def _hot_lists_add(batch_id: str, counts: dict[int, int]) -> None:
    """Announce views just written (Redis only), for the live hot lists; they are derived
    data, so a failure is logged and the next hot refresh catches up."""
    if not counts:
        return
    try:
        with transaction.atomic():
            announce("views.flushed", batch=batch_id, counts=counts)
    except Exception:
        logger.exception("Could not announce flushed views to the hot lists.")


_backend: ViewBuffer | None = None
_backend_lock = threading.Lock()


def buffer_from_settings(**options) -> ViewBuffer:
    """A Redis buffer when the default cache is Redis (REDIS_URL), else a memory buffer."""
    url = redis_url()
    if url is None:
        return MemoryViewBuffer(**options)
    options.setdefault("prefix", f"{redis_key_prefix()}:views:")
    return RedisViewBuffer(redis_client(url), **options)


def redis_url() -> str | None:
    """The Redis server the default cache writes to, or None when the cache is not Redis."""
    cache = settings.CACHES["default"]
    if not cache["BACKEND"].endswith("RedisCache"):
        return None
    location = cache["LOCATION"]
    # Like Django's RedisCache, the first of several servers is the one written to.
    url = location[0] if isinstance(location, list | tuple) else location.split(",")[0]
    return url.strip()


def redis_key_prefix() -> str:
    """The prefix our own Redis keys share with the cache's (CACHE_KEY_PREFIX, "yw")."""
    return settings.CACHES["default"].get("KEY_PREFIX") or "yw"


def redis_client(url: str) -> redis.Redis:
    """A client that fails fast: a Redis outage must not hold a page up with retries."""
    # One immediate retry covers a pooled connection that Redis closed.
    return redis.Redis.from_url(
        url, socket_connect_timeout=0.5, socket_timeout=0.5, retry=Retry(NoBackoff(), 1)
    )


def backend() -> ViewBuffer:
    """This process's view buffer, chosen once from the settings."""
    global _backend
    if _backend is None:
        with _backend_lock:
            if _backend is None:
                _backend = buffer_from_settings()
    return _backend
