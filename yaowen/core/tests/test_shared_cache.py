"""One cache for every process: what one process stores, invalidates, purges or counts,
another sees at once (the default SQLite cache, or Redis with REDIS_URL).

The cross-process tests start `manage.py` with this run's settings and environment, so the
other process opens the same cache (the run's own directory, or Redis with the same key
prefix). Each would fail on a cache kept in each process's memory.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from config import env
from yaowen.core import ratelimit
from yaowen.core.cache import cached_shared
from yaowen.core.sharedcache import SQLiteCache

ROOT = Path(__file__).resolve().parents[3]


def in_another_process(*arguments: str) -> str:
    """Run `manage.py <arguments>` as a separate process with this run's settings."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *arguments],
        cwd=ROOT,
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def python_in_another_process(code: str) -> str:
    return in_another_process("shell", "-c", code)


# Across processes, through the configured cache.


@pytest.mark.django_db
def test_purge_pages_in_another_process_reaches_the_pages_served_here(client, publish):
    article = publish(title="城市供暖季提前开始")
    url = article.get_absolute_url()
    assert "城市供暖季提前开始" in client.get(url).content.decode()
    # Changed behind the services' back: nothing invalidates the cached page...
    type(article).objects.filter(pk=article.pk).update(
        title="城市供暖季推迟开始", updated_at=timezone.now()
    )
    assert "城市供暖季提前开始" in client.get(url).content.decode()
    # ...until an operator purges the cache from a shell: the running site sees it.
    assert "rendered again" in in_another_process("purge_pages", "--all")
    page = client.get(url).content.decode()
    assert "城市供暖季推迟开始" in page
    assert "城市供暖季提前开始" not in page


@pytest.mark.django_db
def test_one_path_invalidated_in_another_process_is_rendered_again_here(client, publish):
    first = publish(title="高铁新线今日开通")
    second = publish(title="机场新航站楼启用")
    for article in (first, second):
        client.get(article.get_absolute_url())
    model = type(first)
    model.objects.filter(pk__in=[first.pk, second.pk]).update(
        title="（已更正）", updated_at=timezone.now()
    )
    in_another_process("purge_pages", first.get_absolute_url())
    assert "（已更正）" in client.get(first.get_absolute_url()).content.decode()
    # Every other page is still served from the cache.
    assert "机场新航站楼启用" in client.get(second.get_absolute_url()).content.decode()


def test_rate_limit_hits_counted_in_another_process_count_here():
    assert ratelimit.hit("shared-test", window=60) == 1
    python_in_another_process(
        "from yaowen.core import ratelimit\n"
        "for _ in range(3):\n"
        "    ratelimit.hit('shared-test', window=60)\n"
    )
    assert ratelimit.hits("shared-test") == 4
    assert ratelimit.hit("shared-test", window=60) == 5


def test_a_shared_value_invalidated_in_another_process_is_computed_again_here():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert cached_shared("t:shared", 60, compute) == 1
    assert cached_shared("t:shared", 60, compute) == 1  # held by this process
    python_in_another_process("from yaowen.core.cache import invalidate\ninvalidate('t:shared')")
    assert cached_shared("t:shared", 60, compute) == 2


def test_a_shared_value_computed_in_another_process_is_used_here():
    python_in_another_process(
        "from yaowen.core.cache import cached_shared\n"
        "cached_shared('t:theirs', 60, lambda: ['算在另一个进程'])\n"
    )

    def never():
        raise AssertionError("computed again although the cache holds it")

    assert cached_shared("t:theirs", 60, never) == ["算在另一个进程"]


@pytest.mark.django_db
def test_a_dictionary_change_in_another_process_reaches_this_tokenizer(monkeypatch):
    from yaowen.analysis import engine
    from yaowen.analysis.models import DictionaryWord

    engine.reset()
    monkeypatch.setattr(engine, "RELOAD_CHECK_SECONDS", 0.0)
    assert "饕餮盛宴节" not in engine.tokenizer().tokens("饕餮盛宴节开幕")
    # Without signals: only the other process tells this one about the new word.
    DictionaryWord.objects.bulk_create([DictionaryWord(word="饕餮盛宴节")])
    python_in_another_process(
        "from yaowen.analysis.engine import dictionary_changed\ndictionary_changed()"
    )
    assert "饕餮盛宴节" in engine.tokenizer().tokens("饕餮盛宴节开幕")
    engine.reset()


# The SQLite cache itself, in a directory of its own (both test passes run these).


@pytest.fixture
def disk(tmp_path):
    return SQLiteCache(str(tmp_path / "cache"), {"OPTIONS": {"MAX_ENTRIES": 50}})


