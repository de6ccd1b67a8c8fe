"""The review workspace: only reviewers get in; queues are oldest first; decisions stick."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from yaowen.accounts.models import CreatorApplication, CreatorProfile, User
from yaowen.core.tests.factories import ArticleFactory, UserFactory
from yaowen.governance.models import ReviewDecision
from yaowen.newsroom.models import Article, Channel

pytestmark = pytest.mark.django_db


def login_with(client, *codenames):
    user = UserFactory()
    for codename in codenames:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    client.force_login(user)
    return User.objects.get(pk=user.pk)


def make_application(name, minutes_ago):
    return CreatorApplication.objects.create(
        user=UserFactory(),
        account_type="personal",
        display_name=name,
        field=Channel.objects.get(slug="tech"),
        bio="简介",
        avatar="avatars/a.png",
        contact="邮箱",
        statement="说明",
        submitted_at=timezone.now() - dt.timedelta(minutes=minutes_ago),
    )


def test_readers_and_creators_without_the_permission_are_refused(client):
    assert reverse("accounts:login") in client.get(reverse("moderation:queue"))["Location"]
    login_with(client)
    assert client.get(reverse("moderation:queue")).status_code == 403
    application = make_application("甲", 5)
    response = client.post(
        reverse("moderation:application", args=[application.pk]), {"verdict": "approve"}
    )
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == "pending"


def test_the_queue_lists_oldest_first(client):
    make_application("新来的", 1)
    make_application("等最久的", 90)
    make_application("中间的", 30)
    login_with(client, "review_application")
    html = client.get(reverse("moderation:queue")).content.decode()
    assert html.index("等最久的") < html.index("中间的") < html.index("新来的")


def test_approve_and_reject_applications_with_recorded_reasons(client):
    reviewer = login_with(client, "review_application")
    good, bad = make_application("好名字", 10), make_application("坏名字", 5)
    client.post(reverse("moderation:application", args=[good.pk]), {"verdict": "approve"})
    assert CreatorProfile.objects.filter(display_name="好名字").exists()
    response = client.post(
        reverse("moderation:application", args=[bad.pk]), {"verdict": "reject", "note": ""}
    )
    assert "至少选择一个原因" in response.content.decode()
    client.post(
        reverse("moderation:application", args=[bad.pk]),
        {"verdict": "reject", "reasons": ["name", "bio"], "note": "请换一个名称"},
    )
    bad.refresh_from_db()
    assert bad.status == "rejected" and bad.reasons == ["name", "bio"]
    decision = ReviewDecision.objects.get(object_id=bad.pk, subject="application")
    assert (decision.reviewer, decision.verdict, decision.note) == (
        reviewer,
        "reject",
        "请换一个名称",
    )


def test_article_review_publishes_or_returns_with_reasons(client):
    login_with(client, "review_article")
    first = ArticleFactory(status=Article.Status.PENDING, submitted_at=timezone.now())
    second = ArticleFactory(status=Article.Status.PENDING, submitted_at=timezone.now())
    page = client.get(reverse("moderation:article", args=[first.pk])).content.decode()
    assert first.title in page and "<h2>第一节小标题</h2>" in page
    client.post(reverse("moderation:article", args=[first.pk]), {"verdict": "approve"})
    client.post(
        reverse("moderation:article", args=[second.pk]),
        {"verdict": "reject", "reasons": ["title"], "note": ""},
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "published"
    assert second.status == "rejected" and "标题夸张" in second.rejection_reason
