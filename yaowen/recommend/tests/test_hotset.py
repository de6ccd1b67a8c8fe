"""Live hot sets: one count per reader and window, exact order now, refresh, Redis outages."""

import datetime as dt
import os
import time
import uuid

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.utils import timezone

from yaowen.core.tests.factories import ArticleFactory
from yaowen.engagement.viewcount import redis_client
from yaowen.newsroom.models import Article, Channel
from yaowen.recommend import hotset
from yaowen.recommend.hotset import HotSet, hot_event, hot_ids
from yaowen.recommend.scoring import hot_score
from yaowen.recommend.services.hot import hot_scores_refresh

# The second pass sets REDIS_URL; the first unsets it, so fall back to bin/test's server.
REDIS_URL = (
    os.environ.get("REDIS_URL") or os.environ.get("TEST_REDIS_URL") or "redis://127.0.0.1:6379/15"
)
NOW = dt.datetime(2026, 11, 27, 8, 0, tzinfo=dt.UTC)
TECH = 7


def hours(n: float) -> dt.timedelta:
    return dt.timedelta(hours=n)


@pytest.fixture
def live(redis_server, monkeypatch):
    """Live hot sets on the real Redis in a namespace of their own, used by hot_event/hot_ids."""
    namespace = f"yw-test-{uuid.uuid4().hex[:12]}:hot:"
    sets = HotSet(redis_server, prefix=namespace)
    monkeypatch.setattr(hotset, "_backend", sets)
    yield sets
    keys = list(redis_server.scan_iter(match=f"{namespace}*", count=1000))
    if keys:
        redis_server.delete(*keys)


def like(sets: HotSet, article_id: int, reader: str, *, published=NOW, channel=TECH, now=NOW):
    return sets.event(
        article_id=article_id,
        channel_id=channel,
        kind="like",
        reader=reader,
        published_at=published,
        now=now,
    )


def score_of(sets: HotSet, article_id: int, channel_id: int | None = None) -> float | None:
    return sets.client.zscore(sets.set_key(channel_id), article_id)


# Which sets, from the settings.


def test_the_cache_setting_chooses_live_sets_or_stored_scores(settings, monkeypatch):
    monkeypatch.setattr(hotset, "_backend", hotset._UNSET)
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert hotset.backend() is None
    assert hot_ids(channel_id=None, limit=10) is None
    published = timezone.now()
    assert not hot_event(
        article_id=1, channel_id=TECH, kind="like", reader="u:1", published_at=published
    )
    monkeypatch.setattr(hotset, "_backend", hotset._UNSET)
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": "site",
        }
    }
    live = hotset.backend()
    assert isinstance(live, HotSet)
    assert live.set_key(None) == "site:hot:all" and live.set_key(3) == "site:hot:c3"


def test_this_run_uses_redis_exactly_when_the_cache_does():
    using_redis = django_settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    assert (hotset.backend() is not None) is using_redis


# One count per reader and window.


def test_a_repeat_by_the_same_reader_within_the_window_does_not_raise_the_score(live):
    assert like(live, 1, "u:1") is True
    once = score_of(live, 1)
    assert once == pytest.approx(hot_score(views=0, comments=0, likes=1, shares=0, age_hours=0))
    assert like(live, 1, "u:1") is False
    assert score_of(live, 1) == once
    assert like(live, 1, "u:2") is True
    assert score_of(live, 1) == pytest.approx(2 * once)


def test_the_same_reader_counts_again_after_the_window(redis_server, live):
    short = HotSet(redis_server, prefix=live.prefix, window=0.2)
    assert like(short, 1, "u:1") is True
    assert like(short, 1, "u:1") is False
    time.sleep(0.3)
    assert like(short, 1, "u:1") is True


def test_kinds_are_counted_apart_and_scored_as_the_pure_hot_score(live):
    published = NOW - hours(3)
    for kind, reader in [("comment", "u:1"), ("comment", "u:2"), ("share", "u:1>weibo")]:
        assert live.event(
            article_id=5,
            channel_id=TECH,
            kind=kind,
            reader=reader,
            published_at=published,
            now=NOW,
        )
    assert like(live, 5, "u:1", published=published)  # a like is not a repeat of a comment
    assert live.views_add([(5, TECH, published, 40)], now=NOW) == 1
    expected = hot_score(views=40, comments=2, likes=1, shares=1, age_hours=3)
    assert score_of(live, 5) == pytest.approx(expected)
    assert score_of(live, 5, TECH) == pytest.approx(expected)
    assert score_of(live, 5, TECH + 1) is None
    with pytest.raises(ValueError):
        live.event(article_id=5, channel_id=TECH, kind="poke", reader="u:1", published_at=published)


# Reading the lists.


def test_a_new_comment_moves_an_article_up_the_list_at_once(live):
    published = timezone.now() - hours(1)
    for reader in ("u:1", "u:2", "u:3"):
        hot_event(article_id=1, channel_id=TECH, kind="like", reader=reader, published_at=published)
    hot_event(article_id=2, channel_id=TECH, kind="like", reader="u:1", published_at=published)
    hot_event(article_id=3, channel_id=TECH + 1, kind="like", reader="u:1", published_at=published)
    assert hot_ids(channel_id=None, limit=2) == [1, 3]  # equal scores: the newer id first
    assert hot_ids(channel_id=TECH, limit=10) == [1, 2]
    for reader in ("u:4", "u:5"):
        hot_event(
            article_id=2, channel_id=TECH, kind="comment", reader=reader, published_at=published
        )
    assert hot_ids(channel_id=TECH, limit=10) == [2, 1]
    assert hot_ids(channel_id=TECH + 1, limit=10) == [3]
    assert hot_ids(channel_id=99, limit=10) is None  # no list: the stored scores answer