def test_values_round_trip_with_their_types(disk):
    values = {"n": 7, "big": 2**70, "flag": True, "none": None, "list": [1, "二"], "b": b"\x00"}
    for key, value in values.items():
        disk.set(key, value, 60)
    for key, value in values.items():
        assert disk.get(key, "missing") == value
        assert type(disk.get(key)) is type(value)
    assert disk.get_many([*values, "absent"]) == values
    assert disk.get("absent", "默认") == "默认"


def test_add_only_stores_an_absent_or_expired_key(disk):
    assert disk.add("k", 1, 60) is True
    assert disk.add("k", 2, 60) is False
    assert disk.get("k") == 1
    disk.set("gone", 1, -1)  # expired at once
    assert disk.get("gone") is None
    assert disk.add("gone", 3, 60) is True
    assert disk.get("gone") == 3


def test_incr_keeps_the_window_and_refuses_a_missing_key(disk):
    disk.add("window", 1, 60)
    assert disk.incr("window") == 2
    assert disk.incr("window", 5) == 7
    assert disk.decr("window") == 6
    with pytest.raises(ValueError):
        disk.incr("never-set")
    disk.set("pickled", 1.5, 60)
    assert disk.incr("pickled") == 2.5
    disk.set("short", 1, 1)
    disk.incr("short")
    time.sleep(1.1)
    assert disk.get("short") is None  # incr did not extend the window


def test_timeouts_none_and_zero(disk):
    disk.set("forever", "v", None)
    disk.set("now", "v", 0)
    assert disk.get("forever") == "v"
    assert disk.get("now") is None
    assert disk.touch("forever", 60) is True
    assert disk.touch("now", 60) is False


def test_deletes_and_clear(disk):
    disk.set_many({"a": 1, "b": 2, "c": 3}, 60)
    assert disk.delete("a") is True
    assert disk.delete("a") is False
    disk.delete_many(["b", "nope"])
    assert disk.get_many(["a", "b", "c"]) == {"c": 3}
    assert disk.has_key("c") and not disk.has_key("b")
    disk.clear()
    assert disk.get("c") is None


def test_closing_at_the_end_of_a_request_keeps_the_cache_usable(disk):
    disk.set("k", "v", 60)
    disk.close()
    assert disk.get("k") == "v"


def test_past_max_entries_the_soonest_to_expire_go_first(disk):
    for n in range(60):
        disk.set(f"short{n}", n, 100 + n)
    disk.set("long", "kept", 3600)
    disk._cull()
    remaining = disk._read("SELECT COUNT(*) FROM cache").fetchone()[0]
    assert remaining < 61
    assert disk.get("long") == "kept"
    assert disk.get("short0") is None


WORKER = """
import sys
from django.conf import settings
settings.configure()
from yaowen.core.sharedcache import SQLiteCache
disk = SQLiteCache(sys.argv[1], {})
added = 0
for n in range(200):
    disk.incr("counter")
    added += disk.add(f"race:{n}", sys.argv[2], 60)
print(added)
"""


def test_add_and_incr_are_atomic_across_processes(disk):
    disk.set("counter", 0, None)
    location = str(disk._path.parent)
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, location, str(number)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        for number in range(3)
    ]
    added = [int(worker.communicate(timeout=120)[0]) for worker in workers]
    assert all(worker.returncode == 0 for worker in workers)
    assert disk.get("counter") == 600  # no increment lost
    assert sum(added) == 200  # each key added by exactly one process


# Configuration.


def test_the_default_cache_is_on_disk_and_shared(monkeypatch, tmp_path):
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("CACHE_BACKEND", raising=False)
    monkeypatch.setenv("CACHE_DIR", str(tmp_path / "elsewhere"))
    config = env.cache_config()["default"]
    assert config["BACKEND"] == "yaowen.core.sharedcache.SQLiteCache"
    assert config["LOCATION"] == str(tmp_path / "elsewhere")
    monkeypatch.delenv("CACHE_DIR")
    assert env.cache_config()["default"]["LOCATION"] == str(env.BASE_DIR / "var" / "cache")


def test_local_memory_is_an_explicit_choice_that_redis_excludes(monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setenv("CACHE_BACKEND", "locmem")
    assert env.cache_config()["default"]["BACKEND"].endswith("LocMemCache")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/3")
    with pytest.raises(ImproperlyConfigured, match="choose one"):
        env.cache_config()
    monkeypatch.setenv("CACHE_BACKEND", "memcached")
    with pytest.raises(ImproperlyConfigured, match="CACHE_BACKEND"):
        env.cache_config()


def test_this_run_has_a_cache_directory_of_its_own(settings):
    config = settings.CACHES["default"]
    assert config["KEY_PREFIX"] == "yw-test"
    if not config["BACKEND"].endswith("SQLiteCache"):
        pytest.skip("Redis: this run's keys are kept apart by the yw-test prefix")
    assert config["LOCATION"] == os.environ["YAOWEN_TEST_CACHE_DIR"]
    assert not Path(config["LOCATION"]).is_relative_to(env.BASE_DIR / "var")
