"""The site without its cache (issue 16): Redis down or gone, the disk cache full or locked.

Pages are served from the database, writes are acknowledged, limits still hold (each
process counting alone), and the failure is logged once a minute, not per request. Nothing
is mocked: Redis is a closed port or a `redis-server` this file starts and stops.
"""

import logging
import socket
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
import redis
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from yaowen.core import cache as core_cache
from yaowen.core import ratelimit, sharedcache
from yaowen.core.cache import Outage, cached_shared
from yaowen.core.sharedcache import SQLiteCache, SQLiteStore
from yaowen.core.tests.factories import UserFactory
from yaowen.engagement.models import Comment
from yaowen.jobs.models import Delivery

CLOSED_PORT = "redis://127.0.0.1:1/0"
PASSWORD = "pass-word-123"  # UserFactory's


def redis_cache(url: str, prefix: str = "outage") -> dict:
    return {
        "default": {
            "BACKEND": "yaowen.core.sharedcache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
        }
    }


@pytest.fixture
def cache_at(settings, monkeypatch):
    """Point the default cache somewhere for one test. What a process keeps for an outage
    (held values, its own counts) is forgotten before and after: another test's database
    must not stand in for this one's. The view buffer and the hot sets, chosen once per
    process from the settings, stay what the run chose."""
    from yaowen.engagement import viewcount
    from yaowen.recommend import hotset

    def forget() -> None:
        core_cache._held.clear()
        ratelimit._local.clear()

    def point(url: str) -> None:
        monkeypatch.setattr(viewcount, "_backend", viewcount.backend())
        monkeypatch.setattr(hotset, "_backend", hotset.backend())
        settings.CACHES = redis_cache(url)
        cache.outage.reset()  # not what an earlier test left
        forget()

    yield point
    forget()


def failures_logged(caplog) -> list[logging.LogRecord]:
    return [
        record
        for record in caplog.records
        if record.name == "yaowen.outage" and "failing" in record.getMessage()
    ]


# The reporting helper.


def test_an_outage_is_logged_once_a_minute_and_its_end_once(caplog):
    outage = Outage("test part")
    with caplog.at_level(logging.WARNING, logger="yaowen.outage"):
        for _ in range(100):
            outage.failed("read", ConnectionError("refused"))
        assert outage.down
        outage.succeeded()
        outage.succeeded()
    messages = [record.getMessage() for record in caplog.records]
    assert len(messages) == 2
    assert "test part failing" in messages[0]
    assert "answers again (99 failures" in messages[1]
    assert not outage.down


def test_a_failed_part_is_left_alone_for_its_retry_pause():
    outage = Outage("paused part", retry_seconds=0.2)
    outage.failed("read")
    assert outage.paused
    time.sleep(0.25)
    assert outage.down and not outage.paused


# Redis not listening at all.


@pytest.mark.django_db
def test_with_redis_down_every_page_answers_from_the_database(client, cache_at, publish, caplog):
    article = publish(title="缓存宕机时的新闻")
    cache_at(CLOSED_PORT)
    pages = [
        reverse("web:home"),
        reverse("web:latest"),
        article.get_absolute_url(),
        article.channel.get_absolute_url(),
        f"{article.channel.get_absolute_url()}?tab=hot",
        article.author.get_absolute_url(),
        reverse("web:creators"),
        reverse("accounts:login"),
        reverse("search:results") + "?q=新闻",
    ]
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="yaowen.outage"):
        for _ in range(3):
            for url in pages:
                response = client.get(url)
                assert response.status_code == 200, url
    assert "缓存宕机时的新闻" in client.get(article.get_absolute_url()).content.decode()
    assert time.monotonic() - started < 30
    # Dozens of failed cache operations, one log line.
    assert len(failures_logged(caplog)) == 1


