"""Run a management command on a throwaway site: a fresh SQLite file, queue, cache, media
and classifier in a scratch directory, migrated first, in a child process.

Evaluations (`recommend evaluate-related`, `analysis evaluate-near-duplicates`) publish a
whole corpus through the real paths; run this way, nothing they do can reach the
platform's database, cache, queue or media bucket.
"""

import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings

# The flag a command receives when it runs inside the throwaway site.
CHILD_FLAG = "--in-throwaway-database"
# Emptied rather than removed, so that .env cannot set them again.
CLEARED = ("DATABASE_URL", "REDIS_URL", "S3_BUCKET")


def throwaway_run(arguments: list[str], *, write: Callable[[str], object]) -> bool:
    """Migrate a fresh site and run `manage.py *arguments CHILD_FLAG` there, passing its
    output to `write` (stderr, with progress bars, goes straight through). True if every
    step succeeded."""
    with tempfile.TemporaryDirectory(prefix="yaowen-eval-") as scratch:
        folder = Path(scratch)
        env = {**os.environ, **dict.fromkeys(CLEARED, "")}
        env.update(
            SQLITE_PATH=str(folder / "eval.sqlite3"),
            QUEUE_PATH=str(folder / "queue.sqlite3"),
            CACHE_DIR=str(folder / "cache"),
            CLASSIFIER_PATH=str(folder / "classifier.joblib"),
            MEDIA_ROOT=str(folder / "media"),
            DJANGO_SETTINGS_MODULE="config.settings.base",
        )
        manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
        for step in (
            [*manage, "migrate", "--no-input", "-v", "0"],
            [*manage, *arguments, CHILD_FLAG],
        ):
            child = subprocess.run(step, env=env, stdout=subprocess.PIPE, text=True, check=False)
            write(child.stdout)
            if child.returncode != 0:
                return False
    return True
