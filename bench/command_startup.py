"""Benchmark how long `manage.py` commands take to start (issue 15, "Commands start fast").

    .venv/bin/python bench/command_startup.py              # 5 runs of each command
    .venv/bin/python bench/command_startup.py --runs 9 --command help --command check
    .venv/bin/python bench/command_startup.py --checkout ../before --checkout .

Each command runs as its own process, the way cron or an operator starts it, on a freshly
migrated SQLite database in a temporary directory (SQLITE_PATH, MEDIA_ROOT). With
`--checkout`, each named checkout (a git worktree of another commit, say) runs its own
`manage.py` on its own database. Commands and checkouts are interleaved run by run, so a
slow minute on a shared machine slows every figure alike. Prints, per checkout and command,
the median and the minimum wall time in seconds, and each run's figure, with the load
average: the figures mean little without it.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

COMMANDS = {
    "help": ["help"],
    "check": ["check"],
    "publish_scheduled": ["publish_scheduled"],
}


def log(message: str) -> None:
    """Progress goes to stderr, so stdout holds only the results."""
    print(message, file=sys.stderr, flush=True)


def run(root: Path, env: dict[str, str], args: list[str]) -> float:
    """Wall time of one `manage.py` process, in seconds; a failing command stops the benchmark."""
    started = time.perf_counter()
    subprocess.run(
        [PYTHON, str(root / "manage.py"), *args],
        check=True,
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def checkout_env(root: Path, scratch: Path) -> dict[str, str]:
    """The environment of one checkout: its own code first on the path, its own database."""
    env = dict(os.environ)
    env.update(
        {
            "PYTHONPATH": str(root),
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            "SQLITE_PATH": str(scratch / "db.sqlite3"),
            "MEDIA_ROOT": str(scratch / "media"),
            "DEBUG": "0",
        }
    )
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each command (default 5)")
    parser.add_argument(
        "--command",
        action="append",
        choices=sorted(COMMANDS),
        help="a command to time (repeatable; default: all)",
    )
    parser.add_argument(
        "--checkout",
        action="append",
        type=Path,
        help="a checkout of the project to time (repeatable; default: this one)",
    )
    options = parser.parse_args()
    names = options.command or list(COMMANDS)
    roots = [path.resolve() for path in options.checkout or [ROOT]]

    with tempfile.TemporaryDirectory(prefix="yaowen-startup-") as scratch:
        envs = {}
        for index, root in enumerate(roots):
            envs[root] = checkout_env(root, Path(scratch) / str(index))
            log(f"{root}: migrating a scratch database")
            run(root, envs[root], ["migrate", "--noinput", "-v0"])
            # One untimed run of each: the first start after a change compiles bytecode.
            for name in names:
                run(root, envs[root], COMMANDS[name])

        times: dict[tuple[Path, str], list[float]] = {
            (root, name): [] for root in roots for name in names
        }
        for index in range(options.runs):
            for name in names:
                for root in roots:
                    times[root, name].append(run(root, envs[root], COMMANDS[name]))
            log(f"run {index + 1}/{options.runs} done")

    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"manage.py start-up, {options.runs} runs each; {os.cpu_count()} cores, load {load}")
    for root in roots:
        print(f"\n{root}")
        print(f"{'command':<30} {'median':>7} {'min':>7}   runs")
        for name in names:
            values = times[root, name]
            each = " ".join(f"{value:.2f}" for value in values)
            print(
                f"{'manage.py ' + name:<30} {statistics.median(values):>6.2f}s "
                f"{min(values):>6.2f}s   {each}"
            )


if __name__ == "__main__":
    main()
