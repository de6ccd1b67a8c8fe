"""Faults while the site is being written to, on the real processes (`manage.py serve`):
web workers and the queue consumer killed with SIGKILL, Redis stopped and started again,
the database's disk full. Logged-in readers and creators post over HTTP from threads; every
write the site acknowledged must be in the database afterwards, whole."""

import errno
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import redis

from yaowen.jobs.tests.harness import Site, Visitor, free_port, until

pytestmark = pytest.mark.processes

COMMENTS_PER_READER = 5  # the comment allowance: 5 a minute
SMALL_DISK_MB = 48  # the migrated, seeded database is about 4 MB


def seed_writers(readers: int, creators: int) -> None:
    """In the site's shell: published articles, readers and creators, each with a
    logged-in session. Prints the ids and session keys as one JSON line."""
    from django.contrib.auth.hashers import make_password
    from django.test import Client

    from yaowen.accounts.models import CreatorProfile, User
    from yaowen.jobs.delivery import deliver_pending
    from yaowen.newsroom.models import Channel
    from yaowen.newsroom.services import article_create, article_publish

    channel = Channel.objects.get(slug="society")
    unusable = make_password(None)  # logged in through sessions made here: no hashing

    def person(username: str) -> User:
        return User.objects.create(username=username, password=unusable)

    def session(user: User) -> str:
        client = Client()
        client.force_login(user)
        return client.cookies["sessionid"].value

    profiles = [
        CreatorProfile.objects.create(
            user=person(f"writer{n}"), display_name=f"湿地记者{n}", field=channel
        )
        for n in range(creators)
    ]
    articles = []
    for n in range(4):
        article = article_create(
            author=profiles[n % creators],
            channel=channel,
            title=f"青岚湖湿地观察第{n + 1}期",
            body_source="湿地保护站完成了本季候鸟同步调查。\n\n志愿者沿观测线路分组计数。",
        )
        articles.append(article_publish(article=article, by=article.author.user).pk)
    deliver_pending()
    people = [person(f"reader{n}") for n in range(readers)]
    print(
        json.dumps(
            {
                "articles": articles,
                "channel": channel.pk,
                "readers": [[u.pk, session(u)] for u in people],
                "creators": [[p.user.pk, session(p.user)] for p in profiles],
            }
        )
    )


def stored_writes() -> None:
    """In the site's shell: what the database holds of the writes, and whether each
    article's counters agree with its rows (nothing half-written)."""
    from django.db.models import Count, Q

    from yaowen.engagement.models import Comment, Like
    from yaowen.newsroom.models import Article

    counted = Article.objects.annotate(
        visible=Count("comments", filter=Q(comments__status="visible"), distinct=True),
        liked=Count("likes", distinct=True),
    )
    print(
        json.dumps(
            {
                "comments": list(Comment.objects.values_list("pk", flat=True)),
                "likes": [list(pair) for pair in Like.objects.values_list("user_id", "article_id")],
                "articles": list(Article.objects.values_list("pk", flat=True)),
                "disagree": [
                    a.pk for a in counted if a.comment_count != a.visible or a.like_count != a.liked
                ],
            }
        )
    )


def _stored(site: Site) -> dict:
    return site.shell_json(
        "from yaowen.jobs.tests.test_faults import stored_writes; stored_writes()"
    )


@dataclass
class Writes:
    """What the site acknowledged, and every answer's status, across the threads."""

    comments: set[int] = field(default_factory=set)
    likes: set[tuple[int, int]] = field(default_factory=set)
    articles: set[int] = field(default_factory=set)
    statuses: Counter = field(default_factory=Counter)
    failures: Counter = field(default_factory=Counter)  # no answer: connection refused …
    samples: dict = field(default_factory=dict)  # one answer's start per status ≥ 400
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answered(self, status: int, body: str = "") -> None:
        with self.lock:
            self.statuses[status] += 1
            if status >= 400 and status not in self.samples:
                self.samples[status] = body[:300]

    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)


