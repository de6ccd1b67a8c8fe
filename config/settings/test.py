"""Test settings: the base settings with fast hashing and an isolated cache."""

import atexit
import os
import shutil
import tempfile

from config.settings.base import *  # noqa: F403
from config.settings.base import CACHES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
CACHES["default"]["KEY_PREFIX"] = "yw-test"
if CACHES["default"]["BACKEND"].endswith("SQLiteCache"):
    # Each run its own cache, never var/cache: several runs may share this machine. The
    # processes a test starts (manage.py in a subprocess) inherit it through the environment;
    # the run that made it removes it at exit.
    if not os.environ.get("YAOWEN_TEST_CACHE_DIR"):
        os.environ["YAOWEN_TEST_CACHE_DIR"] = tempfile.mkdtemp(prefix="yaowen-test-cache-")
        atexit.register(shutil.rmtree, os.environ["YAOWEN_TEST_CACHE_DIR"], ignore_errors=True)
    CACHES["default"]["LOCATION"] = os.environ["YAOWEN_TEST_CACHE_DIR"]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
VIEW_FLUSH_SECONDS = 0  # no background flush thread writing into test databases
# Tasks run in the test process as they are queued (after a commit, in transactional
# tests); other tests deliver pending events with yaowen.jobs.delivery.deliver_pending.
HUEY = {**HUEY, "immediate": True}  # noqa: F405