def test_a_quiet_article_sinks_on_time_without_waiting_for_the_refresh(live):
    # Hours ago the burst made article 1 the hottest; its set score is from then.
    live.views_add([(1, TECH, NOW, 50)], now=NOW)
    later = NOW + hours(10)
    live.views_add([(2, TECH, later - hours(1), 10)], now=later)
    assert score_of(live, 1) > score_of(live, 2)
    assert live.top(channel_id=None, limit=1, now=later) == [2]
    assert live.top(channel_id=None, limit=5, now=later) == [2, 1]


def test_reading_goes_deeper_when_stale_scores_hide_the_hottest(live):
    # 30 bursts scored long ago sit above a fresh article whose score is the best now.
    for pk in range(1, 31):
        live.views_add([(pk, TECH, NOW, 100 + pk)], now=NOW)
    later = NOW + hours(48)
    live.views_add([(99, TECH, later, 5)], now=later)
    assert live.client.zrevrank(live.set_key(None), 99) == 30
    assert live.top(channel_id=None, limit=1, now=later) == [99]
    assert live.top(channel_id=None, limit=3, now=later) == [99, 30, 29]


def test_articles_out_of_the_window_leave_and_sets_keep_their_size(redis_server, live):
    old = NOW - dt.timedelta(days=31)
    like(live, 1, "u:1", published=old)
    assert score_of(live, 1) is None and not redis_server.exists(live.article_key(1))
    small = HotSet(redis_server, prefix=live.prefix, max_size=3)
    for pk in range(1, 6):
        small.views_add([(pk, TECH, NOW, pk)], now=NOW)
    assert redis_server.zcard(small.set_key(None)) == 3
    assert small.top(channel_id=TECH, limit=10, now=NOW) == [5, 4, 3]


# The periodic refresh.


@pytest.mark.django_db
def test_refresh_rescores_the_sets_from_the_database_and_drops_stale_entries(live):
    sports, finance = Channel.objects.get(slug="sports"), Channel.objects.get(slug="finance")
    now = timezone.now()
    liked = ArticleFactory(channel=sports, like_count=1, published_at=now - hours(2))
    viewed = ArticleFactory(channel=sports, view_count=30, published_at=now - hours(2))
    moved = ArticleFactory(channel=finance, view_count=5, published_at=now - hours(2))
    removed = ArticleFactory(status=Article.Status.REMOVED, view_count=90)
    # Events inflated `liked` (likes taken back since), `moved` was in sports, `removed`
    # was still listed.
    for reader in ("u:1", "u:2", "u:3"):
        like(live, liked.pk, reader, published=liked.published_at, channel=sports.pk, now=now)
    like(live, moved.pk, "u:1", published=moved.published_at, channel=sports.pk, now=now)
    like(live, removed.pk, "u:1", published=now, channel=sports.pk, now=now)

    done = hot_scores_refresh(now=now)

    assert done.scored == 3 and done.live is not None and not done.live_failed
    assert done.live.loaded == 3 and done.live.removed == 3
    stored = dict(Article.objects.values_list("pk", "hot_score"))
    for article in (liked, viewed, moved):
        assert score_of(live, article.pk) == pytest.approx(stored[article.pk])
    assert score_of(live, removed.pk) is None
    assert score_of(live, moved.pk, sports.pk) is None
    assert score_of(live, moved.pk, finance.pk) == pytest.approx(stored[moved.pk])
    assert live.top(channel_id=sports.pk, limit=10, now=now) == [viewed.pk, liked.pk]
    # Refreshed counts are what later events add to.
    like(live, liked.pk, "u:9", published=liked.published_at, channel=sports.pk, now=now)
    assert score_of(live, liked.pk) == pytest.approx(2 * stored[liked.pk])


@pytest.mark.django_db
def test_refresh_keeps_an_article_published_after_it_read_the_database(live):
    fresh = ArticleFactory(published_at=timezone.now())
    like(live, fresh.pk, "u:1", published=fresh.published_at, channel=fresh.channel_id)
    live.rebuild(rows=[], now=timezone.now())
    assert score_of(live, fresh.pk) is not None
    fresh.status = Article.Status.REMOVED
    fresh.save(update_fields=["status"])
    live.rebuild(rows=[], now=timezone.now())
    assert score_of(live, fresh.pk) is None


@pytest.mark.django_db
def test_refresh_command_reports_the_redis_sets(live, capsys):
    ArticleFactory(view_count=3)
    call_command("refresh_hot")
    out = capsys.readouterr().out
    assert "Scored 1 articles" in out
    assert "Redis hot sets: re-scored 1 articles, removed 0 stale entries." in out


# Redis down.


@pytest.mark.django_db
def test_redis_down_falls_back_to_stored_scores_without_waiting(monkeypatch, caplog):
    down = HotSet(redis_client("redis://127.0.0.1:1/0"))
    monkeypatch.setattr(hotset, "_backend", down)
    published = timezone.now()
    event = {"article_id": 1, "channel_id": TECH, "kind": "like", "reader": "u:1"}
    assert hot_event(**event, published_at=published) is False
    assert "could not count an event" in caplog.text
    started = time.monotonic()
    assert hot_ids(channel_id=None, limit=10) is None
    assert hot_event(**event, published_at=published) is False
    assert time.monotonic() - started < 0.1  # paused: nobody waits on the dead server
    article = ArticleFactory(view_count=10)
    done = hot_scores_refresh()
    assert done.live_failed and done.scored == 1
    assert Article.objects.get(pk=article.pk).hot_score > 0
