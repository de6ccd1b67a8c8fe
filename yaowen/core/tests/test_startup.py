"""Starting a process (every manage.py command, each web worker) does not import the
libraries that only training, classifying or segmenting text needs."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

# scikit-learn and scipy take most of a second to import; the others a tenth each or so.
MACHINE_LEARNING = ("sklearn", "scipy", "jieba", "rjieba")
HEAVY = (*MACHINE_LEARNING, "numpy", "joblib")

# Django's start-up, then what `manage.py help <command>` and `manage.py check` import:
# every management command's module, and every URLconf with its views.
PROBE = f"""
import json, sys
import django

heavy = {HEAVY!r}
loaded = {{}}
django.setup()
loaded["setup"] = [name for name in heavy if name in sys.modules]

from django.core.management import get_commands, load_command_class
from django.urls import get_resolver

for command, app in get_commands().items():
    load_command_class(app, command)
get_resolver().url_patterns
loaded["commands"] = [name for name in heavy if name in sys.modules]
print(json.dumps(loaded))
"""


@pytest.fixture(scope="module")
def loaded(tmp_path_factory) -> dict[str, list[str]]:
    """The heavy libraries in sys.modules of a fresh process, after each stage."""
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            "SQLITE_PATH": str(tmp_path_factory.mktemp("startup") / "db.sqlite3"),
        }
    )
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_django_setup_imports_no_heavy_library(loaded):
    assert loaded["setup"] == []


def test_commands_and_urls_import_no_machine_learning_library(loaded):
    assert [name for name in loaded["commands"] if name in MACHINE_LEARNING] == []
