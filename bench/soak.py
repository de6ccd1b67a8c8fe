"""Soak test (issue 16): the site as bin/serve runs it, driven for --minutes at about 80 % of
the capacity measured first, by anonymous and logged-in readers (reading, liking,
commenting) and a creator publishing; then 0 server errors, flat memory in every process,
every acknowledged write stored.

    .venv/bin/python bench/soak.py                                  # 10,000 articles, 10 min
    .venv/bin/python bench/soak.py --articles 2000 --minutes 1      # a short run

The demo corpus (bench/var/bench-<N>.sqlite3, built once by `manage.py demo` and shared with
the other benchmarks) is copied into the run's temporary folder with SQLite's backup API, so
the run's writes never change it. The site is `manage.py serve --workers 2` (granian and the
queue consumer under the supervisor), production settings (DEBUG off, static files collected),
its own disk cache and SQLite queue. Logged-in people are made in the copy: --readers readers
(`soakreader<n>`) and one demo creator, each with a session made server-side (no password
hashing in the run).

1. Capacity: a closed loop of the mix below at 2, 4, 8 … connections, --probe-seconds each,
   until requests/s stop growing by 5 %; capacity = the best requests/s.
2. Soak: an open loop at --load (0.8) × capacity for --minutes: requests are scheduled at a
   fixed rate and handed to a pool of threads; latency counts from the scheduled time, so a
   slow server shows as latency, not as a gentler load. The mix, per request:
   anonymous 65 % (article 45, home 8, channel 8, latest 4), logged-in 35 % (article 15,
   feed 3, like 10, comment 7 — a like instead when that reader has used its 5 comments a
   minute). Beside it one creator publishes every --publish-every seconds through the studio
   as a browser does: form, save, edit page, submit, dashboard.
3. Every --sample-seconds: VmRSS (/proc/<pid>/status) of granian's main process, each web
   worker (its children) and the queue consumer.
4. Checks: no 5xx and no unanswered request; memory growth per process under 10 % from the
   median of the first 3 samples after warm-up (--warmup-seconds, default a fifth of the run,
   at most 2 min) to the median of the last 3; every comment id, like (reader, article) and
   submitted article the site acknowledged is in the database, and each touched article's
   comment and like counters agree with its rows.

Progress goes to stderr, the tables to stdout; exit status 1 when a check fails.
"""

import argparse
import collections
import http.client
import json
import os
import queue
import random
import re
import secrets
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from _corpus import PYTHON, ROOT, VAR, build_corpus, collect_static, corpus_env, log, percentile

COMMENTS_PER_MINUTE = 5
MIX = {  # kind: weight (per cent of the requests)
    "anon article": 45,
    "anon home": 8,
    "anon channel": 8,
    "anon latest": 4,
    "user article": 15,
    "user feed": 3,
    "like": 10,
    "comment": 7,
}
SENTENCES = [
    "湿地保护站的工作人员在清晨完成了本季候鸟同步调查",
    "今年湖区水位适中，浅滩面积扩大，候鸟觅食条件更好",
    "志愿者沿着观测线路分组计数，记录鸟群的种类和数量",
    "专家提醒观鸟爱好者保持距离，不要投喂和惊扰鸟群",
    "新建的生态廊道连通了两片林地，野生动物活动更频繁",
    "社区图书馆延长了周末开放时间，青少年借阅量明显增加",
    "夜市改造后增加了无障碍通道，老年居民出行更方便",
    "气象部门预计本周后期有一次明显降温过程",
    "地铁新线开通首日客流平稳，换乘指引清晰",
    "农业技术员深入田间指导冬小麦越冬管理",
    "博物馆推出线上展览，观众可以在家欣赏馆藏文物",
    "城市绿道二期工程完工，沿线新增休息驿站",
]


# -- HTTP -------------------------------------------------------------------------------


@dataclass
class Person:
    """A logged-in person's cookies (session and CSRF), shared by the threads acting as them."""

    user_id: int
    cookies: dict[str, str]
    comments: collections.deque = field(default_factory=collections.deque)

    def may_comment(self, now: float, lock: threading.Lock) -> bool:
        with lock:
            while self.comments and now - self.comments[0] > 61:
                self.comments.popleft()
            if len(self.comments) >= COMMENTS_PER_MINUTE:
                return False
            self.comments.append(now)
            return True