class Burst:
    """Readers commenting, liking and reading, creators saving new articles in the
    studio (and anonymous readers), each in a thread, while the `with` block runs."""

    def __init__(self, site: Site, people: dict, *, anonymous: int = 0) -> None:
        self.site, self.people = site, people
        self.writes = Writes()
        self.halt = threading.Event()
        self.threads = [
            *(threading.Thread(target=self._reader, args=(r,)) for r in people["readers"]),
            *(threading.Thread(target=self._creator, args=(c,)) for c in people["creators"]),
            *(threading.Thread(target=self._anonymous) for _n in range(anonymous)),
        ]

    def __enter__(self) -> "Burst":
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.halt.set()
        for thread in self.threads:
            thread.join(timeout=60)

    def acknowledged(self) -> int:
        w = self.writes
        return len(w.comments) + len(w.likes) + len(w.articles)

    def _act(self, visitor: Visitor, do, *args) -> None:
        try:
            do(visitor, *args)
        except OSError as error:  # killed or stopped mid-request: no answer, not acknowledged
            visitor.drop()
            with self.writes.lock:
                self.writes.failures[type(error).__name__] += 1
            time.sleep(0.2)

    def _reader(self, reader: list) -> None:
        user, session = reader
        visitor, rng, posted = Visitor(self.site, session), random.Random(user), 0
        articles = self.people["articles"]
        while not self.halt.is_set():
            article = rng.choice(articles)
            roll = rng.random()
            if roll < 0.3 and posted < COMMENTS_PER_READER:
                posted += 1
                self._act(visitor, self._comment, article)
            elif roll < 0.6:
                self._act(visitor, self._like, user, article)
            else:
                self._act(visitor, self._read, f"/a/{article}/")
            time.sleep(rng.uniform(0.05, 0.2))

    def _read(self, visitor: Visitor, path: str) -> None:
        answer = visitor.get(path)
        self.writes.answered(answer.status, answer.body)

    def _comment(self, visitor: Visitor, article: int) -> None:
        body = f"湿地保护，人人有责（{uuid.uuid4().hex[:8]}）"
        answer = visitor.post(f"/e/a/{article}/comments/", {"body": body}, json_answer=True)
        self.writes.answered(answer.status, answer.body)
        if answer.status == 200 and (posted := json.loads(answer.body).get("id")):
            with self.writes.lock:
                self.writes.comments.add(posted)

    def _like(self, visitor: Visitor, user: int, article: int) -> None:
        answer = visitor.post(f"/a/{article}/like/", {"liked": "1"}, json_answer=True)
        self.writes.answered(answer.status, answer.body)
        if answer.status == 200 and json.loads(answer.body).get("liked"):
            with self.writes.lock:
                self.writes.likes.add((user, article))

    def _creator(self, creator: list) -> None:
        user, session = creator
        visitor, rng = Visitor(self.site, session), random.Random(-user)
        while not self.halt.is_set():
            self._act(visitor, self._write)
            time.sleep(rng.uniform(0.2, 0.5))

    def _write(self, visitor: Visitor) -> None:
        mark = uuid.uuid4().hex[:8]
        form = {
            "title": f"湿地巡护日志 {mark}",
            "channel": str(self.people["channel"]),
            "body_source": f"巡护队今天记录了白鹤和东方白鹳（{mark}）。\n\n湖区水位适中。",
            "action": "save",
        }
        answer = visitor.post("/studio/write/", form)
        self.writes.answered(answer.status, answer.body)
        if answer.status == 302 and "/studio/articles/" in answer.location:
            with self.writes.lock:
                self.writes.articles.add(int(answer.location.rstrip("/").rsplit("/", 1)[1]))

    def _anonymous(self) -> None:
        visitor, rng = Visitor(self.site), random.Random()
        paths = ["/", "/latest/", "/c/society/", *(f"/a/{a}/" for a in self.people["articles"])]
        while not self.halt.is_set():
            self._act(visitor, self._read, rng.choice(paths))
            time.sleep(rng.uniform(0.02, 0.1))


def _assert_stored(site: Site, writes: Writes) -> None:
    stored = _stored(site)
    assert writes.comments <= set(stored["comments"])
    assert writes.likes <= {tuple(pair) for pair in stored["likes"]}
    assert writes.articles <= set(stored["articles"])
    assert stored["disagree"] == []


DELIVERIES = (
    "import json; from yaowen.jobs.models import Delivery;"
    "from django.db.models import Count;"
    "print(json.dumps({f'{e} {s}': n for e, s, n in Delivery.objects.values_list('event', 'status')"
    ".annotate(n=Count('pk')).order_by()}))"
)


def _deliveries(site: Site) -> dict[str, int]:
    """Event deliveries by event and status: "comment.created done": 12 …"""
    return site.shell_json(DELIVERIES)


