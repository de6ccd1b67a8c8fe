"""Benchmark the article page on a large corpus: server time (cold and warm) and gunicorn RPS.

    .venv/bin/python bench/article_page.py                 # 100,000 articles (built once)
    .venv/bin/python bench/article_page.py --articles 5000 # a quick run

Builds the corpus with `manage.py demo` into its own SQLite file (bench/var/, kept between
runs), then measures in one process with Django's test client over random article ids:
cold = every cache emptied before each request, warm = the same page requested again.
Finally it starts gunicorn (2 workers) and drives it with wrk (Debian package `wrk`).
Set DATABASE_URL / REDIS_URL to measure PostgreSQL / Redis instead.
"""

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _corpus import PYTHON, ROOT, build_corpus, collect_static, corpus_env, percentile


def measure_in_process(samples: int, rounds: int, env: dict[str, str]) -> None:
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from yaowen.accounts.models import User
    from yaowen.newsroom.models import Article

    ids = list(Article.objects.filter(status="published").values_list("pk", flat=True))
    reader = User.objects.get(username="reader")

    def timed(client: Client, article_id: int, times: list[float], counts: list[int]) -> None:
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(f"/a/{article_id}/")
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
        counts.append(len(queries))

    names = (
        "cold page (its caches empty, site caches warm)",
        "cold (every cache empty)",
        "warm (anonymous reader)",
        "warm (logged-in reader, no page cache)",
    )
    medians: dict[str, list[float]] = {name: [] for name in names}
    print(f"articles in corpus: {len(ids)}; {samples} random ids per case; {rounds} rounds")
    for round_number in range(rounds):
        rng = random.Random(round_number)
        chosen = rng.sample(ids, min(samples, len(ids)))
        cache.clear()
        anonymous, member = Client(), Client()
        member.force_login(reader)
        anonymous.get(f"/a/{chosen[0]}/")  # load templates, fill the site-wide caches
        results = {name: ([], []) for name in names}
        # A page nobody has opened yet on a running site.
        taken = set(chosen)
        for article_id in rng.sample([i for i in ids if i not in taken], len(chosen)):
            timed(anonymous, article_id, *results[names[0]])
        for article_id in chosen:
            cache.clear()
            timed(anonymous, article_id, *results[names[1]])
            timed(anonymous, article_id, *results[names[2]])
        for article_id in chosen:
            member.get(f"/a/{article_id}/")
            timed(member, article_id, *results[names[3]])
        for name, (times, counts) in results.items():
            medians[name].append(statistics.median(times))
            print(
                f"  round {round_number + 1} {name}: median {statistics.median(times):.2f} ms, "
                f"p99 {percentile(times, 0.99):.2f} ms, queries max {max(counts)}"
            )
    for name in names:
        print(
            f"server time {name}: median of round medians {statistics.median(medians[name]):.2f} ms"
        )


def measure_wrk(duration: int, connections: int, env: dict[str, str], max_id: int) -> None:
    if not shutil.which("wrk"):
        print("wrk is not installed (apt-get install wrk): RPS not measured")
        return
    port = "8123"
    server = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "config.wsgi:application",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            if (
                subprocess.run(
                    ["curl", "-sf", "-o", "/dev/null", f"http://127.0.0.1:{port}/"], check=False
                ).returncode
                == 0
            ):
                break
            time.sleep(0.2)
        for label, span in (("random ids", max_id), ("hot set of 200 ids", 200)):
            with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
                script.write(
                    f"math.randomseed(42)\nrequest = function()\n"
                    f"  return wrk.format(nil, '/a/' .. math.random(1, {span}) .. '/')\nend\n"
                )
            # One warm-up pass so both workers have their code and global caches loaded.
            subprocess.run(
                [
                    "wrk",
                    "-t2",
                    f"-c{connections}",
                    "-d3s",
                    "-s",
                    script.name,
                    f"http://127.0.0.1:{port}",
                ],
                check=True,
                capture_output=True,
            )
            result = subprocess.run(
                [
                    "wrk",
                    "-t2",
                    f"-c{connections}",
                    f"-d{duration}s",
                    "--latency",
                    "-s",
                    script.name,
                    f"http://127.0.0.1:{port}",
                ],
                check=True,
                capture_output=True,
                text=True,
            )
            os.unlink(script.name)
            lines = result.stdout.splitlines()
            rps = next(line for line in lines if line.startswith("Requests/sec"))
            p50 = next(line for line in lines if line.strip().startswith("50%"))
            p99 = next(line for line in lines if line.strip().startswith("99%"))
            errors = [line for line in lines if "Non-2xx" in line or "Socket errors" in line]
            print(
                f"gunicorn -w 2, wrk -c{connections} {duration}s, {label}: {rps.split()[-1]} "
                f"req/s, latency p50 {p50.split()[-1]}, p99 {p99.split()[-1]}"
                + (f" ({'; '.join(e.strip() for e in errors)})" if errors else "")
            )
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--no-wrk", action="store_true", help="only the in-process timings")
    args = parser.parse_args()
    env = corpus_env(args.articles)
    print(
        f"machine: {os.cpu_count()} cores; database: "
        f"{'PostgreSQL' if env.get('DATABASE_URL') else 'SQLite ' + env['SQLITE_PATH']}; "
        f"cache: {'Redis' if env.get('REDIS_URL') else env.get('CACHE_BACKEND') or 'shared SQLite'}"
    )
    build_corpus(args.articles, env)
    collect_static(env)
    if not args.no_wrk:
        measure_wrk(args.duration, args.connections, env, args.articles)
    measure_in_process(args.samples, args.rounds, env)


if __name__ == "__main__":
    main()
