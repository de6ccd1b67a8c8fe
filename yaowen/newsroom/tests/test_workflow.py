"""Submit, review, schedule and publish: who may do what, and what each step changes."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.utils import timezone

from yaowen.accounts.models import CreatorProfile
from yaowen.core.errors import ApplicationError, PermissionDeniedError
from yaowen.core.tests.factories import ArticleFactory, CreatorFactory, UserFactory
from yaowen.governance.models import ReviewDecision
from yaowen.newsroom.models import Article, Channel
from yaowen.newsroom.services import (
    CREATOR_CANNOT_PUBLISH,
    NOT_A_REVIEWER,
    NOT_PENDING,
    NOT_YOUR_ARTICLE,
    REJECT_REASON_REQUIRED,
    SCHEDULE_IN_PAST,
    ArticleInput,
    article_approve,
    article_create,
    article_reject,
    article_submit,
    article_update,
    articles_publish_due,
    revision_restore,
)

pytestmark = pytest.mark.django_db


def reviewer():
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="review_article"))
    return type(user).objects.get(pk=user.pk)  # fresh permission cache


def draft(creator=None, **kwargs):
    creator = creator or CreatorFactory()
    return article_create(
        author=creator,
        channel=Channel.objects.get(slug="tech"),
        title=kwargs.pop("title", "新芯片发布"),
        body_source=kwargs.pop("body_source", "导语。\n\n## 细节\n\n正文。"),
        **kwargs,
    )


def test_submit_sends_to_review_and_approval_publishes_with_a_record():
    article = draft()
    submitted = article_submit(article=article, by=article.author.user)
    assert submitted.status == Article.Status.PENDING and submitted.submitted_at
    editor = reviewer()
    published = article_approve(article=article, reviewer=editor)
    assert published.status == Article.Status.PUBLISHED and published.published_at
    article.author.refresh_from_db()
    assert article.author.article_count == 1
    decision = ReviewDecision.objects.get(object_id=article.pk)
    assert (decision.verdict, decision.reviewer) == ("approve", editor)


def test_trusted_creators_skip_review(settings):
    creator = CreatorFactory(is_trusted=True)
    assert article_submit(article=draft(creator), by=creator.user).status == "published"
    settings.TRUSTED_CREATORS_SKIP_REVIEW = False
    assert article_submit(article=draft(creator), by=creator.user).status == "pending"


def test_a_rejection_note_too_long_to_show_whole_is_refused_not_cut():
    article = draft()
    article_submit(article=article, by=article.author.user)
    reason = "标题夸张或与正文不符"  # 10 characters and a separator leave 289 for the note
    with pytest.raises(ApplicationError) as error:
        article_reject(article=article, reviewer=reviewer(), reasons=[reason], note="改" * 290)
    assert "最多 289 个字，现在是 290 个" in error.value.message
    article.refresh_from_db()
    assert article.status == Article.Status.PENDING
    rejected = article_reject(
        article=article, reviewer=reviewer(), reasons=[reason], note="改" * 289
    )
    assert rejected.rejection_reason == f"{reason}；{'改' * 289}"


def test_rejection_needs_a_reason_and_the_author_sees_it():
    article = draft()
    article_submit(article=article, by=article.author.user)
    editor = reviewer()
    with pytest.raises(ApplicationError) as error:
        article_reject(article=article, reviewer=editor, reasons=[], note=" ")
    assert error.value.message == str(REJECT_REASON_REQUIRED)
    rejected = article_reject(
        article=article, reviewer=editor, reasons=["标题夸张或与正文不符"], note="请修改标题"
    )
    assert rejected.status == Article.Status.REJECTED
    assert "标题夸张" in rejected.rejection_reason and "请修改标题" in rejected.rejection_reason
    # Editing a rejected article makes it a draft again, ready to resubmit.
    edited = article_update(
        article=rejected,
        data=ArticleInput(title="改好的标题", channel=rejected.channel, body_source="新正文"),
        by=rejected.author.user,
    )
    assert edited.status == Article.Status.DRAFT
    assert article_submit(article=edited, by=edited.author.user).status == "pending"


def test_only_reviewers_review_and_only_pending_articles():
    article = draft()
    with pytest.raises(PermissionDeniedError) as error:
        article_approve(article=article, reviewer=article.author.user)
    assert error.value.message == str(NOT_A_REVIEWER)
    with pytest.raises(ApplicationError) as error:
        article_approve(article=article, reviewer=reviewer())
    assert error.value.message == str(NOT_PENDING)


def test_suspended_creators_and_other_people_cannot_submit():
    article = draft()
    with pytest.raises(PermissionDeniedError) as error:
        article_submit(article=article, by=UserFactory())
    assert error.value.message == str(NOT_YOUR_ARTICLE)
    CreatorProfile.objects.filter(pk=article.author_id).update(status="suspended")
    with pytest.raises(PermissionDeniedError) as error:
        article_submit(article=article, by=article.author.user)
    assert error.value.message == str(CREATOR_CANNOT_PUBLISH)


def test_only_the_author_or_staff_edit():
    article = draft()
    data = ArticleInput(title="别人改的", channel=article.channel, body_source="x")
    with pytest.raises(PermissionDeniedError):
        article_update(article=article, data=data, by=UserFactory())
    staff = UserFactory(is_staff=True, is_superuser=True)
    assert article_update(article=article, data=data, by=staff).title == "别人改的"


def test_scheduled_articles_publish_at_their_time():
    article = draft()
    when = timezone.now() + dt.timedelta(hours=2)
    with pytest.raises(ApplicationError) as error:
        article_submit(
            article=article,
            by=article.author.user,
            scheduled_at=timezone.now() - dt.timedelta(minutes=1),
        )
    assert error.value.message == str(SCHEDULE_IN_PAST)
    article_submit(article=article, by=article.author.user, scheduled_at=when)
    approved = article_approve(article=article, reviewer=reviewer())
    assert approved.status == Article.Status.SCHEDULED
    assert articles_publish_due(now=when - dt.timedelta(minutes=1)) == 0
    assert articles_publish_due(now=when + dt.timedelta(minutes=1)) == 1
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    article.author.refresh_from_db()
    assert article.author.article_count == 1


def test_publish_scheduled_command(capsys):
    ArticleFactory(
        status=Article.Status.SCHEDULED, scheduled_at=timezone.now() - dt.timedelta(minutes=5)
    )
    call_command("publish_scheduled")
    assert "Published 1 scheduled articles" in capsys.readouterr().out
    assert Article.objects.filter(status="published").count() == 1


def test_every_save_keeps_a_revision_and_restoring_brings_text_back():
    article = draft(title="第一版标题")
    user = article.author.user
    article_update(
        article=article,
        data=ArticleInput(title="第二版标题", channel=article.channel, body_source="第二版正文"),
        by=user,
    )
    assert [r.number for r in article.revisions.all()] == [2, 1]
    first = article.revisions.get(number=1)
    restored = revision_restore(article=article, revision=first, by=user)
    assert restored.title == "第一版标题"
    assert "<h2>细节</h2>" in restored.body_html
    assert article.revisions.count() == 3
