"""Likes once per reader, shares once per reader a day, reports once, and the inbox."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from yaowen.accounts.services import follow_create
from yaowen.core.errors import ApplicationError
from yaowen.core.tests.factories import (
    ArticleFactory,
    CommentFactory,
    CreatorFactory,
    UserFactory,
)
from yaowen.engagement.models import Like, Report, Share
from yaowen.engagement.services.reactions import (
    ALREADY_REPORTED,
    NOT_PUBLISHED,
    article_like_set,
    report_create,
    share_record,
)
from yaowen.governance.models import Notification
from yaowen.jobs.delivery import deliver_pending
from yaowen.newsroom.models import Article

pytestmark = pytest.mark.django_db


def test_a_like_counts_once_per_reader_and_can_be_taken_back():
    article, reader = ArticleFactory(), UserFactory()
    assert article_like_set(article=article, user=reader, liked=True) == (True, 1)
    assert article_like_set(article=article, user=UserFactory(), liked=True) == (True, 2)
    assert article_like_set(article=article, user=reader, liked=False) == (False, 1)
    assert Like.objects.count() == 1
    article.refresh_from_db()
    assert article.like_count == 1


def test_unpublished_articles_cannot_be_liked():
    article = ArticleFactory(status=Article.Status.DRAFT)
    with pytest.raises(ApplicationError) as error:
        article_like_set(article=article, user=UserFactory(), liked=True)
    assert error.value.message == str(NOT_PUBLISHED)


def test_a_share_counts_once_per_reader_and_article_whatever_the_target():
    article = ArticleFactory()
    assert share_record(article_id=article.pk, target="weibo", address="192.0.2.1") is True
    assert share_record(article_id=article.pk, target="weibo", address="192.0.2.1") is False
    assert share_record(article_id=article.pk, target="qq", address="192.0.2.1") is False
    assert share_record(article_id=article.pk, target="qq", address="192.0.2.2") is True
    article.refresh_from_db()
    assert article.share_count == 2 == Share.objects.count()
    assert sorted(Share.objects.values_list("target", flat=True)) == ["qq", "weibo"]


def test_share_links_record_then_go_to_the_target_site(client):
    article = ArticleFactory(title="分享测试")
    response = client.get(reverse("web:share_out", args=[article.pk, "weibo"]))
    assert response.status_code == 302
    assert response["Location"].startswith("https://service.weibo.com/share/share.php?url=")
    assert Share.objects.get().target == "weibo"
    assert client.get(reverse("web:share_out", args=[article.pk, "myspace"])).status_code == 404
    other = ArticleFactory()
    beacon = client.post(reverse("web:share_beacon", args=[other.pk]), {"target": "wechat"})
    assert beacon.json() == {"counted": True}
    assert (
        client.post(reverse("web:share_beacon", args=[article.pk]), {"target": "fax"}).status_code
        == 400
    )


def test_reports_are_once_per_reader_and_target():
    article, reader = ArticleFactory(), UserFactory()
    comment = CommentFactory(article=article)
    report_create(reporter=reader, article=article, reason="false")
    report_create(reporter=reader, article=article, comment=comment, reason="abuse")
    with pytest.raises(ApplicationError) as error:
        report_create(reporter=reader, article=article, reason="spam")
    assert error.value.message == str(ALREADY_REPORTED)
    assert Report.objects.count() == 2


def test_a_report_note_over_the_limit_is_refused_with_its_length_not_cut(client):
    article = ArticleFactory()
    client.force_login(UserFactory())
    url = reverse("web:report", args=[article.pk])
    answer = client.post(
        url, {"reason": "false", "note": "不" * 301}, HTTP_ACCEPT="application/json"
    )
    assert answer.status_code == 400
    assert "最多 300 个字，现在是 301 个" in answer.json()["error"]
    assert not Report.objects.exists()
    client.post(url, {"reason": "false", "note": "不" * 300})
    assert Report.objects.get().note == "不" * 300


def test_report_form_and_moderator_queue(client):
    article = ArticleFactory(title="被举报的文章")
    client.force_login(UserFactory())
    client.post(reverse("web:report", args=[article.pk]), {"reason": "false", "note": "不实"})
    assert Report.objects.get().note == "不实"
    moderator = UserFactory()
    moderator.user_permissions.add(Permission.objects.get(codename="review_report"))
    client.force_login(moderator)
    page = client.get(reverse("moderation:queue")).content.decode()
    assert "被举报的文章" in page and "虚假信息" in page
    client.post(
        reverse("moderation:report", args=[Report.objects.get().pk]), {"status": "resolved"}
    )
    assert Report.objects.get().status == "resolved"


def test_like_view_needs_login_and_answers_json(client):
    article = ArticleFactory()
    response = client.post(reverse("web:like", args=[article.pk]))
    assert reverse("accounts:login") in response["Location"]
    client.force_login(UserFactory())
    response = client.post(
        reverse("web:like", args=[article.pk]), {"liked": "1"}, HTTP_ACCEPT="application/json"
    )
    assert response.json() == {"liked": True, "count": 1}


def test_new_followers_reach_the_creators_inbox_with_an_unread_count(client):
    creator = CreatorFactory()
    follower = UserFactory(nickname="热心读者")
    follow_create(follower=follower, creator=creator)
    deliver_pending()
    notification = Notification.objects.get()
    assert (notification.recipient, notification.kind) == (creator.user, "follow")
    client.force_login(creator.user)
    home = client.get(reverse("web:home")).content.decode()
    assert 'class="badge-count">1' in home
    inbox = client.get(reverse("web:inbox")).content.decode()
    assert "热心读者" in inbox and "关注了你" in inbox
    home = client.get(reverse("web:home")).content.decode()
    assert "badge-count" not in home