class Client:
    """One keep-alive connection per thread; cookies come from the person acting."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.local = threading.local()

    def request(
        self,
        method: str,
        path: str,
        person: Person | None = None,
        form: dict | None = None,
        json_answer: bool = False,
    ) -> tuple[int, str, str]:
        headers = {}
        body = None
        if person is not None:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in person.cookies.items())
        if form is not None:
            token = person.cookies["csrftoken"] if person else ""
            body = urllib.parse.urlencode({**form, "csrfmiddlewaretoken": token}).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if json_answer:
            headers["Accept"] = "application/json"
        for attempt in (1, 2):
            connection = getattr(self.local, "connection", None)
            if connection is None:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                self.local.connection = connection
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                text = response.read().decode("utf-8", errors="replace")
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                connection.close()
                self.local.connection = None
                if method != "GET" or attempt == 2:  # a POST may have been applied: not again
                    raise
            except OSError:
                connection.close()
                self.local.connection = None
                raise
        if person is not None:
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, value = header.split(";", 1)[0].partition("=")
                if value:
                    person.cookies[name.strip()] = value.strip().strip('"')
        return response.status, response.getheader("Location") or "", text


# -- the run's records -------------------------------------------------------------------


@dataclass
class Record:
    """Every answer (kind, status, latency) and every acknowledged write."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    answers: list[tuple[str, int, float, float]] = field(default_factory=list)
    failures: collections.Counter = field(default_factory=collections.Counter)
    comments: set[int] = field(default_factory=set)
    likes: set[tuple[int, int]] = field(default_factory=set)
    articles: set[int] = field(default_factory=set)
    samples: dict[str, str] = field(default_factory=dict)

    def answer(self, kind: str, status: int, latency: float, body: str = "") -> None:
        with self.lock:
            self.answers.append((kind, status, latency, time.monotonic()))
            if status >= 500 and kind not in self.samples:
                self.samples[kind] = body[:400]

    def failed(self, kind: str, error: Exception) -> None:
        with self.lock:
            self.failures[f"{kind}: {type(error).__name__}"] += 1


class Load:
    """The mix of requests, acted by anonymous visitors and the logged-in readers."""

    def __init__(self, port: int, people: dict, record: Record, seed: int = 16) -> None:
        self.client = Client(port)
        self.record = record
        self.articles = people["articles"]
        self.channels = people["channels"]
        self.readers = [
            Person(user_id, {"sessionid": session, "csrftoken": secrets.token_hex(16)})
            for user_id, session in people["readers"]
        ]
        self.allowance = threading.Lock()
        self.kinds = list(MIX)
        self.weights = list(MIX.values())
        self.rng = threading.local()
        self.seed = seed

    def _rng(self) -> random.Random:
        rng = getattr(self.rng, "value", None)
        if rng is None:
            rng = self.rng.value = random.Random(f"{self.seed}-{threading.get_ident()}")
        return rng

    def one(self, scheduled: float | None = None) -> None:
        """Do one request of the mix; latency from `scheduled` (open loop) or from now."""
        rng = self._rng()
        kind = rng.choices(self.kinds, self.weights)[0]
        reader = rng.choice(self.readers)
        if kind == "comment" and not reader.may_comment(time.monotonic(), self.allowance):
            kind = "like"
        started = scheduled if scheduled is not None else time.perf_counter()
        try:
            status, body = self._do(kind, rng, reader)
        except OSError as error:
            self.record.failed(kind, error)
            return
        self.record.answer(kind, status, time.perf_counter() - started, body)

    def _do(self, kind: str, rng: random.Random, reader: Person) -> tuple[int, str]:
        article = rng.choice(self.articles)
        paths = {
            "anon article": f"/a/{article}/",
            "anon home": "/",
            "anon channel": f"/c/{rng.choice(self.channels)}/",
            "anon latest": "/latest/",
            "user article": f"/a/{article}/",
            "user feed": "/feed/",
        }
        if kind in paths:
            person = reader if kind.startswith("user") else None
            status, _location, body = self.client.request("GET", paths[kind], person)
            return status, body
        if kind == "like":
            status, _location, body = self.client.request(
                "POST", f"/a/{article}/like/", reader, {"liked": "1"}, json_answer=True
            )
            if status == 200 and json.loads(body).get("liked"):
                with self.record.lock:
                    self.record.likes.add((reader.user_id, article))
            return status, body
        text = f"{rng.choice(SENTENCES)}。（{uuid.uuid4().hex[:6]}）"
        status, _location, body = self.client.request(
            "POST", f"/e/a/{article}/comments/", reader, {"body": text}, json_answer=True
        )
        if status == 200 and (posted := json.loads(body).get("id")):
            with self.record.lock:
                self.record.comments.add(posted)
        return status, body


