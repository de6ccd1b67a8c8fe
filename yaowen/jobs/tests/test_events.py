"""Events and their deliveries, in one process: what the consumer does, run by the tests."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from yaowen.core.tests.factories import ArticleFactory, CreatorFactory, UserFactory
from yaowen.engagement.services.comments import comment_create
from yaowen.governance.models import Notification
from yaowen.jobs.delivery import deliver, deliver_pending, retry_delay
from yaowen.jobs.events import announce, announce_at
from yaowen.jobs.models import Delivery, JobRun
from yaowen.newsroom.models import Article, Channel
from yaowen.newsroom.services import article_create, article_publish, article_submit

pytestmark = pytest.mark.django_db

FAIL = {"probe.fail": ["yaowen.jobs.tests.probes.fail"]}


def test_an_announcement_rolled_back_with_its_change_leaves_nothing_to_deliver():
    article = ArticleFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        comment_create(user=UserFactory(), article=article, body="写了又撤回")
        raise RuntimeError("the request failed after the comment")
    assert not Delivery.objects.exists()


def test_each_listener_gets_its_own_delivery_and_a_second_run_changes_nothing():
    article = ArticleFactory()
    comment = comment_create(user=UserFactory(), article=article, body="好文章")
    deliveries = Delivery.objects.filter(event="comment.created")
    assert sorted(deliveries.values_list("listener", flat=True)) == [
        "yaowen.engagement.listeners.comment_notify_posted",
        "yaowen.recommend.listeners.engagement_counted",
    ]
    assert deliver_pending() == 2
    for delivery in deliveries:  # delivered again: a sweep racing a queued task
        Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.PENDING)
        deliver(delivery.pk)
    assert Notification.objects.filter(comment=comment).count() == 1
    assert set(deliveries.values_list("status", flat=True)) == {Delivery.Status.DONE}


def test_a_listener_that_keeps_failing_backs_off_then_is_shown_as_failed(settings, capsys):
    settings.EVENT_LISTENERS = FAIL
    settings.EVENT_MAX_ATTEMPTS = 3
    settings.EVENT_RETRY_SECONDS = 10
    (delivery_id,) = announce("probe.fail")
    assert deliver(delivery_id) == 10
    assert deliver(delivery_id) == 20
    assert retry_delay(20) == 3600  # never more than an hour apart
    delivery = Delivery.objects.get()
    assert delivery.next_attempt_at > timezone.now() + dt.timedelta(seconds=15)
    assert deliver_pending() == 0  # not due yet
    assert deliver(delivery_id) is None
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.FAILED, 3)
    assert "the probe listener always fails" in delivery.last_error

    call_command("jobs")
    out = capsys.readouterr().out
    assert "0 pending, 0 done, 1 failed" in out
    assert "probe.fail → yaowen.jobs.tests.probes.fail (3 attempts)" in out
    call_command("jobs", "retry", "--all")
    delivery.refresh_from_db()
    # A fresh set of attempts, the first run at once (the test queue runs in-process).
    assert (delivery.status, delivery.attempts) == (Delivery.Status.PENDING, 1)


def test_a_delayed_event_waits_for_its_time():
    later = timezone.now() + dt.timedelta(minutes=5)
    (delivery_id,) = announce_at(later, "article.due", article_id=1)
    assert deliver_pending() == 0
    Delivery.objects.filter(pk=delivery_id).update(next_attempt_at=timezone.now())
    assert deliver_pending() == 1


def _scheduled(minutes: int) -> Article:
    author = CreatorFactory(is_trusted=True)
    article = article_create(
        author=author,
        channel=Channel.objects.get(slug="society"),
        title="定时稿",
        body_source="正文",
    )
    return article_submit(
        article=article,
        by=author.user,
        scheduled_at=timezone.now() + dt.timedelta(minutes=minutes),
    )


def test_a_scheduled_article_is_published_by_its_own_event_at_its_time(settings):
    settings.TRUSTED_CREATORS_SKIP_REVIEW = True
    article = _scheduled(minutes=10)
    assert article.status == Article.Status.SCHEDULED
    due = Delivery.objects.get(event="article.due")
    assert abs((due.next_attempt_at - article.scheduled_at).total_seconds()) < 1
    Article.objects.filter(pk=article.pk).update(scheduled_at=timezone.now())
    Delivery.objects.filter(pk=due.pk).update(next_attempt_at=timezone.now())
    deliver_pending()
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED


def test_the_jobs_command_lists_every_job_and_runs_one(settings, capsys):
    settings.TRUSTED_CREATORS_SKIP_REVIEW = True
    article = _scheduled(minutes=10)
    Article.objects.filter(pk=article.pk).update(scheduled_at=timezone.now())
    call_command("jobs", "run", "newsroom.publish_scheduled")
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    run = JobRun.objects.get()
    assert (run.job, run.outcome, run.detail) == ("newsroom.publish_scheduled", "ok", "published 1")

    call_command("jobs")
    out = capsys.readouterr().out
    for job in (
        "newsroom.publish_scheduled",
        "recommend.hot",
        "engagement.flush_views",
        "standing.refresh",
        "analysis.keywords_refit",
        "analysis.classifier_train",
        "recommend.reindex",
        "jobs.sweep",
    ):
        assert job in out
    line = next(row for row in out.splitlines() if row.startswith("newsroom.publish_scheduled"))
    assert " ok " in line and "never" not in line
    with pytest.raises(CommandError, match="No such job: nightly"):
        call_command("jobs", "run", "nightly")


@pytest.mark.django_db(transaction=True)
def test_after_a_real_commit_the_queue_delivers_without_being_asked():
    author = CreatorFactory()
    article = article_create(
        author=author,
        channel=Channel.objects.get(slug="society"),
        title="湿地候鸟观测季开始",
        body_source="湿地保护站开始了越冬候鸟的观测。\n\n志愿者记录了白鹤的数量。",
    )
    article_publish(article=article, by=author.user)
    # The test settings run the queue in this process as tasks are queued (after commit).
    assert not Delivery.objects.exclude(status=Delivery.Status.DONE).exists()
    from yaowen.search.selectors import article_search

    assert article.pk in [hit.card.id for hit in article_search(text="白鹤").page]
