"""Settings read from the environment: the only place configuration enters the project."""

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def load_dotenv(path: Path = BASE_DIR / ".env") -> None:
    """Read KEY=VALUE lines from .env; variables already in the environment win."""
    if not path.is_file():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        os.environ.setdefault(key.strip(), value.strip().strip("'\""))


load_dotenv()


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def database_config() -> dict[str, Any]:
    """SQLite in WAL mode by default; DATABASE_URL switches to PostgreSQL (psycopg 3)."""
    url = env_str("DATABASE_URL")
    if not url:
        path = Path(env_str("SQLITE_PATH", str(BASE_DIR / "var" / "yaowen.sqlite3")))
        path.parent.mkdir(parents=True, exist_ok=True)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(path),
            # Opening a connection (and its PRAGMAs, and loading the schema) costs ~2 ms:
            # each worker keeps its connection between requests, as with PostgreSQL.
            "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 60),
            "OPTIONS": {
                # Readers never wait for the writer in WAL mode; a writer waits up to
                # `timeout` seconds for another writer instead of failing at once.
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA busy_timeout=20000;"
                    "PRAGMA foreign_keys=ON;"
                ),
            },
        }
    config = dj_database_url.parse(url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
    if not config["ENGINE"].endswith("postgresql"):
        raise ImproperlyConfigured("DATABASE_URL must be a postgres:// URL (or unset for SQLite)")
    config["CONN_HEALTH_CHECKS"] = True
    return config


def cache_config() -> dict[str, Any]:
    """One cache shared by every process: on disk under CACHE_DIR (var/cache) by default,
    Redis with REDIS_URL. CACHE_BACKEND=locmem gives each process its own memory instead,
    for measuring only: invalidations, purges and rate limits then reach one process."""
    url = env_str("REDIS_URL")
    prefix = env_str("CACHE_KEY_PREFIX", "yw")
    kind = env_str("CACHE_BACKEND", "disk").strip().lower() or "disk"
    if kind not in ("disk", "locmem"):
        raise ImproperlyConfigured(f"CACHE_BACKEND must be disk or locmem, got {kind!r}")
    if url:
        if kind == "locmem":
            raise ImproperlyConfigured("CACHE_BACKEND=locmem and REDIS_URL: choose one")
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": url,
                "KEY_PREFIX": prefix,
            }
        }
    if kind == "locmem":
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "yaowen",
                "KEY_PREFIX": prefix,
                "OPTIONS": {"MAX_ENTRIES": 20000},
            }
        }
    return {
        "default": {
            "BACKEND": "yaowen.core.sharedcache.SQLiteCache",
            "LOCATION": env_str("CACHE_DIR", str(BASE_DIR / "var" / "cache")),
            "KEY_PREFIX": prefix,
            # Page entries are 10-30 KB packed: about 1 GB of disk when full.
            "OPTIONS": {"MAX_ENTRIES": 50000},
        }
    }


def queue_config() -> dict[str, Any]:
    """Huey's settings: a SQLite store under var/ by default; REDIS_URL switches it to Redis.

    The consumer (`manage.py run_huey`, started by `bin/serve`) runs QUEUE_WORKERS threads
    and the periodic jobs; crontab times are the site's local time (TIME_ZONE).
    """
    common: dict[str, Any] = {
        "name": env_str("QUEUE_NAME", "yaowen"),
        "immediate": False,
        "results": False,
        "utc": False,
        "consumer": {
            "workers": env_int("QUEUE_WORKERS", 2),
            "worker_type": "thread",
            "periodic": True,
            "check_worker_health": True,
            "health_check_interval": 10,
            # An idle consumer polls the SQLite store at least once a second (Huey's default
            # backs off to 10 s), so a new event waits at most about a second.
            "max_delay": 1.0,
        },
    }
    url = env_str("REDIS_URL")
    if url:
        return {**common, "huey_class": "huey.PriorityRedisHuey", "connection": {"url": url}}
    path = Path(env_str("QUEUE_PATH", str(BASE_DIR / "var" / "queue.sqlite3")))
    path.parent.mkdir(parents=True, exist_ok=True)
    return {**common, "huey_class": "huey.SqliteHuey", "filename": str(path)}


def storage_config() -> dict[str, Any]:
    """Where uploaded and generated media live: files under MEDIA_ROOT by default; S3_BUCKET
    switches to an S3-compatible object store that every web server and consumer shares.

    Unset keys fall back to django-storages' own lookup (AWS_ACCESS_KEY_ID…, an instance
    role). Objects must be publicly readable (bucket policy, or a CDN at S3_CUSTOM_DOMAIN):
    their URLs are unsigned, because article bodies and cached pages keep them.
    """
    bucket = env_str("S3_BUCKET")
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    options: dict[str, Any] = {
        "bucket_name": bucket,
        "location": env_str("S3_LOCATION").strip("/"),
        # Names are unique (hashes, or suffixed by Django), so an object never changes.
        "object_parameters": {"CacheControl": "public, max-age=31536000"},
    }
    optional = {
        "endpoint_url": "S3_ENDPOINT_URL",
        "region_name": "S3_REGION",
        "access_key": "S3_ACCESS_KEY_ID",
        "secret_key": "S3_SECRET_ACCESS_KEY",
        "custom_domain": "S3_CUSTOM_DOMAIN",
        "url_protocol": "S3_URL_PROTOCOL",
        "addressing_style": "S3_ADDRESSING_STYLE",
        "default_acl": "S3_DEFAULT_ACL",
    }
    for option, name in optional.items():
        if value := env_str(name):
            options[option] = value
    return {"BACKEND": "yaowen.core.storage.PublicS3Storage", "OPTIONS": options}