def _settled(site: Site, seconds: float) -> bool:
    return until(
        lambda: all(key.endswith(" done") for key in _deliveries(site)), seconds=seconds, every=2
    )


class Redis:
    """A redis-server of the test's own on a free port, without persistence."""

    def __init__(self, folder: Path) -> None:
        self.port = free_port()
        self.folder = folder
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no", "--daemonize", "no"],
            cwd=self.folder,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port)
        assert until(lambda: _pings(client), seconds=10), "redis-server did not start"

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def _pings(client: redis.Redis) -> bool:
    try:
        return client.ping()
    except redis.RedisError:
        return False


def _mount_small_disk(folder: Path, megabytes: int) -> str:
    """Mount a tmpfs of `megabytes` at `folder`: "" when done, else why not (not root …)."""
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={megabytes}m", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode == 0:
        return ""
    return f"needs a small disk of its own: {mounted.stderr.strip() or 'mount failed'}"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """One site for the module: on the PostgreSQL pass with a Redis of its own (which the
    Redis test stops); on SQLite with its database on a small disk of its own (which the
    disk-full test fills), when this user may mount one."""
    folder = tmp_path_factory.mktemp("faults")
    extra, server, small, running = {}, None, None, None
    no_disk = "the SQLite pass fills the database's disk; PostgreSQL's is its server's"
    try:
        if os.environ.get("DATABASE_URL"):
            if os.environ.get("REDIS_URL") and shutil.which("redis-server"):
                server = Redis(folder)
                server.start()
                extra["REDIS_URL"] = server.url
        elif not (no_disk := _mount_small_disk(folder / "small", SMALL_DISK_MB)):
            small = folder / "small"
            extra["SQLITE_PATH"] = str(small / "site.sqlite3")
        running = Site(folder, extra)
        running.redis, running.small, running.no_disk = server, small, no_disk
        running.manage("migrate", "--noinput", "-v0")
        # Production settings serve hashed static files: a fresh checkout has none yet.
        running.manage("collectstatic", "--noinput", "-v0")
        running.people = running.shell_json(
            "from yaowen.jobs.tests.test_faults import seed_writers;"
            "seed_writers(readers=16, creators=2)"
        )
        running.start()
        yield running
    finally:
        if running is not None:
            running.close()
        if server is not None:
            server.stop()
        if small is not None:
            subprocess.run(["umount", "--lazy", str(small)], check=False)


def _people(site: Site, half: int) -> dict:
    """Half the readers: each test spends its own readers' comment allowance."""
    readers = site.people["readers"]
    middle = len(readers) // 2
    return {**site.people, "readers": readers[:middle] if half == 0 else readers[middle:]}


# -- (a) processes killed with SIGKILL mid-write ----------------------------------------


def test_workers_and_consumer_killed_mid_write_lose_no_acknowledged_write(site):
    with Burst(site, _people(site, 0)) as burst:
        assert until(lambda: burst.acknowledged() >= 10, seconds=30), burst.writes
        # The consumer alone: the supervisor starts it again, the site never stops.
        os.kill(site.pids("queue consumer")[-1], signal.SIGKILL)
        assert until(lambda: len(site.pids("queue consumer")) == 2, seconds=15), site.log()
        assert f"queue consumer DIED with exit code -{signal.SIGKILL}" in site.log()
        before = burst.acknowledged()
        assert until(lambda: burst.acknowledged() >= before + 5, seconds=30), burst.writes
        # Then both web workers and the new consumer at once: granian replaces its
        # workers and the supervisor the consumer; nobody has to start the site again.
        workers = set(site.web_workers())
        for pid in [*workers, site.pids("queue consumer")[-1]]:
            os.kill(pid, signal.SIGKILL)
        assert until(lambda: len(set(site.web_workers()) - workers) == 2, seconds=20), site.log()
        assert site.running()
        before = burst.acknowledged()
        assert until(lambda: burst.acknowledged() >= before + 10, seconds=30), burst.writes
    writes = burst.writes
    assert writes.comments and writes.likes and writes.articles, writes
    assert writes.failures, "no request was cut off by the kills"
    _assert_stored(site, writes)
    # Deliveries the killed consumers held, or whose queue message was lost, are done.
    assert _settled(site, 60), _deliveries(site)


