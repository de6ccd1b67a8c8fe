"""Project-wide pytest fixtures: a clean cache per test and media in a temporary folder."""

import os

import pytest
import redis
from django.core.cache import cache
from django.utils import translation


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    # A classifier trained on this machine must not change what tests predict.
    settings.CLASSIFIER_PATH = str(tmp_path / "classifier.joblib")
    cache.clear()
    # Topic clusterings loaded by another test's database must not leak into this one.
    from yaowen.recommend.feed import candidates_forget
    from yaowen.recommend.services.topics import topics_forget

    topics_forget()
    candidates_forget()
    yield
    # A request in English leaves English active in this thread: the next test starts in
    # the default language, as every request without a choice does.
    translation.activate(settings.LANGUAGE_CODE)
    cache.clear()


@pytest.fixture(autouse=True)
def _default_channels(request):
    """Transactional tests flush the database, seeded channels included: put them back."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    request.getfixturevalue("transactional_db")
    from yaowen.newsroom.channels import channels_seed
    from yaowen.newsroom.models import Channel

    channels_seed(Channel)


@pytest.fixture
def publish():
    """publish(author=None, title=..., body=..., channel="society") -> a published article."""

    from yaowen.core.tests.factories import CreatorFactory, story
    from yaowen.jobs.delivery import deliver_pending
    from yaowen.newsroom.models import Channel
    from yaowen.newsroom.services import article_create, article_publish

    def make(*, author=None, title="长江流域迎来今冬首场寒潮", body=None, channel="society"):
        author = author or CreatorFactory()
        article = article_create(
            author=author,
            channel=Channel.objects.get(slug=channel),
            title=title,
            body_source=body if body is not None else story(),
        )
        published = article_publish(article=article, by=author.user)
        # What the queue's consumer does once the publication commits.
        deliver_pending()
        return published

    return make


@pytest.fixture
def deliver():
    """deliver() runs the pending event deliveries as the queue's consumer would, after the
    announcing transaction commits (tests run inside one that never does)."""
    from yaowen.jobs.delivery import deliver_pending

    return deliver_pending


# The PostgreSQL + Redis pass sets REDIS_URL; the SQLite pass unsets it, so fall back to
# bin/test's server.
REDIS_URL = (
    os.environ.get("REDIS_URL") or os.environ.get("TEST_REDIS_URL") or "redis://127.0.0.1:6379/15"
)


@pytest.fixture
def redis_server():
    """The real Redis; unreachable skips locally but fails in CI, where it must run."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        client.close()
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis at {REDIS_URL} is unreachable in CI: {exc}")
        pytest.skip(f"Redis at {REDIS_URL} is unreachable")
    yield client
    client.close()