class Creator(threading.Thread):
    """A creator publishing through the studio every `every` seconds, as a browser does."""

    def __init__(self, port: int, people: dict, record: Record, every: float) -> None:
        super().__init__(daemon=True)
        user_id, session = people["creator"]
        self.person = Person(user_id, {"sessionid": session, "csrftoken": secrets.token_hex(16)})
        self.channel = people["creator_channel"]
        self.client = Client(port)
        self.record = record
        self.every = every
        self.halt = threading.Event()
        self.rng = random.Random(7)

    def run(self) -> None:
        while not self.halt.wait(self.every):
            try:
                self.publish()
            except OSError as error:
                self.record.failed("publish", error)

    def _step(self, kind: str, method: str, path: str, form: dict | None = None):
        started = time.perf_counter()
        status, location, body = self.client.request(method, path, self.person, form)
        self.record.answer(kind, status, time.perf_counter() - started, body)
        return status, location

    def publish(self) -> None:
        mark = uuid.uuid4().hex[:6]
        paragraphs = [
            "，".join(self.rng.sample(SENTENCES, 3)) + f"，第{self.rng.randrange(1, 999)}号观测点。"
            for _paragraph in range(4)
        ]
        form = {
            "title": f"{self.rng.choice(SENTENCES)[:20]} {mark}",
            "channel": str(self.channel),
            "body_source": "\n\n".join(paragraphs),
            "summary": "",
            "tags": "",
            "references": "",
        }
        self._step("studio form", "GET", "/studio/write/")
        status, location = self._step(
            "studio save", "POST", "/studio/write/", {**form, "action": "save"}
        )
        found = re.search(r"/studio/articles/(\d+)/", location)
        if status != 302 or not found:
            return
        edit = found.group(0)
        self._step("studio edit", "GET", edit)
        status, location = self._step("studio submit", "POST", edit, {**form, "action": "submit"})
        if status == 302 and location.rstrip("/").endswith("/studio"):
            with self.record.lock:
                self.record.articles.add(int(found.group(1)))
        self._step("studio dashboard", "GET", "/studio/")


# -- the site ---------------------------------------------------------------------------


PREPARE = """
import json
from django.test import Client
from yaowen.accounts.models import CreatorProfile, User
from yaowen.newsroom.models import Article, Channel
from django.contrib.auth.hashers import make_password

def session(user):
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value

unusable = make_password(None)
User.objects.bulk_create(
    [
        User(username=f"soakreader{n}", nickname=f"读者{n}", password=unusable)
        for n in range({readers})
    ]
)
readers = User.objects.filter(username__startswith="soakreader")
creators = CreatorProfile.objects.filter(status="active", user__is_staff=False)
creator = creators.order_by("pk").first()
print(json.dumps({
    "articles": list(Article.objects.filter(status="published").values_list("pk", flat=True)),
    "channels": list(Channel.objects.filter(is_active=True).values_list("slug", flat=True)),
    "readers": [[user.pk, session(user)] for user in readers],
    "creator": [creator.user_id, session(creator.user)],
    "creator_channel": creator.field_id or Channel.objects.filter(is_active=True).first().pk,
}))
"""

CHECK = """
import json
from django.db.models import Count, Q
from yaowen.engagement.models import Comment, Like
from yaowen.newsroom.models import Article
acked = json.load(open({path!r}))
comments = set(Comment.objects.filter(pk__in=acked["comments"]).values_list("pk", flat=True))
readers = {{user for user, _article in acked["likes"]}}
likes = set(Like.objects.filter(user_id__in=readers).values_list("user_id", "article_id"))
articles = dict(Article.objects.filter(pk__in=acked["articles"]).values_list("pk", "status"))
touched = {{article for _user, article in acked["likes"]}} | set(
    Comment.objects.filter(pk__in=acked["comments"]).values_list("article_id", flat=True))
counted = Article.objects.filter(pk__in=touched).annotate(
    visible=Count("comments", filter=Q(comments__status="visible"), distinct=True),
    liked=Count("likes", distinct=True))
print(json.dumps({{
    "comments missing": len(set(acked["comments"]) - comments),
    "likes missing": len({{tuple(pair) for pair in acked["likes"]}} - likes),
    "articles missing": len(set(acked["articles"]) - set(articles)),
    "articles not submitted": sum(1 for status in articles.values() if status == "draft"),
    "counters disagreeing": sum(
        1 for a in counted if a.comment_count != a.visible or a.like_count != a.liked
    ),
}}))
"""


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _shell(env: dict[str, str], code: str) -> str:
    done = subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), "shell", "--no-imports", "-c", code],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        sys.exit(f"manage.py shell failed:\n{done.stderr[-3000:]}")
    return done.stdout.strip().splitlines()[-1]


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return sorted(found)


