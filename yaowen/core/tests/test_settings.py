"""Configuration from the environment: SQLite by default, PostgreSQL and Redis by URL."""

import os

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper

from config import env


@pytest.mark.django_db
def test_sqlite_default_runs_in_wal_mode_with_a_busy_timeout(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("SQLITE_PATH", str(tmp_path / "site.sqlite3"))
    config = env.database_config()
    config.update(
        {
            "TIME_ZONE": None,
            "CONN_MAX_AGE": 0,
            "CONN_HEALTH_CHECKS": False,
            "AUTOCOMMIT": True,
            "ATOMIC_REQUESTS": False,
            "TEST": {},
        }
    )
    wrapper = DatabaseWrapper(config)
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] >= 5000
    finally:
        wrapper.close()


def test_database_url_switches_to_postgresql(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db.internal:5433/yaowen")
    config = env.database_config()
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.internal", 5433, "yaowen")


def test_other_database_urls_are_refused_with_a_clear_message(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "mysql://root@localhost/yaowen")
    with pytest.raises(ImproperlyConfigured, match="postgres://"):
        env.database_config()


def test_redis_url_switches_the_cache(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/3")
    assert env.cache_config()["default"]["BACKEND"].endswith("RedisCache")
    monkeypatch.delenv("REDIS_URL")
    assert env.cache_config()["default"]["BACKEND"].endswith("SQLiteCache")


def test_bad_booleans_are_reported(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        env.env_bool("DEBUG")


def test_language_and_time_zone():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.AUTH_USER_MODEL == "accounts.User"


@pytest.mark.django_db
def test_the_running_suite_uses_the_configured_backends():
    """When CI sets DATABASE_URL and REDIS_URL, this run really talks to both."""
    expected_vendor = "postgresql" if os.environ.get("DATABASE_URL") else "sqlite"
    assert connection.vendor == expected_vendor
    backend = settings.CACHES["default"]["BACKEND"]
    assert backend.endswith("RedisCache" if os.environ.get("REDIS_URL") else "SQLiteCache")
    cache.set("probe", {"ok": 1}, 30)
    assert cache.get("probe") == {"ok": 1}
