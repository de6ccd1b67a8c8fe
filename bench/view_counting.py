"""Benchmark the article page's requests/s with view counting on and off, side by side.

    .venv/bin/python bench/view_counting.py                        # 5 rounds of 10 s
    .venv/bin/python bench/view_counting.py --rounds 2 --duration 3
    .venv/bin/python bench/view_counting.py --ids 200              # a hot set of 200 pages

Reuses article_page.py's corpus (`manage.py demo`, 5,000 articles by default, kept in
bench/var/). Starts two gunicorn servers with 2 workers each, one counting views and one
with VIEW_COUNTING=off, and drives them in turn with wrk (Debian package `wrk`), swapping
the order every round so both get the same machine conditions. Every request is a random
article and a new browser (random User-Agent), so almost every request is a counted view:
the worst case for counting. Prints each round's req/s, the median on/off ratio and the
cost in percent, then checks that every counted view reached the database.
Set DATABASE_URL / REDIS_URL to measure PostgreSQL / Redis instead.
"""

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from article_page import PYTHON, ROOT, build_corpus

SERVERS = {"on": "8131", "off": "8132"}
# Each wrk thread has its own Lua state: seed each differently, or they would send the same
# sequence of (article, browser) pairs and half the requests would be repeat views.
SCRIPT = """
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end
function init(args)
  math.randomseed(os.time() * 1000 + id)
end
request = function()
  local headers = {}
  headers["User-Agent"] = "bench-" .. math.random(1, 2147483647)
  return wrk.format(nil, "/a/" .. math.random(1, %d) .. "/", headers)
end
"""


def server_env(counting: str, env: dict[str, str]) -> dict[str, str]:
    """The environment of one server: with Redis, a cache of its own, as in memory mode."""
    prefix = f"{env.get('CACHE_KEY_PREFIX', 'yw')}-bench-{counting}"
    return {**env, "VIEW_COUNTING": counting, "CACHE_KEY_PREFIX": prefix}


def server_start(counting: str, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "config.wsgi:application",
            "-b",
            f"127.0.0.1:{SERVERS[counting]}",
            "-w",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=server_env(counting, env),
    )


def server_wait(port: str) -> None:
    for _ in range(150):
        probe = subprocess.run(
            ["curl", "-sf", "-o", "/dev/null", f"http://127.0.0.1:{port}/"], check=False
        )
        if probe.returncode == 0:
            return
        time.sleep(0.2)
    sys.exit(f"the server on port {port} did not start")


def wrk(port: str, script: str, duration: int, connections: int) -> tuple[float, int, str]:
    """Requests/s, requests completed and any errors wrk reported."""
    result = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{duration}s",
            "-s",
            script,
            f"http://127.0.0.1:{port}",
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    lines = result.stdout.splitlines()
    rps = float(next(line for line in lines if line.startswith("Requests/sec")).split()[-1])
    done = int(next(line for line in lines if " requests in " in line).split()[0])
    errors = "; ".join(
        line.strip() for line in lines if "Non-2xx" in line or "Socket errors" in line
    )
    return rps, done, errors


def views_total(env: dict[str, str]) -> int:
    result = subprocess.run(
        [
            PYTHON,
            str(ROOT / "manage.py"),
            "shell",
            "-c",
            "from django.db.models import Sum;from yaowen.newsroom.models import Article;"
            "print(Article.objects.aggregate(n=Sum('view_count'))['n'] or 0)",
        ],
        check=True,
        env=env,
        capture_output=True,
        text=True,
    )
    return int(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument(
        "--ids",
        type=int,
        default=0,
        help="draw ids from the first N articles only (a hot set served from the page cache, "
        "where counting costs the most); default: every article",
    )
    args = parser.parse_args()
    span = min(args.ids or args.articles, args.articles)
    env = dict(os.environ)
    env.setdefault("SQLITE_PATH", str(ROOT / "bench" / "var" / f"bench-{args.articles}.sqlite3"))
    env.setdefault("MEDIA_ROOT", str(ROOT / "bench" / "var" / "media"))
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    env.pop("VIEW_COUNTING", None)
    using_redis = bool(env.get("REDIS_URL"))
    print(
        f"machine: {os.cpu_count()} cores; database: "
        f"{'PostgreSQL' if env.get('DATABASE_URL') else 'SQLite ' + env['SQLITE_PATH']}; "
        f"cache and view buffer: {'Redis' if using_redis else 'local memory'}"
    )
    if "view_record(" not in (ROOT / "yaowen" / "web" / "views.py").read_text():
        print("warning: the article view does not call view_record(): both sides are equal")
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk)")
    build_corpus(args.articles, env)
    manage = [PYTHON, str(ROOT / "manage.py")]
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], check=True, env=env)
    flush = [*manage, "flush_views"]
    if using_redis:
        subprocess.run(flush, check=True, env=server_env("on", env), capture_output=True)
    views_before = views_total(env)

    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(SCRIPT % span)
    servers = {counting: server_start(counting, env) for counting in SERVERS}
    sent_to_counting = 0
    rates: dict[str, list[float]] = {"on": [], "off": []}
    ratios: list[float] = []
    try:
        for port in SERVERS.values():
            server_wait(port)
        # A warm-up run each loads the code and the site-wide caches in every worker.
        sent_to_counting += wrk(SERVERS["on"], script.name, 3, args.connections)[1]
        wrk(SERVERS["off"], script.name, 3, args.connections)
        print(
            f"wrk -t2 -c{args.connections} -d{args.duration}s, random ids over "
            f"{span} articles, a new User-Agent every request"
        )
        for round_number in range(args.rounds):
            order = ("on", "off") if round_number % 2 == 0 else ("off", "on")
            measured = {}
            for counting in order:
                rps, done, errors = wrk(
                    SERVERS[counting], script.name, args.duration, args.connections
                )
                measured[counting] = rps
                rates[counting].append(rps)
                if counting == "on":
                    sent_to_counting += done
                if errors:
                    print(f"  round {round_number + 1} counting {counting}: {errors}")
            ratios.append(measured["on"] / measured["off"])
            print(
                f"  round {round_number + 1}: counting on {measured['on']:.1f} req/s, "
                f"off {measured['off']:.1f} req/s, on/off {ratios[-1]:.3f}"
            )
    finally:
        # SIGTERM lets each worker finish and flush its in-memory buffer at exit.
        for server in servers.values():
            server.send_signal(signal.SIGTERM)
        for server in servers.values():
            server.wait(timeout=30)
        os.unlink(script.name)

    ratio = statistics.median(ratios)
    print(
        f"median req/s: counting on {statistics.median(rates['on']):.1f}, "
        f"off {statistics.median(rates['off']):.1f}; median on/off ratio {ratio:.3f}: "
        f"counting costs {(1 - ratio) * 100:.1f}%"
    )
    if using_redis:
        subprocess.run(flush, check=True, env=server_env("on", env), capture_output=True)
    written = views_total(env) - views_before
    # A few requests may still be in flight when wrk stops, and a random User-Agent rarely
    # repeats; the two figures should agree to within a few dozen.
    print(
        f"views written to the database: {written}; "
        f"requests wrk completed against the counting server: {sent_to_counting}"
    )


if __name__ == "__main__":
    main()