def _rss_kb(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


class Site:
    def __init__(self, folder: Path, env: dict[str, str], workers: int) -> None:
        self.folder, self.env, self.workers = folder, env, workers
        self.port = _free_port()
        self.log_path = folder / "serve.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [PYTHON, str(ROOT / "manage.py"), "serve", "--port", str(self.port)]
            + ["--workers", str(self.workers)],
            env=self.env,
            cwd=ROOT,
            stdout=open(self.log_path, "ab"),  # noqa: SIM115  # closed with the process
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
                connection.request("GET", "/")
                if connection.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.5)
        sys.exit(f"the site did not start:\n{self.log_path.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def processes(self) -> dict[str, int]:
        """name -> pid: granian's main process, each web worker, the queue consumer."""
        text = self.log_path.read_text(errors="replace")
        web = re.findall(r"web server started \(pid (\d+)\)", text)
        consumer = re.findall(r"queue consumer started \(pid (\d+)\)", text)
        found = {}
        if web:
            found["granian main"] = int(web[-1])
            for number, pid in enumerate(_children(int(web[-1])), start=1):
                found[f"web worker {number}"] = pid
        if consumer:
            found["queue consumer"] = int(consumer[-1])
        return found

    def restarts(self) -> int:
        return self.log_path.read_text(errors="replace").count("DIED with exit code")


class Sampler(threading.Thread):
    """Every `every` seconds, each process's resident memory."""

    def __init__(self, site: Site, every: float) -> None:
        super().__init__(daemon=True)
        self.site, self.every = site, every
        self.samples: dict[str, list[tuple[float, int, int]]] = collections.defaultdict(list)
        self.halt = threading.Event()

    def run(self) -> None:
        while True:
            now = time.monotonic()
            for name, pid in self.site.processes().items():
                if (rss := _rss_kb(pid)) is not None:
                    self.samples[name].append((now, pid, rss))
            if self.halt.wait(self.every):
                return


# -- the phases -------------------------------------------------------------------------


def closed_loop(load: Load, connections: int, seconds: float) -> float:
    """Requests per second with `connections` threads each sending the next request as soon
    as the last is answered."""
    halt = threading.Event()
    before = len(load.record.answers)

    def loop() -> None:
        while not halt.is_set():
            load.one()

    threads = [threading.Thread(target=loop, daemon=True) for _n in range(connections)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    halt.set()
    for thread in threads:
        thread.join()
    return (len(load.record.answers) - before) / (time.perf_counter() - started)


def capacity(load: Load, seconds: float) -> tuple[float, list[tuple[int, float]]]:
    rows: list[tuple[int, float]] = []
    best = 0.0
    connections = 2
    while connections <= 64:
        rate = closed_loop(load, connections, seconds)
        rows.append((connections, rate))
        log(f"capacity: {connections} connections: {rate:.1f} requests/s")
        if rate < best * 1.05:
            break
        best = max(best, rate)
        connections *= 2
    return max(rate for _c, rate in rows), rows


def open_loop(load: Load, rate: float, seconds: float, threads: int) -> int:
    """Schedule `rate` requests a second for `seconds`; `threads` senders take them."""
    work: queue.Queue = queue.Queue()

    def sender() -> None:
        while (scheduled := work.get()) is not None:
            load.one(scheduled)

    senders = [threading.Thread(target=sender, daemon=True) for _n in range(threads)]
    for thread in senders:
        thread.start()
    interval = 1 / rate
    start = time.perf_counter()
    sent = 0
    next_at = start
    while next_at < start + seconds:
        delay = next_at - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        work.put(next_at)
        sent += 1
        next_at += interval
        if sent % max(1, int(rate * 30)) == 0:
            log(f"soak: {next_at - start:.0f} s, {work.qsize()} waiting to be sent")
    for _thread in senders:
        work.put(None)
    for thread in senders:
        thread.join()
    return sent


# -- main -------------------------------------------------------------------------------


def _copy_corpus(source: Path, target: Path) -> None:
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as origin:
        copy = sqlite3.connect(target)
        origin.backup(copy)
        copy.close()


def _growth(samples: list[tuple[float, int, int]], after: float) -> tuple[int, int, float, bool]:
    """(baseline kB, end kB, growth, same process throughout) after warm-up."""
    kept = [sample for sample in samples if sample[0] >= after] or samples
    rss = [sample[2] for sample in kept]
    base = sorted(rss[:3])[len(rss[:3]) // 2]
    end = sorted(rss[-3:])[len(rss[-3:]) // 2]
    return base, end, end / base - 1, len({sample[1] for sample in kept}) == 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--load", type=float, default=0.8, help="share of measured capacity")
    parser.add_argument("--rate", type=float, help="requests/s instead of measuring capacity")
    parser.add_argument("--probe-seconds", type=float, default=10)
    parser.add_argument("--warmup-seconds", type=float)
    parser.add_argument("--sample-seconds", type=float, default=10)
    parser.add_argument("--publish-every", type=float, default=15)
    parser.add_argument("--readers", type=int, default=400)
    parser.add_argument("--workers", type=int, default=2, help="web workers (bin/serve: 2)")
    parser.add_argument("--senders", type=int, default=32, help="threads of the open loop")
    parser.add_argument("--keep", action="store_true", help="keep the run's folder")
    args = parser.parse_args()
    seconds = args.minutes * 60
    warmup = args.warmup_seconds if args.warmup_seconds is not None else min(120, seconds / 5)

    corpus = corpus_env(args.articles)
    build_corpus(args.articles, corpus)
    folder = Path(tempfile.mkdtemp(prefix="yaowen-soak-"))
    name = f"soak{uuid.uuid4().hex[:8]}"
    env = {
        **corpus,
        "SQLITE_PATH": str(folder / "site.sqlite3"),
        "CACHE_DIR": str(folder / "cache"),
        "QUEUE_PATH": str(folder / "queue.sqlite3"),
        "QUEUE_NAME": name,
        "CACHE_KEY_PREFIX": name,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DEBUG": "false",
    }
    for variable in ("DATABASE_URL", "REDIS_URL", "CACHE_BACKEND", "S3_BUCKET"):
        env.pop(variable, None)
    classifier = VAR / f"bench-{args.articles}.classifier.joblib"
    env["CLASSIFIER_PATH"] = str(classifier if classifier.exists() else folder / "classifier")
    site = None
    try:
        log(f"soak: copying the corpus into {folder}")
        _copy_corpus(Path(corpus["SQLITE_PATH"]), folder / "site.sqlite3")
        subprocess.run(
            [PYTHON, str(ROOT / "manage.py"), "migrate", "--noinput", "-v0"], env=env, check=True
        )
        collect_static(env)
        people = json.loads(_shell(env, PREPARE.replace("{readers}", str(args.readers))))
        site = Site(folder, env, args.workers)
        site.start()
        record = Record()
        load = Load(site.port, people, record)
        log("soak: warming up (10 s at 4 connections)")
        closed_loop(load, 4, 10)
        if args.rate:
            best, probe = args.rate / args.load, []
        else:
            best, probe = capacity(load, args.probe_seconds)
        rate = best * args.load
        probe_answers = len(record.answers)
        record.answers.clear()
        log(f"soak: {args.minutes:g} min at {rate:.1f} requests/s ({args.load:.0%} of {best:.1f})")
        sampler = Sampler(site, args.sample_seconds)
        creator = Creator(site.port, people, record, args.publish_every)
        soak_started = time.monotonic()
        load_before = os.getloadavg()
        sampler.start()
        creator.start()
        sent = open_loop(load, rate, seconds, args.senders)
        creator.halt.set()
        creator.join()
        sampler.halt.set()
        sampler.join()
        elapsed = time.monotonic() - soak_started
        machine = (load_before, os.getloadavg())
        acked = folder / "acknowledged.json"
        acked.write_text(
            json.dumps(
                {
                    "comments": sorted(record.comments),
                    "likes": sorted(record.likes),
                    "articles": sorted(record.articles),
                }
            )
        )
        stored = json.loads(_shell(env, CHECK.format(path=str(acked))))
        restarts = site.restarts()
    finally:
        if site is not None:
            site.stop()
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
        else:
            log(f"soak: kept {folder}")

    failed = report(
        args, probe, best, rate, sent, elapsed, probe_answers, record, sampler,
        (soak_started, warmup, seconds), stored, restarts, machine,
    )  # fmt: skip
    sys.exit(1 if failed else 0)


def report(
    args, probe, best, rate, sent, elapsed, probe_answers, record, sampler, window, stored,
    restarts, machine,
) -> bool:  # fmt: skip
    answers = record.answers
    started, warmup, seconds = window
    in_time = sum(1 for _k, _s, _l, at in answers if at <= started + seconds)
    achieved = in_time / seconds
    statuses = collections.Counter(status for _k, status, _l, _t in answers)
    errors = sum(n for status, n in statuses.items() if status >= 500)
    unanswered = sum(record.failures.values())
    print(
        f"Soak: {args.articles:,} articles, {args.minutes:g} min, {args.workers} web workers + "
        f"the queue consumer, {os.cpu_count()} cores; load average "
        f"{machine[0][0]:.1f} at the start, {machine[1][0]:.1f} at the end"
    )
    print()
    if probe:
        print("| capacity probe: connections | requests/s |")
        print("|---:|---:|")
        for connections, measured in probe:
            print(f"| {connections} | {measured:,.1f} |")
        print()
    print(
        f"Target {rate:,.1f} requests/s ({args.load:.0%} of {best:,.1f}), {sent:,} sent; answered "
        f"{achieved:,.1f}/s during the {seconds:,.0f} s ({len(answers):,} in all, the last "
        f"{elapsed - seconds:,.0f} s after it; + {probe_answers:,} while measuring capacity)"
    )
    print()
    print("| kind | requests | 2xx/3xx | 4xx | 5xx | p50 ms | p99 ms |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    kinds = collections.defaultdict(list)
    for kind, status, latency, _t in answers:
        kinds[kind].append((status, latency))
    for kind in [*MIX, *sorted(set(kinds) - set(MIX))]:
        rows = kinds.get(kind)
        if not rows:
            continue
        latencies = [latency * 1000 for _s, latency in rows]
        ok = sum(1 for status, _l in rows if status < 400)
        client = sum(1 for status, _l in rows if 400 <= status < 500)
        server = sum(1 for status, _l in rows if status >= 500)
        print(
            f"| {kind} | {len(rows):,} | {ok:,} | {client:,} | {server:,} | "
            f"{percentile(latencies, 0.5):,.0f} | {percentile(latencies, 0.99):,.0f} |"
        )
    print()
    print("| process | RSS after warm-up MB | RSS at end MB | growth | samples | same pid |")
    print("|---|---:|---:|---:|---:|---|")
    memory_ok = True
    for name, samples in sorted(sampler.samples.items()):
        base, end, growth, same = _growth(samples, started + warmup)
        memory_ok &= growth < 0.10 and same
        print(
            f"| {name} | {base / 1024:,.1f} | {end / 1024:,.1f} | {growth:+.1%} | "
            f"{len(samples)} | {'yes' if same else 'NO (restarted)'} |"
        )
    print()
    acknowledged = len(record.comments) + len(record.likes) + len(record.articles)
    missing = sum(v for k, v in stored.items() if k != "counters disagreeing")
    print(
        f"Acknowledged writes (capacity probe included): {len(record.comments):,} comments, "
        f"{len(record.likes):,} likes, {len(record.articles):,} articles submitted; "
        + ", ".join(f"{k}: {v}" for k, v in stored.items())
    )
    checks = {
        "the target rate sustained (95 %)": achieved >= 0.95 * rate,
        "0 server errors (5xx)": errors == 0,
        "every request answered": unanswered == 0,
        "no process restarted": restarts == 0,
        "memory growth under 10 % after warm-up": memory_ok,
        "every acknowledged write stored": missing == 0 and acknowledged > 0,
        "counters agree with rows": stored["counters disagreeing"] == 0,
    }
    print()
    for check, passed in checks.items():
        print(f"- {'PASS' if passed else 'FAIL'}: {check}")
    if record.failures:
        print(f"  unanswered: {dict(record.failures)}")
    if record.samples:
        print(f"  5xx samples: {record.samples}")
    return not all(checks.values())


if __name__ == "__main__":
    main()
