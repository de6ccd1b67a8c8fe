"""Keep the site's processes running together: the web server and the queue consumer.

`manage.py serve` (what `bin/serve` runs) starts both as children and watches them. A
consumer that exits is started again after a pause that doubles while it keeps failing,
and each exit is reported loudly on stderr; a web server that exits ends the whole
service. Stopping the supervisor (Ctrl+C, SIGTERM) stops both children, and children
are told to stop if the supervisor itself is killed. One supervisor per `var/` folder:
a second one refuses to start.
"""

import contextlib
import ctypes
import fcntl
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

# Restart pauses: 1 s, 2 s, 4 s ... at most this; reset once a child stays up a minute.
MAX_PAUSE = 30.0
STABLE_SECONDS = 60.0
STOP_GRACE_SECONDS = 10.0
_PR_SET_PDEATHSIG = 1


class AlreadyRunning(Exception):
    """Another supervisor holds the lock."""


def _die_with_parent() -> None:
    """In the child, before exec: ask the kernel for SIGTERM when the supervisor dies."""
    # Not Linux: no prctl, and children outlive a killed supervisor.
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def say(message: str) -> None:
    print(f"[serve] {message}", file=sys.stderr, flush=True)


@dataclass
class Child:
    name: str
    command: Sequence[str]
    restart: bool  # False: when it exits, everything stops
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    pause: float = 1.0
    restarts: int = 0
    env: dict[str, str] = field(default_factory=dict)

    def start(self) -> None:
        self.process = subprocess.Popen(
            self.command, env={**os.environ, **self.env}, preexec_fn=_die_with_parent
        )
        self.started_at = time.monotonic()
        say(f"{self.name} started (pid {self.process.pid})")


def lock(path: Path):
    """Hold an exclusive lock on `path` for as long as the returned file stays open."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+")  # noqa: SIM115  # held open for the supervisor's lifetime
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        owner = handle.read().strip() or "?"
        handle.close()
        raise AlreadyRunning(owner) from None
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()))
    handle.flush()
    return handle


def supervise(children: list[Child], *, sleep: Callable[[float], None] = time.sleep) -> int:
    """Run the children until one that must not be restarted exits, or a stop signal
    arrives; returns the exit code for the supervisor."""
    stopping: list[int] = []

    def stop(signum, _frame) -> None:
        stopping.append(signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for child in children:
        child.start()
    code = 0
    while not stopping:
        sleep(0.5)
        for child in children:
            status = child.process.poll()
            if status is None:
                if time.monotonic() - child.started_at > STABLE_SECONDS:
                    child.pause = 1.0
                continue
            if not child.restart:
                say(f"{child.name} exited with code {status}; stopping everything.")
                code = status or 1
                stopping.append(0)
                break
            child.restarts += 1
            say(
                f"!!! {child.name} DIED with exit code {status} "
                f"(restart #{child.restarts}); starting it again in {child.pause:g} s"
            )
            sleep(child.pause)
            child.pause = min(child.pause * 2, MAX_PAUSE)
            child.start()
    _stop_all(children)
    return code


def _stop_all(children: list[Child]) -> None:
    running = [c for c in children if c.process is not None and c.process.poll() is None]
    for child in running:
        child.process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for child in running:
        try:
            child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            say(f"{child.name} did not stop in {STOP_GRACE_SECONDS:g} s; killing it")
            child.process.kill()
            child.process.wait()
    say("stopped")
