"""View counts: one per reader and window, buffered without queries, flushed exactly."""

import io
import os
import threading
import time
import uuid

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.test import RequestFactory
from django.utils.functional import SimpleLazyObject

from yaowen.core.tests.factories import ArticleFactory, UserFactory
from yaowen.engagement import viewcount
from yaowen.engagement.viewcount import (
    VIEW_WINDOW_SECONDS,
    MemoryViewBuffer,
    RedisViewBuffer,
    buffer_from_settings,
    redis_client,
    view_record,
    viewer_key,
    views_flush,
)
from yaowen.newsroom.models import Article

# The second pass sets REDIS_URL; the first unsets it, so fall back to bin/test's server.
REDIS_URL = (
    os.environ.get("REDIS_URL") or os.environ.get("TEST_REDIS_URL") or "redis://127.0.0.1:6379/15"
)
USING_REDIS = django_settings.CACHES["default"]["BACKEND"].endswith("RedisCache")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def page_request(address="10.0.0.1", agent="Mozilla/5.0 Test", user=None):
    request = RequestFactory().get("/a/1/", REMOTE_ADDR=address, HTTP_USER_AGENT=agent)
    if user is not None:
        request.COOKIES[django_settings.SESSION_COOKIE_NAME] = "session"
        request.user = user
    return request


def views_of(article) -> int:
    return Article.objects.values_list("view_count", flat=True).get(pk=article.pk)


