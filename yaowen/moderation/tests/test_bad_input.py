"""The workspace under ids and addresses no page of ours sends: form errors and safe
redirects, never a 500, and nothing hidden or closed by mistake."""

import pytest
from django.test import Client
from django.urls import reverse

from yaowen.core.tests.factories import ArticleFactory, CommentFactory, UserFactory
from yaowen.engagement.models import Comment, Report
from yaowen.moderation.tests import people
from yaowen.newsroom.models import Channel
from yaowen.recommend.models import HeadlinePin

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999999"


@pytest.fixture
def editor():
    client = Client(raise_request_exception=False)
    client.force_login(people.admin())
    return client


@pytest.mark.parametrize("bad", [HUGE, "abc", "-1", "0", "1.5"])
def test_bulk_hide_with_an_id_that_names_no_comment_is_a_form_error(editor, bad):
    comment = CommentFactory()
    url = reverse("moderation:comments_hide") + "?queue=reported_comments"
    response = editor.post(url, {"comment_ids": [comment.pk, bad], "reason": "广告"})
    assert response.status_code == 200
    assert "所选跟帖不存在，请刷新页面后重新选择。" in response.content.decode()
    assert Comment.objects.get().status == Comment.Status.VISIBLE


@pytest.mark.parametrize(
    "target", ["abc", "-1", HUGE, "https://evil.example", "//evil.example", "javascript:x"]
)
def test_a_decision_goes_back_only_to_a_page_of_this_site(editor, target):
    article = ArticleFactory()
    report = Report.objects.create(article=article, reporter=UserFactory(), reason="abuse")
    response = editor.post(
        reverse("moderation:report", args=[report.pk]), {"status": "dismissed", "next": target}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("moderation:queue")


def test_a_decision_keeps_a_local_next(editor):
    article = ArticleFactory()
    report = Report.objects.create(article=article, reporter=UserFactory(), reason="abuse")
    back = reverse("moderation:queue") + "?queue=reported_articles"
    response = editor.post(
        reverse("moderation:report", args=[report.pk]), {"status": "dismissed", "next": back}
    )
    assert response["Location"] == back


def test_pinning_an_article_number_past_the_key_range_is_a_form_error(editor):
    channel = Channel.objects.filter(in_blocks=True).first()
    response = editor.post(
        reverse("moderation:pins"),
        {"article": HUGE, "channel": channel.pk, "hours": "24", "position": "0"},
    )
    assert response.status_code == 200
    assert "没有这篇文章。" in response.content.decode()
    assert not HeadlinePin.objects.exists()
