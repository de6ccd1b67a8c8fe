"""Benchmark article pages over HTTP: gunicorn and granian against nginx serving the same HTML.

    .venv/bin/python bench/site_http.py                   # 10,000 articles, 3 rounds of 15 s
    .venv/bin/python bench/site_http.py --quick           # smoke test: 500 articles, 3 s runs
    .venv/bin/python bench/site_http.py --articles 20000 --rounds 5 --duration 20
    .venv/bin/python bench/site_http.py --servers granian --granian-threads 1,4 --caches redis
    .venv/bin/python bench/site_http.py --servers granian --granian-threads 1 --caches locmem,disk
    .venv/bin/python bench/site_http.py --install         # first apt-get install nginx-light wrk

Needs nginx and wrk (Debian: `apt-get install -y nginx-light wrk`; --install runs it) and
granian (`pip install -e '.[bench]'`). The demo corpus (`manage.py demo`) is built once into
bench/var/bench-<N>.sqlite3 and shared with bench/article_page.py. Settings are production's:
DEBUG off, the SQLite file, static files collected and served by WhiteNoise, view counting on.
The cache is the default one, on disk and shared by the workers (`--caches disk`; each
server its own directory in the run's temporary folder, on the same disk as var/), or each
worker's own memory (`locmem`, CACHE_BACKEND=locmem) or Redis db 14 (`redis`): every app
server runs once per cache named, side by side in the same rounds.

Every published article page is fetched once, anonymously, with Django's test client and
written to <tmp>/root/a/<id>/index.html, so nginx (a child process with its own config,
`worker_processes` = cores, `access_log off`) serves the same bytes at the same URL. The app
servers are gunicorn (sync workers; by default 2·cores+1 and cores) and granian (WSGI,
workers = cores; by default 1 blocking thread per worker and granian's own default), each on
its own port. wrk drives every server the same way: `wrk -t2 -c<connections> -d<duration>s
--latency -H "Connection: close"`, so every server opens a connection per request as
gunicorn's sync workers force. Two cases, servers interleaved in each round (nginx, then
each app server), after a warm-up run of each:

(a) one article page, requested in the warm-up first so the app serves it from its page
    cache (which lives 60 s; the warm-up before each run renews it);
(b) a uniformly random published article per request (a Lua script holding the ids, seeded
    per round so every server gets the same sequence). Each app server is restarted (and its
    disk or Redis cache emptied) before each of its runs, and warmed up on one page only, so
    its per-article caches start empty while code and site-wide lists are loaded.

The table gives the median of the rounds' requests/s (and each round's), the share of nginx's
(median of the per-round ratios), median p50/p99 latency, the bytes of a response and socket
errors, and for each cache whether its fastest app server meets the targets. Any non-2xx
response aborts the run: a benchmark of error pages is worthless.
Progress goes to stderr, results to stdout.
"""

import argparse
import http.client
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from _corpus import PYTHON, ROOT, build_corpus, collect_static, corpus_env, log

CORES = os.cpu_count() or 1
APT = "apt-get install -y nginx-light wrk"
REDIS_URL = "redis://127.0.0.1:6379/14"
CACHES = ("locmem", "disk", "redis")
_TAKEN: set[int] = set()
ONE_PAGE = "(a) one page"
RANDOM_PAGES = "(b) random"
# wrk's done() hook writes its summary as one JSON line, so nothing depends on its text layout.
WRK_DONE = """
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, '
    .. '"write": %d, "status": %d, "timeout": %d, "p50_us": %.1f, "p99_us": %.1f}\\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(99)))
end
"""
# Each wrk thread has its own Lua state: setup() numbers them, init() seeds each with the
# round (the script's argument) and its number, then formats every request once.
WRK_RANDOM = """
local ids = "{ids}"
local counter = 0
local requests = {{}}
function setup(thread)
  counter = counter + 1
  thread:set("thread_number", counter)
end
function init(args)
  math.randomseed(tonumber(args[1] or "0") * 1000 + thread_number)
  for id in ids:gmatch("%d+") do
    requests[#requests + 1] = wrk.format(nil, "/a/" .. id .. "/")
  end
end
function request()
  return requests[math.random(#requests)]
end
"""
NGINX_CONF = """
worker_processes {workers};
{user}
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
daemon off;
events {{ worker_connections 4096; }}
http {{
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  charset utf-8;
  access_log off;
  sendfile on;
  tcp_nopush on;
  client_body_temp_path {tmp}/nginx-body;
  proxy_temp_path {tmp}/nginx-proxy;
  fastcgi_temp_path {tmp}/nginx-fastcgi;
  uwsgi_temp_path {tmp}/nginx-uwsgi;
  scgi_temp_path {tmp}/nginx-scgi;
  server {{
    listen 127.0.0.1:{port} backlog=4096;
    root {root};
    index index.html;
  }}
}}
"""


