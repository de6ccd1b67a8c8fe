"""Shared by the page benchmarks: the demo corpus in bench/var, its settings and small helpers."""

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
VAR = ROOT / "bench" / "var"


def log(message: str) -> None:
    """Progress goes to stderr, so stdout holds only the results."""
    print(message, file=sys.stderr, flush=True)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def corpus_env(articles: int, base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a run on the corpus of `articles` articles (kept in bench/var)."""
    env = dict(os.environ if base is None else base)
    env.setdefault("SQLITE_PATH", str(VAR / f"bench-{articles}.sqlite3"))
    env.setdefault("MEDIA_ROOT", str(VAR / "media"))
    # The shared cache of the benchmarks' servers, apart from a site running from var/.
    env.setdefault("CACHE_DIR", str(VAR / "cache"))
    # The task queue of the corpus (nothing consumes it while a benchmark builds or reads).
    env.setdefault("QUEUE_PATH", str(VAR / f"bench-{articles}.queue.sqlite3"))
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    return env


def manage(env: dict[str, str], *args: str, capture: bool = False) -> str:
    """Run `manage.py` with this environment; its output when `capture`, else on stderr."""
    result = subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *args],
        check=True,
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE if capture else sys.stderr,
        text=True,
    )
    return result.stdout if capture else ""


def build_corpus(articles: int, env: dict[str, str]) -> None:
    """Build the demo corpus once; a complete one is reused, a partial one refused."""
    manage(env, "migrate", "--noinput", "-v0")
    out = manage(
        env,
        "shell",
        "-c",
        "from yaowen.newsroom.models import Article;print(Article.objects.count())",
        capture=True,
    )
    have = int(out.strip().splitlines()[-1])
    marker = Path(f"{env['SQLITE_PATH']}.building")
    if marker.exists():
        sys.exit(
            f"{env['SQLITE_PATH']} is a half-built corpus (interrupted); delete it to rebuild."
        )
    if have >= articles:
        log(f"corpus: {have} articles already built")
        return
    if have:
        sys.exit(
            f"{env.get('SQLITE_PATH')} holds {have} articles, fewer than {articles}; "
            "delete it to rebuild."
        )
    started = time.monotonic()
    marker.touch()
    log(f"corpus: building {articles} articles (manage.py demo), once")
    try:
        manage(
            env,
            "demo",
            "--articles",
            str(articles),
            "--creators",
            str(max(50, articles // 100)),
            "--readers",
            "2000",
        )
    except (subprocess.CalledProcessError, KeyboardInterrupt):
        # The file was empty before this build: drop the partial one so the next run rebuilds.
        for suffix in ("", "-wal", "-shm", ".building"):
            Path(f"{env['SQLITE_PATH']}{suffix}").unlink(missing_ok=True)
        raise
    marker.unlink()
    log(f"corpus: built {articles} articles in {time.monotonic() - started:.1f}s")


def collect_static(env: dict[str, str]) -> None:
    """WhiteNoise serves the collected, hashed files when DEBUG is off."""
    manage(env, "collectstatic", "--noinput", "-v0")
