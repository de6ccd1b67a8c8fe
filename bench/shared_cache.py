"""Benchmark the cross-process cache candidates on the operations the site performs.

    .venv/bin/python bench/shared_cache.py                  # every backend, 1 and 2 processes
    .venv/bin/python bench/shared_cache.py --ops 5000 --entry-kb 30
    .venv/bin/python bench/shared_cache.py --backends yaowen,diskcache --processes 2

Each backend is a Django cache configured here (no project settings, no corpus), in a fresh
temporary directory (or Redis db 13, when Redis answers on 127.0.0.1:6379):

- `locmem`: Django's LocMemCache, the old default; one process's memory, the baseline.
- `yaowen`: the default cache as `config/env.py` sets it (`yaowen.core.sharedcache`: one
  SQLite file, one statement per operation, connections kept open).
- `diskcache`: `diskcache.DjangoCache` 5.6 as shipped: 8 shards (SQLite files), connections
  closed at the end of every request (Django calls `close()` on every cache then).
- `diskcache-kept`: the same with `close()` doing nothing, so connections stay open.
- `diskcache-1`: the shipped backend with one shard.
- `file`: Django's FileBasedCache, one pickle file per key.
- `database`: Django's DatabaseCache in its own SQLite file (WAL).
- `redis`: Django's RedisCache, for reference (not embedded: it needs a server).

Operations, each timed on its own (perf_counter_ns), medians and 99th percentiles in µs:
`page hit` is the page cache's hit (`get_many` of the site's and the path's generations
and one entry: a tuple holding --entry-kb of compressed bytes); `stamp` one `cached_shared`
stamp read; `store` one new page entry written; `add` a new rate-limit window, `incr` a hit
in an existing one; `close` what Django runs at the end of every request. `request` is a
page hit followed by `close`, the whole cache cost of a page served from the cache.

With --processes N (default: 1 and 2), N processes run the same loop at once against the
same cache, each on its own keys, plus two checks of what must hold across processes: every
process `incr`s one shared counter (lost updates are counted), and every process `add`s the
same new keys (a key added by two processes is a double add). Progress to stderr, results to
stdout.
"""

import argparse
import multiprocessing
import os
import queue
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BACKENDS = (
    "locmem",
    "yaowen",
    "diskcache-kept",
    "diskcache",
    "diskcache-1",
    "file",
    "database",
    "redis",
)
OPERATIONS = ("page hit", "stamp", "store", "add", "incr", "close", "request")
REDIS_URL = "redis://127.0.0.1:6379/13"
SHARED_COUNTER = "bench:counter"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def cache_settings(backend: str, directory: str) -> dict:
    if backend == "locmem":
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "bench",
            "OPTIONS": {"MAX_ENTRIES": 20000},  # as config/env.py had it
        }
    if backend == "yaowen":
        sys.path.insert(0, str(ROOT))
        from config.env import cache_config

        os.environ["CACHE_DIR"] = directory
        os.environ.pop("REDIS_URL", None)
        os.environ.pop("CACHE_BACKEND", None)
        return cache_config()["default"]
    if backend.startswith("diskcache"):
        kept = backend == "diskcache-kept"
        return {
            "BACKEND": "shared_cache.KeptDjangoCache" if kept else "diskcache.DjangoCache",
            "LOCATION": directory,
            "SHARDS": 1 if backend == "diskcache-1" else 8,
        }
    if backend == "file":
        return {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": directory,
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    if backend == "database":
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "bench_cache",
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    if backend == "redis":
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    raise SystemExit(f"unknown backend {backend!r}; choose from {', '.join(BACKENDS)}")


def __getattr__(name: str):
    """`KeptDjangoCache`, built on first use: only the diskcache runs need diskcache."""
    if name != "KeptDjangoCache":
        raise AttributeError(name)
    from diskcache import DjangoCache

    class KeptDjangoCache(DjangoCache):
        def close(self, **kwargs) -> None:
            pass  # keep the SQLite connections between requests

    globals()[name] = KeptDjangoCache
    return KeptDjangoCache


def setup(backend: str, directory: str):
    """Configure Django for this backend alone and return its cache."""
    import django
    from django.conf import settings

    settings.configure(
        CACHES={"default": cache_settings(backend, directory)},
        DATABASES={
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": str(Path(directory) / "database-cache.sqlite3"),
                "OPTIONS": {
                    "timeout": 20,
                    "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;",
                },
            }
        },
        INSTALLED_APPS=[],
        USE_TZ=True,
    )
    django.setup()
    from django.core.cache import cache

    return cache


