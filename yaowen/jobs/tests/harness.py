"""The real-process harness of the multi-process tests: the site as `bin/serve` runs it
(`manage.py serve`: two granian web workers and the queue consumer under the supervisor),
on its own database, cache and queue, and HTTP clients that act on it as people do."""

import http.client
import http.cookiejar
import json
import os
import re
import secrets
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
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
MANAGE = str(ROOT / "manage.py")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def pg(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


def until(check, *, seconds: float, every: float = 0.5):
    """`check()`'s first true result within `seconds`, else its last result."""
    deadline = time.monotonic() + seconds
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(every)


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid …: comm may hold spaces and parentheses.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


class Page(NamedTuple):
    status: int
    text: str


class Site:
    """The running site: its environment, URL and log, and ways to act on it.

    `extra` adds to or overrides its environment (REDIS_URL, SQLITE_PATH …)."""

    def __init__(self, folder: Path, extra: dict[str, str] | None = None) -> None:
        self.folder = folder
        self.port = free_port()
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
            **(extra or {}),
        }
        self.database = None
        server = os.environ.get("DATABASE_URL")
        if server:  # the PostgreSQL pass: a database of our own on the same server
            self.database = name
            with psycopg.connect(pg(server), autocommit=True) as admin:
                admin.execute(f'CREATE DATABASE "{name}"')
            self.env["DATABASE_URL"] = server.rsplit("/", 1)[0] + f"/{name}"
        self.process: subprocess.Popen | None = None

    def manage(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        done = subprocess.run(
            [sys.executable, MANAGE, *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        if check and done.returncode:
            raise AssertionError(f"manage.py {args[0]} failed:\n{done.stderr[-3000:]}")
        return done

    def shell(self, code: str) -> str:
        return self.manage("shell", "--no-imports", "-c", code).stdout

    def shell_json(self, code: str):
        """Run `code` in the site's shell; the last line it prints, read as JSON."""
        return json.loads(self.shell(code).strip().splitlines()[-1])

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

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        """Stop the processes (SIGTERM to the supervisor, as Ctrl+C does)."""
        if self.running():
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def close(self) -> None:
        """Stop the processes and drop the PostgreSQL database made for this site."""
        self.stop()
        if self.database:
            with psycopg.connect(pg(os.environ["DATABASE_URL"]), autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def get(self, path: str, opener=None) -> Page:
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

    def web_workers(self) -> list[int]:
        """The granian worker processes of the web server started last."""
        return children(self.pids("web server")[-1])


class Answer(NamedTuple):
    status: int
    location: str
    body: str


class Visitor:
    """One person's browser: a session cookie (given, for a logged-in person), a CSRF
    cookie, and a connection kept alive between requests. One thread each."""

    def __init__(self, site: Site, session: str | None = None, timeout: float = 20) -> None:
        self.site = site
        self.timeout = timeout
        # Any 32 letters and digits are a valid CSRF secret: the cookie a browser would hold,
        # without fetching a form first.
        self.cookies = {"csrftoken": secrets.token_hex(16)}
        if session:
            self.cookies["sessionid"] = session
        self._connection: http.client.HTTPConnection | None = None

    def request(
        self, method: str, path: str, form: dict | None = None, *, json_answer: bool = False
    ) -> Answer:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            token = self.cookies.get("csrftoken", "")
            body = urllib.parse.urlencode({**form, "csrfmiddlewaretoken": token}).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = self.site.url + path
        if json_answer:
            headers["Accept"] = "application/json"
        for attempt in (1, 2):
            if self._connection is None:
                self._connection = http.client.HTTPConnection(
                    "127.0.0.1", self.site.port, timeout=self.timeout
                )
            try:
                self._connection.request(method, path, body=body, headers=headers)
                response = self._connection.getresponse()
                text = response.read().decode("utf-8", errors="replace")
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # A kept-alive connection the server closed before this request: a GET is
                # retried on a new one; a POST is not (it may have been applied).
                self.drop()
                if method != "GET" or attempt == 2:
                    raise
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, value = header.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value.strip().strip('"')
        return Answer(response.status, response.getheader("Location") or "", text)

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def post(self, path: str, form: dict, *, json_answer: bool = False) -> Answer:
        return self.request("POST", path, form, json_answer=json_answer)

    def drop(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