# -- (b) Redis stopped mid-run ----------------------------------------------------------


def test_redis_stopped_mid_run_pages_keep_answering_and_writes_are_kept(site):
    if site.redis is None:
        pytest.skip("the PostgreSQL + Redis pass runs this (and needs redis-server)")
    with Burst(site, _people(site, 1), anonymous=3) as burst:
        assert until(lambda: burst.acknowledged() >= 10, seconds=30), burst.writes
        site.redis.stop()
        down = burst.acknowledged()
        time.sleep(6)
        during = dict(burst.writes.statuses)
        site.redis.start()  # empty: the cache and the queue's messages are gone
        assert burst.acknowledged() > down  # writes went on while Redis was down
        before = burst.acknowledged()
        assert until(lambda: burst.acknowledged() >= before + 5, seconds=30), burst.writes
    writes = burst.writes
    assert writes.server_errors() == 0, (writes.statuses, during, writes.samples)
    assert site.running(), site.log()
    _assert_stored(site, writes)
    # The queue's messages went with Redis; their delivery rows did not. The sweep queues
    # them again: the job the consumer runs every minute, run now instead of waiting for it.
    site.manage("jobs", "run", "jobs.sweep")
    assert _settled(site, 45), _deliveries(site)


# -- (c) the database's disk full -------------------------------------------------------


def _fill(folder: Path) -> Path:
    """Write a file until the disk has no room left (ENOSPC), 1 MB then 4 KB at a time."""
    filler = folder / "filler"
    with open(filler, "wb", buffering=0) as out:
        for block in (1 << 20, 1 << 12):
            try:
                while True:
                    out.write(b"\0" * block)
            except OSError as error:
                assert error.errno == errno.ENOSPC, error
    return filler


def _checkpoint(database: Path) -> int:
    """Move the WAL into the database and truncate it; 0 when nothing was busy."""
    connection = sqlite3.connect(database)
    try:
        return connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
    finally:
        connection.close()


def test_a_write_on_a_full_disk_answers_503_and_leaves_nothing_half_written(site):
    if site.small is None:
        pytest.skip(site.no_disk)
    people = _people(site, 1)
    reader = Visitor(site, people["readers"][0][1])
    creator = Visitor(site, people["creators"][0][1])
    article = people["articles"][0]
    comment = f"/e/a/{article}/comments/"
    first = reader.post(comment, {"body": "写入正常。"}, json_answer=True)
    assert first.status == 200, first.body
    before = _stored(site)
    # The WAL file keeps the room it once had: empty it, so that a write must grow a file.
    assert until(lambda: _checkpoint(site.small / "site.sqlite3") == 0, seconds=10)
    filler = _fill(site.small)
    try:
        full = reader.post(comment, {"body": "磁盘已满时的跟帖。"}, json_answer=True)
        assert full.status == 503, (full.status, full.body[:300])
        assert json.loads(full.body)["retry_after"] > 0
        form = {"title": "磁盘已满时保存的文章", "body_source": "正文。", "action": "save"}
        saved = creator.post("/studio/write/", {**form, "channel": str(people["channel"])})
        assert saved.status == 503, (saved.status, saved.body[:300])
        assert "503" in saved.body or "维护" in saved.body
        # Anonymous reading goes on (a logged-in page may write: its session's record).
        assert Visitor(site).get(f"/a/{article}/").status == 200
    finally:
        filler.unlink()
    after = _stored(site)
    assert after["comments"] == before["comments"]
    assert after["articles"] == before["articles"]
    assert after["disagree"] == []
    connection = sqlite3.connect(site.small / "site.sqlite3")
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        connection.close()
    again = reader.post(comment, {"body": "空间恢复后的跟帖。"}, json_answer=True)
    assert again.status == 200, again.body  # room again: writes resume without a restart


def test_a_logged_in_reader_reads_on_while_the_disk_is_full(site):
    if site.small is None:
        pytest.skip(site.no_disk)
    people = _people(site, 1)
    reader = Visitor(site, people["readers"][1][1])
    assert reader.get("/").status == 200  # its session is recorded while there is room
    assert until(lambda: _checkpoint(site.small / "site.sqlite3") == 0, seconds=10)
    filler = _fill(site.small)
    try:
        page = reader.get(f"/a/{people['articles'][1]}/")
    finally:
        filler.unlink()
    assert page.status == 200, page.body[:300]