def prepare(backend: str, directory: str) -> None:
    """Create what the backend needs before the processes start (the table, an empty db)."""
    cache = setup(backend, directory)
    if backend == "database":
        from django.core.management import call_command

        call_command("createcachetable", verbosity=0)
    cache.clear()
    cache.set(SHARED_COUNTER, 0, None)


def entry(size: int, number: int) -> tuple:
    """A page-cache entry as pagecache stores it: a plain tuple with the packed body."""
    headers = [
        ("Content-Type", "text/html; charset=utf-8"),
        ("Cache-Control", "public, max-age=60, stale-while-revalidate=600"),
        ("Vary", "Cookie, Accept-Language"),
        ("ETag", f'"{number:032x}"'),
        ("Last-Modified", "Sun, 07 Dec 2025 10:00:00 GMT"),
        ("Content-Language", "zh-hans"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
    ]
    # Compressed bytes look random: random bytes pack and store like them.
    return (2, f"{number:016x}:{number:016x}", headers, os.urandom(size), f'"{number}"', 0, 7)


def timed(samples: dict[str, list[int]], name: str, call, *args, **kwargs):
    started = time.perf_counter_ns()
    result = call(*args, **kwargs)
    samples[name].append(time.perf_counter_ns() - started)
    return result


def worker(
    backend: str, directory: str, number: int, ops: int, entry_kb: int, start, results
) -> None:
    """One process: `ops` rounds of every operation, after all processes are ready."""
    cache = setup(backend, directory)
    from django.core.cache import caches

    own = f"p{number}"
    size = entry_kb * 1024
    cache.set_many(
        {"pagegen:*": ("a" * 16, 0.0), f"pagegen:/{own}/": ("b" * 16, 0.0), "stamp:x": "s1"}, None
    )
    pages = [f"page:{own}:{n}" for n in range(64)]
    for n, key in enumerate(pages):
        cache.set(key, entry(size, n), 3600)
    fresh = [entry(size, 1000 + n) for n in range(16)]
    cache.add(SHARED_COUNTER, 0, None)  # set by prepare(), except in another process's memory
    samples: dict[str, list[int]] = {name: [] for name in OPERATIONS}
    added = failed = missed = 0
    start.wait()
    for n in range(ops):
        wanted = ["pagegen:*", f"pagegen:/{own}/", pages[n % len(pages)]]
        if len(timed(samples, "page hit", cache.get_many, wanted)) != 3:
            missed += 1  # stored before the loop: a write was dropped, or a read gave up
        timed(samples, "stamp", cache.get, "stamp:x")
        started = time.perf_counter_ns()
        caches.close_all()  # what Django's request_finished does
        closed = time.perf_counter_ns() - started
        samples["close"].append(closed)
        samples["request"].append(samples["page hit"][-1] + closed)
        timed(samples, "store", cache.set, f"store:{own}:{n}", fresh[n % len(fresh)], 60)
        if not timed(samples, "add", cache.add, f"rl:{own}:{n}", 1, 60):
            failed += 1  # a new key: only a write dropped under contention refuses it
        try:
            timed(samples, "incr", cache.incr, f"rl:{own}:{n}")
        except ValueError:
            failed += 1
        # The same keys in every process: exactly one process may add each.
        added += bool(cache.add(f"race:{n}", number, 60))
        cache.incr(SHARED_COUNTER)
    results.put((number, samples, added, failed, missed))


def run(backend: str, processes: int, ops: int, entry_kb: int) -> dict | None:
    directory = tempfile.mkdtemp(prefix=f"shared_cache-{backend}-")
    context = multiprocessing.get_context("spawn")
    try:
        preparer = context.Process(target=prepare, args=(backend, directory))
        preparer.start()
        preparer.join()
        if preparer.exitcode != 0:
            log(f"{backend}: could not prepare it (Redis not running? diskcache missing?); skipped")
            return None
        start = context.Barrier(processes)
        results = context.Queue()
        workers = [
            context.Process(
                target=worker, args=(backend, directory, n, ops, entry_kb, start, results)
            )
            for n in range(processes)
        ]
        for process in workers:
            process.start()
        collected = []
        while len(collected) < processes:
            try:
                collected.append(results.get(timeout=1))
            except queue.Empty:
                if any(process.exitcode for process in workers):
                    raise SystemExit(f"{backend}: a process failed (see above)") from None
        for process in workers:
            process.join()
        counter = context.Queue()
        checker = context.Process(target=read_counter, args=(backend, directory, counter))
        checker.start()
        total = counter.get(timeout=60)
        checker.join()
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    samples: dict[str, list[int]] = {name: [] for name in OPERATIONS}
    for _number, own, *_counts in collected:
        for name, values in own.items():
            samples[name].extend(values)
    return {
        "samples": samples,
        "lost_incr": processes * ops - total,
        "double_add": sum(added for _n, _s, added, _f, _m in collected) - ops,
        "failed": sum(failed for _n, _s, _a, failed, _m in collected),
        "missed": sum(missed for _n, _s, _a, _f, missed in collected),
    }


def read_counter(backend: str, directory: str, out) -> None:
    cache = setup(backend, directory)
    out.put(int(cache.get(SHARED_COUNTER) or 0))
    cache.clear()


def report(rows: list[tuple[str, int, dict]]) -> None:
    header = f"{'backend':<12} {'procs':>5}  " + "  ".join(f"{name:>14}" for name in OPERATIONS)
    print("median µs (p99 µs) per operation")
    print(header)
    print("-" * len(header))
    for backend, processes, result in rows:
        cells = []
        for name in OPERATIONS:
            values = result["samples"][name]
            median = statistics.median(values) / 1000
            p99 = sorted(values)[int(0.99 * (len(values) - 1))] / 1000
            cells.append(f"{median:>6.1f} ({p99:>5.0f})")
        print(f"{backend:<12} {processes:>5}  " + "  ".join(f"{cell:>14}" for cell in cells))
    print()
    print(
        "correctness: page hits that missed a stored entry; rate-limit writes that failed (add"
        " refused a new key, incr found none); across processes, lost increments of one"
        " shared counter and keys added twice"
    )
    for backend, processes, result in rows:
        shared = (
            f"lost incr: {result['lost_incr']:>5}  double add: {result['double_add']:>5}"
            if processes > 1
            else ""
        )
        print(
            f"{backend:<12} {processes:>5}  missed hits: {result['missed']:>5}  "
            f"failed writes: {result['failed']:>5}  {shared}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default=",".join(BACKENDS))
    parser.add_argument("--processes", default="1,2", help="process counts, e.g. 1,2")
    parser.add_argument("--ops", type=int, default=2000, help="rounds per process")
    parser.add_argument("--entry-kb", type=int, default=20, help="packed page size")
    args = parser.parse_args()
    backends = [name.strip() for name in args.backends.split(",") if name.strip()]
    for name in backends:
        if name not in BACKENDS:
            parser.error(f"unknown backend {name!r}; choose from {', '.join(BACKENDS)}")
    counts = [int(part) for part in args.processes.split(",") if part.strip()]
    print(
        f"machine: {os.cpu_count()} cores; {args.ops} rounds per process; page entry "
        f"{args.entry_kb} KiB of packed bytes; Python {sys.version.split()[0]}"
    )
    rows = []
    for backend in backends:
        for processes in counts:
            if backend == "locmem" and processes > 1:
                continue  # one process's memory: nothing is shared
            log(f"{backend}: {processes} process(es)")
            result = run(backend, processes, args.ops, args.entry_kb)
            if result is not None:
                rows.append((backend, processes, result))
    report(rows)


if __name__ == "__main__":
    main()
