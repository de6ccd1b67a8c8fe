"""Likes, comments, shares and flushed views move the live hot lists, once per reader."""

import os
import uuid

import pytest
from django.utils import timezone

from yaowen.core import ratelimit
from yaowen.core.errors import ApplicationError
from yaowen.core.tests.factories import ArticleFactory, UserFactory
from yaowen.engagement.services.comments import (
    RATE_LIMIT,
    RateLimitedError,
    _rate_key,
    comment_create,
)
from yaowen.engagement.services.reactions import article_like_set, share_record
from yaowen.engagement.viewcount import RedisViewBuffer, redis_client
from yaowen.jobs.delivery import deliver_pending
from yaowen.jobs.models import Delivery
from yaowen.newsroom.models import Article
from yaowen.recommend import hotset
from yaowen.recommend.hotset import HotSet, hot_ids

pytestmark = pytest.mark.django_db

# The second pass sets REDIS_URL; the first unsets it, so fall back to bin/test's server.
REDIS_URL = (
    os.environ.get("REDIS_URL") or os.environ.get("TEST_REDIS_URL") or "redis://127.0.0.1:6379/15"
)


@pytest.fixture
def namespace(redis_server):
    prefix = f"yw-test-{uuid.uuid4().hex[:12]}:"
    yield prefix
    keys = list(redis_server.scan_iter(match=f"{prefix}*", count=1000))
    if keys:
        redis_server.delete(*keys)


@pytest.fixture
def live(redis_server, namespace, monkeypatch):
    """Live hot sets on the real Redis, in a test namespace, used by the services."""
    sets = HotSet(redis_server, prefix=f"{namespace}hot:")
    monkeypatch.setattr(hotset, "_backend", sets)
    return sets


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what the services leave for the commit (the hot events), as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def counts(sets: HotSet, article: Article) -> dict[str, int]:
    raw = sets.client.hgetall(sets.article_key(article.pk))
    fields = {key.decode(): value for key, value in raw.items()}
    return {key: int(fields[key]) for key in ("v", "c", "l", "s") if key in fields}


def score(sets: HotSet, article: Article) -> float | None:
    return sets.client.zscore(sets.set_key(None), article.pk)


def test_like_unlike_like_by_one_reader_counts_once(live, commit):
    article, reader = ArticleFactory(), UserFactory()
    with commit():
        article_like_set(article=article, user=reader, liked=True)
    first = score(live, article)
    assert first > 0
    for liked in (False, True, False):  # unlike, like, unlike inside the window
        with commit():
            article_like_set(article=article, user=reader, liked=liked)
    assert Article.objects.get(pk=article.pk).like_count == 0
    with commit():
        assert article_like_set(article=article, user=reader, liked=True) == (True, 1)
    assert counts(live, article)["l"] == 1
    assert score(live, article) <= first
    with commit():
        article_like_set(article=article, user=UserFactory(), liked=True)
    assert counts(live, article)["l"] == 2 and score(live, article) > first


def test_a_readers_further_comments_do_not_count_but_a_new_commenter_does(live, commit):
    quiet, busy = ArticleFactory(), ArticleFactory()
    reader = UserFactory()
    with commit():
        article_like_set(article=quiet, user=UserFactory(), liked=True)
        comment_create(user=reader, article=busy, body="第一条")
    assert hot_ids(channel_id=None, limit=2) == [busy.pk, quiet.pk]
    with commit():
        article_like_set(article=quiet, user=UserFactory(), liked=True)
        comment_create(user=reader, article=busy, body="第二条")
        comment_create(user=reader, article=busy, body="第三条")
    assert counts(live, busy) == {"c": 1}
    assert hot_ids(channel_id=None, limit=2) == [quiet.pk, busy.pk]
    with commit():
        comment_create(user=UserFactory(), article=busy, body="另一位读者")
    assert counts(live, busy) == {"c": 2}
    assert hot_ids(channel_id=busy.channel_id, limit=2) == [busy.pk, quiet.pk]


def test_refused_comments_do_not_count(live, commit):
    article, reader = ArticleFactory(), UserFactory()
    for _ in range(RATE_LIMIT):
        ratelimit.hit(_rate_key(reader), window=60)
    with commit(), pytest.raises(RateLimitedError):
        comment_create(user=reader, article=article, body="太快了")
    closed = ArticleFactory(status=Article.Status.REMOVED)
    with commit(), pytest.raises(ApplicationError):
        comment_create(user=UserFactory(), article=closed, body="下架了")
    assert score(live, article) is None and score(live, closed) is None


def test_repeated_share_beacons_count_once_like_share_count(live, commit):
    article = ArticleFactory()
    with commit():
        for target in ("wechat", "wechat", "link", "wechat"):
            share_record(article_id=article.pk, target=target, address="192.0.2.7")
        share_record(article_id=article.pk, target="link", address="192.0.2.8")
    assert counts(live, article) == {"s": 2}
    assert Article.objects.get(pk=article.pk).share_count == 2


def test_flushed_views_move_the_hot_list(live, redis_server, namespace):
    quiet, read = ArticleFactory(), ArticleFactory()
    live.event(
        article_id=quiet.pk,
        channel_id=quiet.channel_id,
        kind="like",
        reader="u:1",
        published_at=quiet.published_at,
    )
    views = RedisViewBuffer(redis_server, prefix=f"{namespace}views:")
    for reader in ("c:1", "c:2", "c:3", "c:4", "c:5", "c:1"):
        views.record(reader, read.pk)
    assert hot_ids(channel_id=None, limit=5) == [quiet.pk]  # buffered, not yet flushed
    assert views.flush() == 5
    deliver_pending()  # the flush announced the views; the consumer adds them
    deliver_pending()  # once
    assert counts(live, read) == {"v": 5}
    assert hot_ids(channel_id=None, limit=5) == [read.pk, quiet.pk]


def test_engagement_reaches_the_hot_lists_through_events_not_in_the_request(monkeypatch):
    monkeypatch.setattr(hotset, "_backend", None)
    article = ArticleFactory()
    article_like_set(article=article, user=UserFactory(), liked=True)
    comment_create(user=UserFactory(), article=article, body="好")
    share_record(article_id=article.pk, target="qq", address="192.0.2.1")
    hot = Delivery.objects.filter(listener="yaowen.recommend.listeners.engagement_counted")
    assert sorted(hot.values_list("event", flat=True)) == [
        "article.liked",
        "article.shared",
        "comment.created",
    ]
    assert deliver_pending() == 4  # the three, and the comment's notice
    assert not Delivery.objects.exclude(status=Delivery.Status.DONE).exists()


def test_a_like_works_when_redis_is_down(monkeypatch, commit):
    monkeypatch.setattr(hotset, "_backend", HotSet(redis_client("redis://127.0.0.1:1/0")))
    article = ArticleFactory(published_at=timezone.now())
    with commit():
        assert article_like_set(article=article, user=UserFactory(), liked=True) == (True, 1)
        comment = comment_create(user=UserFactory(), article=article, body="照常发出")
    assert comment.pk and Article.objects.get(pk=article.pk).comment_count == 1