@dataclass
class Server:
    """One server under test: its command, port and (while it runs) its process."""

    name: str
    argv: list[str]
    port: int
    env: dict[str, str]
    log_path: Path
    is_app: bool = True
    cache: str = ""
    process: subprocess.Popen | None = None

    def start(self, ready_path: str) -> None:
        with self.log_path.open("ab") as out:
            # Its own session, so stopping it reaches the workers it forks and nothing else.
            self.process = subprocess.Popen(
                self.argv,
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"{self.name} exited at start:\n{self.log_tail()}")
            try:
                status, _ = fetch(self.port, ready_path)
            except OSError:
                time.sleep(0.2)
                continue
            if status == 200:
                return
            sys.exit(f"{self.name} answers {ready_path} with {status}:\n{self.log_tail()}")
        sys.exit(f"{self.name} did not answer within 90 s:\n{self.log_tail()}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            self.process = None
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.process = None

    def log_tail(self) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-20:])


@dataclass
class Run:
    rps: float
    p50_ms: float
    p99_ms: float
    bytes_per_response: float
    socket_errors: int


@dataclass
class Result:
    case: str
    server: str
    runs: list[Run] = field(default_factory=list)
    shares: list[float] = field(default_factory=list)


def fetch(port: int, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Connection": "close"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def spare_port() -> int:
    """A free port below the ephemeral range, so no client socket of wrk's can hold it."""
    rng = random.Random()
    for _ in range(1000):
        port = rng.randrange(20000, 32000)
        if port in _TAKEN:
            continue
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        _TAKEN.add(port)
        return port
    sys.exit("no free port between 20000 and 32000")


def ensure_tools(install: bool, servers: list[str]) -> None:
    """nginx and wrk from Debian, the app servers measured from the virtualenv."""
    missing = [tool for tool in ("nginx", "wrk") if not shutil.which(tool, path=_sbin_path())]
    if missing and install:
        log(f"installing {', '.join(missing)}: {APT}")
        if subprocess.run(APT.split(), check=False).returncode != 0:
            subprocess.run(["apt-get", "update"], check=True)
            subprocess.run(APT.split(), check=True)
        missing = [tool for tool in ("nginx", "wrk") if not shutil.which(tool, path=_sbin_path())]
    if missing:
        sys.exit(
            f"missing: {', '.join(missing)}. Install them with\n    {APT}\n"
            "(as root), or run this script with --install."
        )
    for tool in servers:
        if not (Path(PYTHON).parent / tool).exists():
            sys.exit(f"missing: {tool} in {Path(PYTHON).parent}; run pip install -e '.[bench]'")


def tool_versions(servers: list[str]) -> str:
    bin_dir = Path(PYTHON).parent
    commands = {
        "nginx": [shutil.which("nginx", path=_sbin_path()) or "nginx", "-v"],
        "wrk": ["wrk", "-v"],
        **{server: [str(bin_dir / server), "--version"] for server in servers},
    }
    found = []
    for name, argv in commands.items():
        result = subprocess.run(argv, capture_output=True, text=True, check=False)
        words = (result.stdout + result.stderr).split()
        version = next((w.rsplit("/", 1)[-1] for w in words if "/" in w or w[:1].isdigit()), "?")
        found.append(f"{name} {version.rstrip(')')}")
    return ", ".join(found)


def _sbin_path() -> str:
    return os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"])


def app_environment(args: argparse.Namespace) -> dict[str, str]:
    """Production's settings on the benchmark corpus; nothing inherited switches them.

    The cache here is this process's memory (building the corpus, the static copies);
    `cache_environment` gives each app server its own."""
    env = corpus_env(args.articles)
    env.update(
        DEBUG="0",
        DJANGO_SETTINGS_MODULE="config.settings.base",
        # Empty rather than unset, so a .env file cannot switch them back on.
        DATABASE_URL="",
        REDIS_URL="",
        CACHE_BACKEND="locmem",
        CACHE_KEY_PREFIX="bench-site-http",
        LOG_LEVEL="WARNING",
    )
    env.pop("VIEW_COUNTING", None)
    env.pop("CACHE_DIR", None)
    return env


def cache_environment(env: dict[str, str], cache: str, directory: Path) -> dict[str, str]:
    """An app server's environment with `cache`: its own memory per worker, a directory
    shared by its workers, or Redis."""
    env = dict(env)
    if cache == "locmem":
        env.update(CACHE_BACKEND="locmem", REDIS_URL="")
    elif cache == "disk":
        env.update(CACHE_BACKEND="disk", REDIS_URL="", CACHE_DIR=str(directory))
    else:
        env.update(CACHE_BACKEND="", REDIS_URL=REDIS_URL)
    return env


def cache_empty(server: Server) -> None:
    """Forget a stopped server's cache (its memory went with its workers)."""
    if server.cache == "disk":
        shutil.rmtree(server.env["CACHE_DIR"], ignore_errors=True)
    elif server.cache == "redis":
        import redis

        client = redis.Redis.from_url(REDIS_URL)
        try:
            client.flushdb()
        finally:
            client.close()


def write_static_copies(env: dict[str, str], root: Path, host: str) -> list[int]:
    """Fetch every published article page anonymously into root/a/<id>/index.html."""
    os.environ.update(env)
    # The copies are not views; the servers count theirs.
    os.environ["VIEW_COUNTING"] = "off"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.cache import cache
    from django.test import Client

    from yaowen.newsroom.models import Article

    ids = sorted(
        Article.objects.filter(status=Article.Status.PUBLISHED).values_list("pk", flat=True)
    )
    if not ids:
        sys.exit("the corpus has no published articles")
    client = Client(HTTP_HOST=host)
    started = time.monotonic()
    total = 0
    for number, article_id in enumerate(ids, 1):
        response = client.get(f"/a/{article_id}/")
        if response.status_code != 200:
            sys.exit(f"/a/{article_id}/ answered {response.status_code} to the test client")
        page = root / "a" / str(article_id)
        page.mkdir(parents=True, exist_ok=True)
        (page / "index.html").write_bytes(response.content)
        total += len(response.content)
        if number % 1000 == 0 or number == len(ids):
            # The copies are on disk; the page cache would only grow.
            cache.clear()
            log(
                f"static copies: {number}/{len(ids)} pages, "
                f"{time.monotonic() - started:.0f}s, {total / number / 1024:.1f} KiB on average"
            )
    return ids


def nginx_server(tmp: Path, root: Path, port: int) -> Server:
    # A root master drops its workers to `nobody`, who may not read the copies; keep our user.
    user = "user root root;" if os.geteuid() == 0 else ""
    conf = tmp / "nginx.conf"
    conf.write_text(
        NGINX_CONF.format(workers=CORES, user=user, tmp=tmp, root=root, port=port),
        encoding="utf-8",
    )
    nginx = shutil.which("nginx", path=_sbin_path()) or "nginx"
    check = subprocess.run(
        [nginx, "-t", "-q", "-p", str(tmp), "-c", str(conf), "-e", str(tmp / "nginx-error.log")],
        capture_output=True,
        text=True,
        check=False,
    )
    if check.returncode != 0:
        sys.exit(f"nginx rejects the generated {conf}:\n{check.stderr}")
    return Server(
        name="nginx",
        argv=[nginx, "-p", str(tmp), "-c", str(conf), "-e", str(tmp / "nginx-error.log")],
        port=port,
        env=dict(os.environ),
        log_path=tmp / "nginx.out",
        is_app=False,
    )


def app_servers(args: argparse.Namespace, env: dict[str, str], tmp: Path) -> list[Server]:
    """Each server configuration once per cache named in --caches."""
    caches = [name.strip() for name in args.caches.split(",") if name.strip()]
    for cache in caches:
        if cache not in CACHES:
            sys.exit(f"--caches: unknown cache {cache!r} ({', '.join(CACHES)})")
    if not caches:
        sys.exit(f"--caches: name at least one of {', '.join(CACHES)}")
    servers = []
    for cache in caches:
        for server in _app_servers(args, tmp, cache):
            server.cache = cache
            server.env = cache_environment(env, cache, tmp / f"cache-{server.port}")
            # Servers sharing Redis keep their pages apart.
            server.env["CACHE_KEY_PREFIX"] = f"bench-site-http-{server.port}"
            if len(caches) > 1 or cache != "disk":
                server.name = f"{server.name} {cache}"
            servers.append(server)
    return servers


def _app_servers(args: argparse.Namespace, tmp: Path, cache: str) -> list[Server]:
    bin_dir = Path(PYTHON).parent
    env: dict[str, str] = {}  # app_servers() gives each its cache's environment
    servers = []
    families = [name.strip() for name in args.servers.split(",") if name.strip()]
    for family in families:
        if family not in ("gunicorn", "granian"):
            sys.exit(f"--servers: unknown server {family!r} (gunicorn, granian)")
    if "gunicorn" in families:
        for workers in _counts(args.gunicorn_workers, "--gunicorn-workers"):
            port = spare_port()
            name = f"gunicorn -w{workers}"
            argv = [str(bin_dir / "gunicorn"), "config.wsgi:application"]
            argv += ["--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
            argv += ["--log-level", "warning", *args.gunicorn_args.split()]
            log_path = tmp / f"gunicorn-w{workers}-{cache}.log"
            servers.append(Server(name, argv, port, env, log_path))
    if "granian" in families:
        for threads in [t.strip() for t in args.granian_threads.split(",") if t.strip()]:
            if threads != "auto" and not threads.isdigit():
                sys.exit(f"--granian-threads: {threads!r} is neither a number nor 'auto'")
            port = spare_port()
            name = f"granian -w{args.granian_workers} -t{threads}"
            argv = [str(bin_dir / "granian"), "--interface", "wsgi", "config.wsgi:application"]
            argv += ["--host", "127.0.0.1", "--port", str(port)]
            argv += ["--workers", str(args.granian_workers), "--http", "1", "--no-ws"]
            argv += ["--log-level", "warning"]
            if threads != "auto":
                argv += ["--blocking-threads", threads]
            argv += args.granian_args.split()
            log_name = f"granian-w{args.granian_workers}-t{threads}-{cache}.log"
            servers.append(Server(name, argv, port, env, tmp / log_name))
    if not servers:
        sys.exit("--servers: name at least one of gunicorn, granian")
    return servers


def _counts(raw: str, flag: str) -> list[int]:
    try:
        counts = [int(part) for part in raw.split(",") if part.strip()]
    except ValueError:
        sys.exit(f"{flag}: expected numbers separated by commas, got {raw!r}")
    if not counts or min(counts) < 1:
        sys.exit(f"{flag}: expected positive numbers, got {raw!r}")
    return counts


def wrk(
    server: Server, script: Path, seconds: int, connections: int, *, target: str, seed: int = 0
) -> Run:
    """One wrk run; exits on any non-2xx response."""
    # A 10 s timeout, so slow pages are measured rather than dropped as socket errors.
    argv = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    argv += ["-H", "Connection: close", "-s", str(script)]
    argv += [f"http://127.0.0.1:{server.port}{target}", "--", str(seed)]
    result = subprocess.run(argv, capture_output=True, text=True, check=False)
    lines = result.stdout.splitlines()
    summary = next((line for line in lines if line.startswith("WRKJSON ")), None)
    if result.returncode != 0 or summary is None:
        sys.exit(f"wrk failed against {server.name}:\n{result.stdout}{result.stderr}")
    data = json.loads(summary.removeprefix("WRKJSON "))
    non_2xx = [line.strip() for line in lines if "Non-2xx" in line]
    if data["status"] or non_2xx or not data["requests"]:
        sys.exit(
            f"{server.name} answered {data['status']} of {data['requests']} requests with an "
            f"error status ({target}): a benchmark of error pages is worthless.\n"
            f"{result.stdout}\n{server.name} log:\n{server.log_tail()}"
        )
    errors = sum(data[kind] for kind in ("connect", "read", "write", "timeout"))
    return Run(
        rps=data["requests"] / (data["duration_us"] / 1e6),
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        bytes_per_response=data["bytes"] / data["requests"],
        socket_errors=errors,
    )


def check_pages(servers: list[Server], paths: list[str]) -> None:
    """Every server answers these pages with 200 before anything is measured."""
    for server in servers:
        for path in paths:
            status, body = fetch(server.port, path)
            if status != 200:
                sys.exit(f"{server.name} answers {path} with {status}:\n{server.log_tail()}")
            if b"</html>" not in body:
                sys.exit(f"{server.name} answers {path} with an incomplete page")


def measure(
    args: argparse.Namespace, nginx: Server, apps: list[Server], tmp: Path, article_id: int
) -> list[Result]:
    """Both cases, the servers interleaved in every round; report() takes the medians."""
    page = f"/a/{article_id}/"
    one_page = tmp / "page.lua"
    one_page.write_text(WRK_DONE, encoding="utf-8")
    random_pages = tmp / "random.lua"
    servers = [nginx, *apps]
    results: list[Result] = []
    for case in (ONE_PAGE, RANDOM_PAGES):
        by_server = {server.name: Result(case, server.name) for server in servers}
        for round_number in range(1, args.rounds + 1):
            for server in servers:
                if case == ONE_PAGE:
                    # Renews the cached page (it lives 60 s) in every worker.
                    wrk(server, one_page, args.warmup, args.connections, target=page)
                    run = wrk(server, one_page, args.duration, args.connections, target=page)
                else:
                    start_empty(server, args, one_page, random_pages, page)
                    run = wrk(
                        server,
                        random_pages,
                        args.duration,
                        args.connections,
                        target="",
                        seed=round_number,
                    )
                by_server[server.name].runs.append(run)
                log(f"round {round_number} {case} {server.name}: {run.rps:.0f} req/s")
            for server in apps:
                by_server[server.name].shares.append(
                    by_server[server.name].runs[-1].rps / by_server[nginx.name].runs[-1].rps
                )
        results.extend(by_server.values())
    return results


def start_empty(
    server: Server, args: argparse.Namespace, one_page: Path, random_pages: Path, page: str
) -> None:
    """Before a random-pages run: an app server restarted with empty caches, then warmed up
    on one page only (code, templates and site-wide lists loaded in every worker)."""
    if not server.is_app:
        wrk(server, random_pages, args.warmup, args.connections, target="", seed=0)
        return
    server.stop()
    cache_empty(server)
    server.start(page)
    wrk(server, one_page, args.warmup, args.connections, target=page)


def report(results: list[Result], caches: dict[str, str]) -> None:
    """The table, then each cache's verdict (`caches`: app server name -> its cache)."""
    rounds = {id(r): " ".join(f"{run.rps:.0f}" for run in r.runs) for r in results}
    width = max(len("rounds"), *map(len, rounds.values()))
    header = (
        f"{'case':<13} {'server':<27} {'req/s':>8}  {'rounds':<{width}} {'of nginx':>8} "
        f"{'p50':>8} {'p99':>8} {'KiB/resp':>8} {'sock err':>8}"
    )
    print(header)
    print("-" * len(header))
    for result in results:
        runs = result.runs
        share = f"{statistics.median(result.shares):.1%}" if result.shares else "100%"
        print(
            f"{result.case:<13} {result.server:<27} "
            f"{statistics.median(run.rps for run in runs):>8.0f}  {rounds[id(result)]:<{width}} "
            f"{share:>8} "
            f"{statistics.median(run.p50_ms for run in runs):>6.2f}ms "
            f"{statistics.median(run.p99_ms for run in runs):>6.1f}ms "
            f"{statistics.median(run.bytes_per_response for run in runs) / 1024:>8.1f} "
            f"{sum(run.socket_errors for run in runs):>8}"
        )
    print()
    for cache in dict.fromkeys(caches.values()):
        for case, target in ((ONE_PAGE, 0.18), (RANDOM_PAGES, 0.02)):
            apps = [r for r in results if r.case == case and r.shares and caches[r.server] == cache]
            best = max(apps, key=lambda r: statistics.median(r.shares))
            share = statistics.median(best.shares)
            verdict = "met" if share >= target else "MISSED"
            print(
                f"{case}, cache {cache}: fastest {best.server} at {share:.1%} of nginx "
                f"(target >= {target:.0%}): {verdict}"
            )
    for result in results:
        nginx = next(r for r in results if r.case == result.case and not r.shares)
        mine = statistics.median(run.bytes_per_response for run in result.runs)
        theirs = statistics.median(run.bytes_per_response for run in nginx.runs)
        if abs(mine - theirs) > 0.1 * theirs:
            print(
                f"warning: {result.server} {result.case} sends {mine:.0f} bytes a response, "
                f"nginx {theirs:.0f}: not the same pages"
            )
        errors = sum(run.socket_errors for run in result.runs)
        if errors:
            print(
                f"warning: {result.server} {result.case}: {errors} socket errors "
                "(connect/read/write/timeout); its figures are suspect"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=15, help="seconds of each wrk run")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of the warm-up runs")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--servers", default="gunicorn,granian")
    parser.add_argument(
        "--gunicorn-workers", default=f"{2 * CORES + 1},{CORES}", help="one server per count"
    )
    parser.add_argument(
        "--granian-threads",
        default="1,auto",
        help="blocking threads per granian worker, one server per value (auto: granian's)",
    )
    parser.add_argument("--granian-workers", type=int, default=CORES)
    parser.add_argument("--gunicorn-args", default="", help="extra gunicorn options")
    parser.add_argument("--granian-args", default="", help="extra granian options")
    parser.add_argument(
        "--caches",
        default="disk",
        help=f"one app server per cache and configuration: {', '.join(CACHES)} "
        f"(disk: the default, shared by the workers; locmem: each worker's memory; "
        f"redis: {REDIS_URL})",
    )
    parser.add_argument("--quick", action="store_true", help="smoke test: 500 articles, 3 s runs")
    parser.add_argument("--install", action="store_true", help=f"run `{APT}` if needed")
    args = parser.parse_args()
    if args.quick:
        args.articles, args.duration, args.warmup = 500, 3, 1
    if args.rounds < 1 or args.duration < 1 or args.warmup < 1 or args.connections < 2:
        parser.error("--rounds, --duration and --warmup must be >= 1, --connections >= 2")
    families = [name.strip() for name in args.servers.split(",") if name.strip()]
    measured = [name for name in ("gunicorn", "granian") if name in families]
    ensure_tools(args.install, measured)

    env = app_environment(args)
    tmp = Path(tempfile.mkdtemp(prefix="site_http-"))
    root = tmp / "root"
    servers: list[Server] = []
    try:
        # Built first, so a wrong option fails before the long steps.
        nginx_port = spare_port()
        apps = app_servers(args, env, tmp)
        build_corpus(args.articles, env)
        collect_static(env)
        ids = write_static_copies(env, root, f"127.0.0.1:{nginx_port}")
        random_ids = ",".join(map(str, ids))
        (tmp / "random.lua").write_text(
            WRK_RANDOM.format(ids=random_ids) + WRK_DONE, encoding="utf-8"
        )
        article_id = ids[len(ids) // 2]
        nginx = nginx_server(tmp, root, nginx_port)
        servers = [nginx, *apps]
        for server in servers:
            log(f"starting {server.name} on port {server.port}")
            server.start(f"/a/{article_id}/")
        check_pages(servers, [f"/a/{article_id}/", f"/a/{ids[0]}/", f"/a/{ids[-1]}/"])
        print(
            f"machine: {CORES} cores; corpus: {len(ids)} published articles in "
            f"{env['SQLITE_PATH']}; caches: {args.caches}; "
            f"DEBUG off\nwrk -t2 -c{args.connections} -d{args.duration}s --latency "
            f'-H "Connection: close"; warm-up {args.warmup}s; {args.rounds} rounds; '
            f"case (a) /a/{article_id}/"
        )
        print(f"versions: {tool_versions(measured)}")
        for server in servers:
            print(f"  {server.name}: {' '.join(server.argv)}")
        print()
        report(measure(args, nginx, apps, tmp, article_id), {s.name: s.cache for s in apps})
    finally:
        for server in servers:
            server.stop()
        for server in servers:
            if server.is_app:
                cache_empty(server)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
