"""Test settings: the base settings with fast hashing and an isolated cache."""

from config.settings.base import *  # noqa: F403
from config.settings.base import CACHES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
CACHES["default"]["KEY_PREFIX"] = "yw-test"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
VIEW_FLUSH_SECONDS = 0  # no background flush thread writing into test databases