def delete_namespace(client, prefix: str) -> None:
    keys = list(client.scan_iter(match=f"{prefix}*", count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture
def namespace():
    return f"yw-test-{uuid.uuid4().hex[:12]}:views:"


@pytest.fixture
def installed(monkeypatch, namespace):
    """The buffer the public functions use, chosen by the settings, in a test namespace."""
    if USING_REDIS:
        buffer = buffer_from_settings(prefix=namespace)
    else:
        buffer = buffer_from_settings(flush_seconds=0)
    monkeypatch.setattr(viewcount, "_backend", buffer)
    yield buffer
    if USING_REDIS:
        delete_namespace(buffer.client, namespace)
        buffer.client.close()


@pytest.fixture
def redis_buffer(redis_server, namespace):
    yield RedisViewBuffer(redis_server, prefix=namespace)
    delete_namespace(redis_server, namespace)


# Through the public functions, on whichever backend the settings choose.


def test_the_settings_choose_the_backend(installed):
    assert installed.name == ("redis" if USING_REDIS else "memory")


@pytest.mark.django_db
def test_same_reader_counts_once_within_the_window(installed):
    article = ArticleFactory(view_count=5)
    assert view_record(page_request(), article.pk) is True
    assert view_record(page_request(), article.pk) is False
    assert views_flush() == 1
    assert view_record(page_request(), article.pk) is False  # still in the window
    assert views_flush() == 0
    assert views_of(article) == 6


@pytest.mark.django_db
def test_different_readers_count_separately(installed):
    article = ArticleFactory()
    first, second = UserFactory(), UserFactory()
    readers = [
        page_request(address="10.0.0.1"),
        page_request(address="10.0.0.2"),
        page_request(address="10.0.0.1", agent="Another browser"),
        page_request(user=first),
        page_request(user=second),
    ]
    assert [view_record(request, article.pk) for request in readers] == [True] * 5
    # The logged-in reader is one reader wherever they read from.
    assert view_record(page_request(address="10.9.9.9", user=first), article.pk) is False
    assert views_flush() == 5
    assert views_of(article) == 5


@pytest.mark.django_db
def test_flush_writes_exact_counts_per_article(installed):
    articles = [ArticleFactory(view_count=start) for start in (0, 7, 100)]
    for index, article in enumerate(articles):
        for reader in range(index * 3 + 1):  # 1, 4 and 7 readers
            view_record(page_request(address=f"10.1.{index}.{reader}"), article.pk)
            view_record(page_request(address=f"10.1.{index}.{reader}"), article.pk)
    assert views_flush() == 12
    assert [views_of(article) for article in articles] == [1, 11, 107]
    assert views_flush() == 0


@pytest.mark.django_db
def test_flush_leaves_the_change_time_alone(installed):
    # The page cache's key carries `updated_at`: a flush must not empty the page cache.
    article = ArticleFactory()
    before = Article.objects.get(pk=article.pk).updated_at
    view_record(page_request(), article.pk)
    views_flush()
    assert Article.objects.get(pk=article.pk).updated_at == before


@pytest.mark.django_db
def test_recording_a_view_makes_no_query(installed, django_assert_num_queries):
    article = ArticleFactory()
    reader = UserFactory()
    with django_assert_num_queries(0):
        assert view_record(page_request(), article.pk) is True
        assert view_record(page_request(user=reader), article.pk) is True
        assert view_record(page_request(), article.pk) is False


def test_an_anonymous_request_never_loads_the_user():
    # No session cookie: request.user (a session and a user query) is never evaluated.
    request = page_request()
    request.user = SimpleLazyObject(lambda: pytest.fail("request.user was evaluated"))
    assert viewer_key(request).startswith("c:")


@pytest.mark.django_db
def test_viewer_keys():
    user = UserFactory()
    assert viewer_key(page_request(user=user)) == f"u:{user.pk}"
    anonymous = viewer_key(page_request())
    assert anonymous == viewer_key(page_request())
    assert anonymous != viewer_key(page_request(address="10.0.0.2"))
    assert anonymous != viewer_key(page_request(agent="Other"))
    # A session cookie without a logged-in user is still an anonymous client.
    assert viewer_key(page_request(user=AnonymousUser())) == anonymous


def test_view_counting_off_counts_nothing(installed, monkeypatch):
    monkeypatch.setattr(viewcount, "COUNTING_ENABLED", False)
    assert view_record(page_request(), 1) is False
    assert installed.pending() == {}


@pytest.mark.django_db
def test_flush_views_command(installed):
    article = ArticleFactory()
    view_record(page_request(), article.pk)
    view_record(page_request(address="10.0.0.2"), article.pk)
    out = io.StringIO()
    call_command("flush_views", stdout=out)
    assert "Flushed 2 views." in out.getvalue()
    assert ("flush their own buffers" in out.getvalue()) is (not USING_REDIS)
    assert views_of(article) == 2


# The memory buffer.


def test_memory_counts_again_after_the_window():
    clock = Clock()
    buffer = MemoryViewBuffer(flush_seconds=0, clock=clock)
    assert buffer.record("c:a", 1) is True
    clock.now += VIEW_WINDOW_SECONDS - 1
    assert buffer.record("c:a", 1) is False
    assert buffer.record("c:a", 2) is True
    clock.now += 2
    assert buffer.record("c:a", 1) is True
    assert buffer.pending() == {1: 2, 2: 1}


def test_memory_window_is_counted_from_the_counted_view():
    clock = Clock()
    buffer = MemoryViewBuffer(flush_seconds=0, clock=clock)
    buffer.record("c:a", 1)
    for _ in range(5):  # repeated views do not extend the window
        clock.now += VIEW_WINDOW_SECONDS / 5 - 1
        assert buffer.record("c:a", 1) is False
    clock.now += 10
    assert buffer.record("c:a", 1) is True


def test_memory_seen_map_is_bounded_and_drops_the_oldest():
    buffer = MemoryViewBuffer(flush_seconds=0, max_seen=3, clock=Clock())
    for viewer in "abcd":
        assert buffer.record(f"c:{viewer}", 1) is True
    assert len(buffer._seen) == 3
    assert buffer.record("c:d", 1) is False
    assert buffer.record("c:a", 1) is True  # dropped, so counted again


def test_memory_expired_entries_are_pruned():
    clock = Clock()
    buffer = MemoryViewBuffer(flush_seconds=0, clock=clock)
    for viewer in range(100):
        buffer.record(f"c:{viewer}", 1)
    clock.now += VIEW_WINDOW_SECONDS + 1
    for viewer in range(3):
        buffer.record(f"c:new{viewer}", 1)
    assert len(buffer._seen) < 100


@pytest.mark.django_db
def test_memory_flush_failure_keeps_the_views(monkeypatch):
    article = ArticleFactory()
    buffer = MemoryViewBuffer(flush_seconds=0)
    buffer.record("c:a", article.pk)

    def broken(counts):
        raise RuntimeError("database down")

    monkeypatch.setattr(viewcount, "counts_write", broken)
    with pytest.raises(RuntimeError):
        buffer.flush()
    buffer.record("c:b", article.pk)
    assert buffer.pending() == {article.pk: 2}
    monkeypatch.undo()
    assert buffer.flush() == 2
    assert views_of(article) == 2


def test_memory_flush_thread_starts_once_per_process(monkeypatch):
    buffer = MemoryViewBuffer(flush_seconds=3600)
    try:
        assert buffer._flusher is None  # lazily: nothing before the first view
        buffer.record("c:a", 1)
        first, first_stop = buffer._flusher, buffer._stop
        assert first is not None and first.is_alive() and first.daemon
        for viewer in range(20):
            buffer.record(f"c:{viewer}", 2)
        assert buffer._flusher is first
        # Another process id (as after a fork) starts a thread of its own.
        parent = os.getpid()
        monkeypatch.setattr(viewcount.os, "getpid", lambda: parent + 1)
        buffer.record("c:b", 1)
        assert buffer._flusher is not first and buffer._flusher.is_alive()
    finally:
        buffer.stop()
        first_stop.set()
        first.join(timeout=5)
    assert not first.is_alive()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_memory_buffer_after_a_real_fork():
    buffer = MemoryViewBuffer(flush_seconds=3600)
    buffer.record("c:parent", 1)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: the parent's counts are not its to flush, its thread is new
        try:
            ok = buffer.pending() == {} and buffer._flusher is None
            buffer.record("c:child", 1)
            ok = ok and buffer.pending() == {1: 1} and buffer._flusher.is_alive()
            os.write(write, b"ok" if ok else b"no")
        finally:
            os._exit(0)
    os.close(write)
    answer = os.read(read, 2)
    os.close(read)
    os.waitpid(pid, 0)
    buffer.stop()
    assert answer == b"ok"
    assert buffer.pending() == {1: 1}


def test_memory_flush_thread_flushes_on_its_cadence(monkeypatch):
    buffer = MemoryViewBuffer(flush_seconds=0.05)
    flushed = threading.Event()
    callers = []

    def flush():
        callers.append(threading.current_thread().name)
        flushed.set()
        return 0

    monkeypatch.setattr(buffer, "flush", flush)
    try:
        buffer.record("c:a", 1)
        assert flushed.wait(timeout=5)
    finally:
        buffer.stop()
    assert callers[0] == "yaowen-view-flush"


def test_memory_views_are_never_written_to_another_database(django_assert_num_queries):
    # As at the exit of a test run, when the test database has been replaced by the real one.
    buffer = MemoryViewBuffer(flush_seconds=3600)
    try:
        buffer.record("c:a", 1)
        buffer._database = "another-database"
        buffer._flush_quietly()
        assert buffer.pending() == {}
    finally:
        buffer.stop()


def test_no_flush_thread_when_disabled():
    buffer = MemoryViewBuffer(flush_seconds=0)
    buffer.record("c:a", 1)
    assert buffer._flusher is None


# The Redis buffer (the real Redis: skipped locally if unreachable, required in CI).


def test_redis_counts_once_then_again_after_the_window(redis_server, namespace):
    # A short window stands in for 30 minutes.
    buffer = RedisViewBuffer(redis_server, prefix=namespace, window=0.2)
    assert buffer.record("c:a", 1) is True
    assert buffer.record("c:a", 1) is False
    assert buffer.record("c:b", 1) is True
    assert 0 < redis_server.pttl(f"{namespace}seen:1:c:a") <= 200
    time.sleep(0.25)
    assert buffer.record("c:a", 1) is True
    assert buffer.pending() == {1: 3}
    delete_namespace(redis_server, namespace)


def test_redis_seen_key_lives_for_the_window(redis_buffer, redis_server, namespace):
    redis_buffer.record("u:7", 42)
    assert VIEW_WINDOW_SECONDS - 5 < redis_server.ttl(f"{namespace}seen:42:u:7") <= 1800


@pytest.mark.django_db
def test_redis_recovers_a_crashed_flush_without_loss(redis_buffer, redis_server, namespace):
    first, second = ArticleFactory(view_count=5), ArticleFactory()
    redis_buffer.record("c:1", first.pk)
    redis_buffer.record("c:2", first.pk)
    redis_buffer.record("c:1", second.pk)
    # A flush that moved the pending counts aside and died before writing them.
    redis_buffer._claim(
        keys=[f"{namespace}pending", f"{namespace}flushing:dead", f"{namespace}batches"],
        args=["dead"],
    )
    assert redis_buffer.pending() == {}
    redis_buffer.record("c:3", first.pk)
    assert redis_buffer.flush() == 4
    assert views_of(first) == 8 and views_of(second) == 1
    assert not list(redis_server.scan_iter(match=f"{namespace}flushing:*"))
    assert redis_server.scard(f"{namespace}batches") == 0
    assert redis_buffer.flush() == 0


@pytest.mark.django_db
def test_redis_database_failure_keeps_the_batch(redis_buffer, monkeypatch):
    article = ArticleFactory()
    redis_buffer.record("c:1", article.pk)

    def broken(counts):
        raise RuntimeError("database down")

    monkeypatch.setattr(viewcount, "counts_write", broken)
    with pytest.raises(RuntimeError):
        redis_buffer.flush()
    redis_buffer.record("c:2", article.pk)
    monkeypatch.undo()
    assert redis_buffer.flush() == 2
    assert views_of(article) == 2


@pytest.mark.django_db
def test_redis_flush_waits_for_a_running_flush(redis_buffer, redis_server, namespace):
    article = ArticleFactory()
    redis_buffer.record("c:1", article.pk)
    redis_server.set(f"{namespace}flush-lock", "someone-else", ex=60)
    assert redis_buffer.flush() == 0
    assert redis_buffer.pending() == {article.pk: 1}
    redis_server.delete(f"{namespace}flush-lock")
    assert redis_buffer.flush() == 1


def test_redis_unreachable_neither_fails_nor_holds_up_the_page():
    buffer = RedisViewBuffer(redis_client("redis://127.0.0.1:1/0"), prefix="unused:")
    started = time.monotonic()
    assert buffer.record("c:a", 1) is False
    assert time.monotonic() - started < 1.5


def test_redis_chosen_from_the_cache_settings(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15,redis://127.0.0.1:6379/14",
            "KEY_PREFIX": "site",
        }
    }
    buffer = buffer_from_settings()
    assert isinstance(buffer, RedisViewBuffer)
    assert buffer.prefix == "site:views:"
    assert buffer.client.connection_pool.connection_kwargs["db"] == 15
    buffer.client.close()
