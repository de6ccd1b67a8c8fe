"""`manage.py serve`: the web server (granian) and the queue consumer, supervised.

What `bin/serve` runs after installing, migrating and loading the demo. See
`yaowen.core.supervisor` for what happens when a process dies.
"""

import socket
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from yaowen.core.supervisor import AlreadyRunning, Child, lock, say, supervise


class Command(BaseCommand):
    help = "Serve the site with granian and run the task queue's consumer beside it."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2, help="web worker processes")
        parser.add_argument(
            "--no-consumer",
            action="store_true",
            help="web only (consumers run elsewhere: `manage.py run_huey` on other machines)",
        )

    def handle(self, *args, host: str, port: int, workers: int, no_consumer: bool, **options):
        try:
            held = lock(Path(settings.BASE_DIR) / "var" / f"serve-{port}.lock")
        except AlreadyRunning as running:
            raise CommandError(
                f"Yaowen is already being served on port {port} from this folder "
                f"(supervisor pid {running}); stop it first."
            ) from None
        with socket.socket() as probe:
            # As the server binds: connections of a copy that just stopped (TIME_WAIT)
            # do not make the port look taken.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((host, port))
            except OSError as error:
                raise CommandError(f"{host}:{port} is taken ({error.strerror}).") from None
        # granian (WSGI, one blocking thread per worker) served 23 % more cached pages per
        # second than gunicorn's sync workers in bench/site_http.py (docs/benchmarks.md).
        web = Child(
            "web server",
            [
                *(sys.executable, "-m", "granian", "--interface", "wsgi"),
                "config.wsgi:application",
                *("--host", host, "--port", str(port), "--workers", str(workers)),
                *("--blocking-threads", "1", "--http", "1", "--no-ws", "--access-log"),
                # A worker that dies (killed, out of memory) is replaced; the others serve on.
                *("--respawn-failed-workers", "--respawn-interval", "1"),
            ],
            restart=False,
        )
        children = [web]
        if not no_consumer:
            manage = str(Path(settings.BASE_DIR) / "manage.py")
            children.append(Child("queue consumer", [sys.executable, manage, "run_huey"], True))
        say(f"Yaowen is serving at http://{host}:{port}/  (Ctrl+C stops it)")
        try:
            code = supervise(children)
        finally:
            held.close()
        if code:
            raise CommandError(f"the web server stopped (exit code {code})")