@pytest.mark.django_db
def test_with_redis_down_logging_in_and_commenting_work_and_limits_still_hold(
    cache_at, publish, settings
):
    article = publish()
    UserFactory(username="reader")
    cache_at(CLOSED_PORT)
    reader = Client(REMOTE_ADDR="198.51.100.9")
    response = reader.post(reverse("accounts:login"), {"username": "reader", "password": PASSWORD})
    assert response.status_code == 302
    url = reverse("engagement:comment_create", args=[article.pk])
    for n in range(5):
        response = reader.post(url, {"body": f"第 {n} 条跟帖"}, HTTP_ACCEPT="application/json")
        assert response.status_code in (200, 201), response.content
    # The sixth in a minute is refused with the usual message, counted in this process.
    response = reader.post(url, {"body": "第六条"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 429
    assert "error" in response.json()
    assert Comment.objects.filter(article=article).count() == 5


@pytest.mark.django_db
def test_with_redis_down_likes_shares_and_follows_are_acknowledged(cache_at, publish):
    article = publish()
    cache_at(CLOSED_PORT)
    reader = Client(REMOTE_ADDR="198.51.100.9")
    reader.force_login(UserFactory())
    response = reader.post(
        reverse("web:like", args=[article.pk]), {"liked": "1"}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 200 and response.json()["liked"] is True
    response = reader.get(reverse("web:share_out", args=[article.pk, "weibo"]))
    assert response.status_code == 302 and "weibo.com" in response["Location"]
    response = Client().post(reverse("web:share_beacon", args=[article.pk]), {"target": "link"})
    assert response.status_code == 200
    response = reader.post(reverse("web:follow", args=[article.author.pk]))
    assert response.status_code in (200, 302)


@pytest.mark.django_db
def test_with_redis_down_the_login_throttle_is_stricter_not_gone(cache_at, settings):
    settings.LOGIN_FAILURE_LIMIT = 5
    UserFactory(username="victim")
    cache_at(CLOSED_PORT)
    attacker = Client(REMOTE_ADDR="203.0.113.66")
    login = reverse("accounts:login")
    attacker.post(login, {"username": "victim", "password": "wrong"})
    response = attacker.post(login, {"username": "victim", "password": "wrong"})
    assert "请 1 秒后再试" in response.content.decode()
    response = attacker.post(login, {"username": "victim", "password": PASSWORD})
    assert response.status_code == 200 and "登录尝试过于频繁" in response.content.decode()
    # The owner elsewhere is not held up.
    owner = Client(REMOTE_ADDR="198.51.100.7")
    assert owner.post(login, {"username": "victim", "password": PASSWORD}).status_code == 302


def test_with_redis_down_a_shared_value_is_computed_once_per_lifetime(cache_at):
    cache_at(CLOSED_PORT)
    calls = []

    def compute():
        calls.append(1)
        return ["频道"]

    for _ in range(5):
        assert cached_shared("t:down", 60, compute) == ["频道"]
    assert len(calls) == 1


def test_with_redis_down_rate_limits_count_in_this_process(cache_at):
    cache_at(CLOSED_PORT)
    assert [ratelimit.hit("down-test", window=60) for _ in range(3)] == [1, 2, 3]
    assert ratelimit.hits("down-test") == 3
    ratelimit.reset("down-test")
    assert ratelimit.hits("down-test") == 0


# A real Redis, stopped and started again.


class RedisServer:
    """A redis-server of this test's own on a free port, persisting to `folder` (append-only
    file), so a restart brings back what it held, as a production Redis with AOF does."""

    def __init__(self, folder: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.folder = folder
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.folder),
                "--save",
                "",
                "--appendonly",
                "yes",
                "--appendfsync",
                "always",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.RedisError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        client.close()

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def own_redis(tmp_path):
    if subprocess.run(["which", "redis-server"], capture_output=True).returncode:
        pytest.skip("redis-server is not installed")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def queue_on(monkeypatch):
    """Put the task queue on a Redis, not running tasks in this process (the test settings
    do): what `huey.PriorityRedisHuey` does with REDIS_URL."""
    from huey.contrib.djhuey import HUEY
    from huey.storage import PriorityRedisStorage

    def point(url: str):
        monkeypatch.setattr(HUEY, "_immediate", False)
        monkeypatch.setattr(HUEY, "storage", PriorityRedisStorage(HUEY.name, url=url))
        return HUEY

    return point


@pytest.mark.django_db(transaction=True)
def test_a_page_and_a_write_made_while_redis_was_stopped_are_there_after_it_restarts(
    own_redis, cache_at, queue_on, publish, django_assert_num_queries
):
    from yaowen.jobs.tasks import enqueue

    cache_at(own_redis.url)
    article = publish(title="重启前后的文章")
    url = article.get_absolute_url()
    anonymous = Client()
    assert anonymous.get(url).status_code == 200
    with django_assert_num_queries(0):  # served from Redis
        assert anonymous.get(url).status_code == 200
    reader = Client()
    reader.force_login(UserFactory())
    queue = queue_on(own_redis.url)

    own_redis.stop()
    page = anonymous.get(url)
    assert page.status_code == 200 and "重启前后的文章" in page.content.decode()
    response = reader.post(
        reverse("engagement:comment_create", args=[article.pk]), {"body": "停机期间的跟帖"}
    )
    assert response.status_code == 302  # acknowledged
    assert Comment.objects.filter(body="停机期间的跟帖").exists()
    pending = list(
        Delivery.objects.filter(event="comment.created", status="pending").values_list(
            "pk", flat=True
        )
    )
    assert pending  # committed with the comment; its queue message is left to the sweep
    assert "停机期间的跟帖" in anonymous.get(url).content.decode()

    own_redis.start()  # with the page it had stored before the stop
    time.sleep(sharedcache.RETRY_SECONDS + 0.2)
    assert "停机期间的跟帖" in anonymous.get(url).content.decode()
    with django_assert_num_queries(0):  # and cached again
        assert "停机期间的跟帖" in anonymous.get(url).content.decode()
    enqueue(pending)
    assert queue.pending_count() >= len(pending)


# The disk cache: full, or locked past its wait.


@pytest.fixture
def disk(tmp_path):
    return SQLiteCache(str(tmp_path / "cache"), {})


def test_a_full_disk_cache_reads_what_it_has_and_skips_writes(disk, caplog):
    disk.set("kept", "值", 60)
    pages = disk._db.execute("PRAGMA page_count").fetchone()[0]
    disk._db.execute(f"PRAGMA max_page_count = {pages}")  # as if the disk were full
    with caplog.at_level(logging.WARNING, logger="yaowen.outage"):
        disk.set("big", "x" * 200_000, 60)
        assert disk.set_many({"a": "x" * 200_000}, 60) == ["a"]
    assert disk.get("big") is None
    assert failures_logged(caplog)
    disk.outage.reset()
    assert disk.get("kept") == "值"


def test_a_disk_cache_locked_past_its_wait_skips_the_write(disk, monkeypatch):
    monkeypatch.setattr(sharedcache, "LOCK_WAIT_SECONDS", 0.2)
    disk.set("k", 1, 60)
    holder = sqlite3.connect(disk._path, timeout=0, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process in the middle of a write
    try:
        started = time.monotonic()
        disk.set("k", 2, 60)  # gives up instead of failing the request
        assert time.monotonic() - started < 2
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    disk.outage.reset()
    assert disk.get("k") == 1


def test_counters_are_never_dropped_to_make_room_for_pages(tmp_path):
    store = SQLiteStore(str(tmp_path / "cache"), {"OPTIONS": {"MAX_ENTRIES": 50}})
    # Login and comment counters that expire soon, then a flood of pages to new URLs.
    for n in range(20):
        store.set(f"rl:login:pair:{n}", n + 1, 30)
    for n in range(200):
        store.set(f"page:{n}", b"<html>", 60)
        if n % 10 == 0:
            store._cull()
    store._cull()
    assert all(store.get(f"rl:login:pair:{n}") == n + 1 for n in range(20))
    pages = sum(store.get(f"page:{n}") is not None for n in range(200))
    assert pages <= 50 + 10
