"""Benchmark the task queue: tasks per second and enqueue-to-start latency, on each store.

    .venv/bin/python bench/task_queue.py                  # SQLite store, then Redis (db 14)
    .venv/bin/python bench/task_queue.py --stores sqlite --tasks 5000 --rounds 5

Two measurements per store, each against a real consumer (`HUEY.create_consumer`, 2 worker
threads, as `manage.py run_huey` starts it) in a child process with the production
settings (`config.settings.base`):

- the queue alone: a no-op task defined here, enqueued by this process. Throughput: N
  tasks enqueued at once, from the first enqueue to the last task started. Latency: tasks
  enqueued one at a time every 20 ms, each recording when it started; enqueue-to-start
  median and p99;
- the event path (what services use): N `announce()` calls, each in its own transaction on
  a migrated SQLite database, to a listener that only records when it ran, so each task
  also reads and writes its `Delivery` row. Deliveries per second and announce-to-start.

Consumers poll an empty queue: Huey's SQLite store sleeps between polls (the consumer's
`-d` delay, 0.1 s doubling to 10 s when idle; the run starts it busy), Redis blocks on
BRPOP. Progress goes to stderr, results to stdout. Medians of the rounds.
"""

import argparse
import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
REDIS_URL = "redis://127.0.0.1:6379/14"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _setup(env: dict[str, str]) -> None:
    os.environ.update(env)
    import django

    django.setup()


def _stamp(path: str, enqueued: float) -> None:
    with open(path, "a") as marks:
        marks.write(f"{enqueued} {time.time()}\n")


def _tasks():
    from huey.contrib.djhuey import task

    @task(name="bench.noop")
    def noop(path: str, enqueued: float) -> None:
        _stamp(path, enqueued)

    return noop


def listener(event) -> None:
    """The event path's listener (named in EVENT_LISTENERS by the consumer's environment)."""
    _stamp(event["path"], event["enqueued"])


def consume(env: dict[str, str]) -> None:
    """The child process: a consumer like `manage.py run_huey`, knowing the bench task."""
    _setup(env)
    from django.conf import settings
    from huey.contrib.djhuey import HUEY

    import yaowen.jobs.tasks  # noqa: F401  the event path's deliver task

    settings.EVENT_LISTENERS = {"bench.event": ["task_queue.listener"]}
    _tasks()
    logging.basicConfig(level=logging.WARNING)
    HUEY.create_consumer(workers=2, worker_type="thread", periodic=False).run()


def _read(path: Path, expected: int, timeout: float = 120) -> list[tuple[float, float]]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        lines = path.read_text().split("\n") if path.exists() else []
        rows = [tuple(map(float, line.split())) for line in lines if line.strip()]
        if len(rows) >= expected:
            return rows
        time.sleep(0.05)
    raise SystemExit(f"only {len(rows)} of {expected} tasks ran within {timeout:g} s")


def _latency(rows: list[tuple[float, float]]) -> tuple[float, float]:
    waits = sorted((started - enqueued) * 1000 for enqueued, started in rows)
    return statistics.median(waits), waits[min(len(waits) - 1, int(0.99 * len(waits)))]


def measure(env: dict[str, str], tasks: int, spaced: int, folder: Path) -> dict[str, float]:
    """One round against a fresh consumer: the four figures."""
    from django.db import transaction

    from yaowen.jobs.events import announce

    noop = _tasks()
    child = subprocess.Popen(
        [sys.executable, __file__, "--consume"],
        env={**os.environ, **env, "PYTHONPATH": f"{ROOT}:{ROOT / 'bench'}"},
        cwd=ROOT,
        stderr=subprocess.DEVNULL,
    )
    try:
        warm = folder / "warm"
        noop(str(warm), time.time())
        _read(warm, 1, timeout=30)
        figures = {}
        burst = folder / f"burst-{time.time_ns()}"
        first = time.time()
        for _n in range(tasks):
            noop(str(burst), time.time())
        rows = _read(burst, tasks)
        figures["queue tasks/s"] = tasks / (max(started for _e, started in rows) - first)
        steady = folder / f"steady-{time.time_ns()}"
        for _n in range(spaced):
            noop(str(steady), time.time())
            time.sleep(0.02)
        figures["queue p50 ms"], figures["queue p99 ms"] = _latency(_read(steady, spaced))
        events = folder / f"events-{time.time_ns()}"
        count = max(1, tasks // 4)
        first = time.time()
        for _n in range(count):
            with transaction.atomic():
                announce("bench.event", path=str(events), enqueued=time.time())
        rows = _read(events, count)
        figures["events/s"] = count / (max(started for _e, started in rows) - first)
        figures["event p50 ms"], _p99 = _latency(rows[-spaced:])
        return figures
    finally:
        child.terminate()
        child.wait(timeout=30)


def one_store(store: str, args) -> dict[str, float]:
    """Every round on one store, in this process (Django is set up once per process)."""
    with tempfile.TemporaryDirectory(prefix="yw-queue-") as scratch:
        folder = Path(scratch)
        env = {
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            "SQLITE_PATH": str(folder / "site.sqlite3"),
            "CACHE_DIR": str(folder / "cache"),
            "QUEUE_NAME": f"bench{os.getpid()}",
            "JOBS_LOG_LEVEL": "WARNING",
        }
        if store == "redis":
            env["REDIS_URL"] = REDIS_URL
        else:
            env["QUEUE_PATH"] = str(folder / "queue.sqlite3")
            os.environ.pop("REDIS_URL", None)
        subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "-v0"],
            env={**os.environ, **env},
            check=True,
            cwd=ROOT,
        )
        _setup(env)
        from django.conf import settings

        settings.EVENT_LISTENERS = {"bench.event": ["task_queue.listener"]}
        rounds = []
        for number in range(args.rounds):
            log(f"{store}: round {number + 1} of {args.rounds}")
            rounds.append(measure(env, args.tasks, args.spaced, folder))
        if store == "redis":
            import redis

            redis.Redis.from_url(REDIS_URL).flushdb()
        return {name: statistics.median(r[name] for r in rounds) for name in rounds[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stores", default="sqlite,redis")
    parser.add_argument("--tasks", type=int, default=2000)
    parser.add_argument("--spaced", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--consume", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.consume:
        # As the module the producer imports, so the task has the same registered name.
        import task_queue

        task_queue.consume({})
        return
    if args.one:
        import task_queue

        print(json.dumps(task_queue.one_store(args.one, args)))
        return
    results = {}
    for store in args.stores.split(","):
        out = subprocess.run(
            [sys.executable, __file__, "--one", store, *sys.argv[1:]],
            check=True,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": f"{ROOT}:{ROOT / 'bench'}"},
        )
        sys.stderr.write(out.stderr)
        results[store] = json.loads(out.stdout.strip().splitlines()[-1])
    names = list(next(iter(results.values())))
    print(f"tasks={args.tasks} spaced={args.spaced} rounds={args.rounds} cores={os.cpu_count()}")
    print("| store | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    for store, figures in results.items():
        print(f"| {store} | " + " | ".join(f"{figures[name]:,.1f}" for name in names) + " |")


if __name__ == "__main__":
    main()
