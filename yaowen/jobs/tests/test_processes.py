"""The site as `bin/serve` runs it: two web workers and the queue consumer under the
supervisor (`manage.py serve`), on their own database, cache and queue. What only several
processes can show: schedules that fire with nothing else running, invalidation and
purges that reach every worker, a consumer killed mid-task losing nothing."""

import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path
from typing import NamedTuple

import psycopg
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
MANAGE = str(ROOT / "manage.py")
# Enough requests that both web workers answer some (each takes a request at random).
SPREAD = 24

pytestmark = pytest.mark.processes


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Site:
    """The running site: its environment, URL and log, and ways to act on it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = folder / "serve.log"
        name = f"ywproc{uuid.uuid4().hex[:10]}"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "yaowen.jobs.tests.process_settings",
            "SQLITE_PATH": str(folder / "site.sqlite3"),
            "QUEUE_PATH": str(folder / "queue.sqlite3"),
            "CACHE_DIR": str(folder / "cache"),
            "MEDIA_ROOT": str(folder / "media"),
            "CLASSIFIER_PATH": str(folder / "classifier.joblib"),
            "QUEUE_NAME": name,
            "CACHE_KEY_PREFIX": name,
            "DEBUG": "false",
            "VIEW_COUNTING": "off",
            "EVENT_RETRY_SECONDS": "1",
            "EVENT_MAX_ATTEMPTS": "3",
            "EVENT_LEASE_SECONDS": "2",
            "TRUSTED_CREATORS_SKIP_REVIEW": "false",
        }
        self.database = None
        server = os.environ.get("DATABASE_URL")
        if server:  # the PostgreSQL pass: a database of our own on the same server
            self.database = name
            with psycopg.connect(_pg(server), autocommit=True) as admin:
                admin.execute(f'CREATE DATABASE "{name}"')
            self.env["DATABASE_URL"] = server.rsplit("/", 1)[0] + f"/{name}"
        self.process: subprocess.Popen | None = None

    def manage(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, MANAGE, *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=check,
            timeout=120,
        )

    def shell(self, code: str) -> str:
        return self.manage("shell", "--no-imports", "-c", code).stdout

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, MANAGE, "serve", "--port", str(self.port), "--workers", "2"],
            env=self.env,
            cwd=ROOT,
            stdout=open(self.log_path, "ab"),  # noqa: SIM115  # closed with the process
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if self.get("/").status == 200:
                    return
            except OSError:
                time.sleep(0.3)
        raise AssertionError(f"the site did not start:\n{self.log()}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
        if self.database:
            with psycopg.connect(_pg(os.environ["DATABASE_URL"]), autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def get(self, path: str, opener=None) -> "Page":
        opener = opener or urllib.request.build_opener()
        try:
            response = opener.open(self.url + path, timeout=10)
        except urllib.error.HTTPError as error:
            response = error
        return Page(response.getcode(), response.read().decode("utf-8", errors="replace"))

    def login(self, username: str, password: str):
        """An opener holding a logged-in session (and its CSRF cookie)."""
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = self.get("/accounts/login/", opener)
        self.post(
            "/accounts/login/", {"username": username, "password": password}, opener, page.text
        )
        return opener

    def post(self, path: str, data: dict, opener, form_page: str):
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form_page)[1]
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(
            self.url + path, data=body, headers={"Referer": self.url + path}
        )
        try:
            return opener.open(request, timeout=20)
        except urllib.error.HTTPError as error:
            return error

    def pids(self, name: str) -> list[int]:
        return [int(pid) for pid in re.findall(rf"{name} started \(pid (\d+)\)", self.log())]


class Page(NamedTuple):
    status: int
    text: str


def _pg(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    running = Site(tmp_path_factory.mktemp("site"))
    try:
        running.manage("migrate", "--noinput", "-v0")
        seeded = running.shell("from yaowen.jobs.tests.site_seed import seed; seed()")
        running.ids = json.loads(seeded.strip().splitlines()[-1])
        running.start()
        yield running
    finally:
        running.stop()


def _spread(site: Site, path: str) -> list:
    return [site.get(path) for _request in range(SPREAD)]


def _until(check, *, seconds: float, every: float = 0.5):
    deadline = time.monotonic() + seconds
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(every)


def test_a_second_copy_refuses_to_start_beside_the_first(site):
    again = site.manage("serve", "--port", str(site.port), check=False)
    assert again.returncode != 0
    assert "already being served" in again.stderr


def test_an_edit_is_seen_from_every_worker(site):
    live = site.ids["live"][0]
    assert all("越冬候鸟第1批" in page.text for page in _spread(site, f"/a/{live}/"))
    site.shell(
        "from yaowen.newsroom.models import Article;"
        "from yaowen.newsroom.services import ArticleInput, article_update;"
        f"a = Article.objects.get(pk={live});"
        "article_update(article=a, data=ArticleInput.from_article(a, title='青岚湖湿地候鸟"
        "数量创十年新高'), by=a.author.user)"
    )
    pages = _spread(site, f"/a/{live}/")
    assert all("候鸟数量创十年新高" in page.text for page in pages)


def test_purge_pages_reaches_the_running_server(site):
    live = site.ids["live"][1]
    assert all(page.status == 200 for page in _spread(site, f"/a/{live}/"))
    # Behind the cache's back: no invalidation, so the cached page stays as it was.
    site.shell(
        "from yaowen.newsroom.models import Article;"
        f"Article.objects.filter(pk={live}).update(title='悄悄改过的标题')"
    )
    assert not any("悄悄改过的标题" in page.text for page in _spread(site, f"/a/{live}/"))
    assert "Every cached page" in site.manage("purge_pages", "--all").stdout
    assert all("悄悄改过的标题" in page.text for page in _spread(site, f"/a/{live}/"))


def test_a_take_down_by_one_worker_is_served_by_none(site):
    live = site.ids["live"][1]
    assert all(page.status == 200 for page in _spread(site, f"/a/{live}/"))
    editor = site.login("editor", "editor-pass-123")
    form = site.get(f"/review/articles/{live}/", editor)
    assert form.status == 200
    done = site.post(
        f"/review/articles/{live}/",
        {"action": "take_down", "reason": "经核实存在侵权内容", "category": ""},
        editor,
        form.text,
    )
    assert done.getcode() in (200, 302)
    assert [page.status for page in _spread(site, f"/a/{live}/")] == [410] * SPREAD


def test_after_approval_search_and_the_neighbours_lists_have_it_within_10_s(site):
    pending = site.ids["pending"]
    neighbour = site.ids["live"][0]
    started = time.monotonic()
    site.shell(
        "from yaowen.accounts.models import User;"
        "from yaowen.newsroom.models import Article;"
        "from yaowen.newsroom.services import article_approve;"
        f"article_approve(article=Article.objects.get(pk={pending}),"
        " reviewer=User.objects.get(username='editor'))"
    )
    link = f'href="/a/{pending}/"'
    found = _until(
        lambda: (
            link in site.get("/search/?q=" + urllib.parse.quote("白鹤种群")).text
            and link in site.get(f"/a/{neighbour}/").text
        ),
        seconds=10,
    )
    assert found, f"not listed {time.monotonic() - started:.1f} s after approval"


def test_a_failing_listener_is_retried_then_shown_as_failed(site):
    site.shell("from yaowen.jobs.events import announce; announce('probe.fail')")
    listed = _until(
        lambda: (
            "probe.fail → yaowen.jobs.tests.probes.fail (3 attempts)" in site.manage("jobs").stdout
        ),
        seconds=30,
    )
    assert listed, site.manage("jobs").stdout
    assert "FAILED for good" in site.log()


def test_a_consumer_killed_mid_task_loses_no_event_and_is_restarted_loudly(site, tmp_path):
    site.shell(
        "from yaowen.jobs.events import announce;"
        f"announce('probe.slow', folder={str(tmp_path)!r}, seconds=8)"
    )
    assert _until(lambda: (tmp_path / "started").exists(), seconds=20)
    consumer = site.pids("queue consumer")[-1]
    os.kill(consumer, signal.SIGKILL)
    assert _until(lambda: len(site.pids("queue consumer")) >= 2, seconds=20), site.log()
    assert f"queue consumer DIED with exit code -{signal.SIGKILL}" in site.log()
    assert _until(lambda: (tmp_path / "done").exists(), seconds=40), site.log()
    started = (tmp_path / "started").read_text().split()
    assert len(started) == 2 and len(set(started)) == 1  # the same delivery, run again
    status = site.shell(
        "from yaowen.jobs.models import Delivery;"
        "print(Delivery.objects.filter(event='probe.slow').get().status)"
    )
    assert status.strip() == "done"


def test_a_scheduled_article_goes_live_within_90_s_with_nothing_else_running(site):
    assert site.ids["status"] == "scheduled"
    article = site.ids["scheduled"]
    assert site.get(f"/a/{article}/").status == 404
    deadline = site.ids["scheduled_at"] + 30  # 90 s after it was scheduled
    live = _until(
        lambda: site.get(f"/a/{article}/").status == 200,
        seconds=max(1, deadline - time.time()),
    )
    assert live, site.manage("jobs").stdout
