"""Decision pages and bulk hiding: each act through the page changes the state, says so,
closes the reports it answered, and refuses (as a form error) what it cannot do."""

import pytest
from django.urls import reverse

from yaowen.accounts.models import CreatorProfile
from yaowen.core.tests.factories import ArticleFactory, CommentFactory, UserFactory
from yaowen.engagement.models import Comment, CommentBan, Report
from yaowen.governance.models import AuditEntry
from yaowen.moderation.services.actions import article_take_down
from yaowen.moderation.services.appeals import appeal_create
from yaowen.moderation.tests import people
from yaowen.newsroom.models import Article, Channel

pytestmark = pytest.mark.django_db


def article_url(article, **query) -> str:
    url = reverse("moderation:article", args=[article.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def comment_url(comment) -> str:
    return reverse("moderation:comment", args=[comment.pk])


# An editor the demo's way (review permissions); the group 编辑 may not close reports yet.
EDITOR_PERMISSIONS = ("review_application", "review_article", "review_report")


def report(article, *, comment=None, reason="abuse") -> Report:
    return Report.objects.create(
        article=article, comment=comment, reporter=UserFactory(), reason=reason
    )


def act(client, url, action, reason="违反社区规范", **extra):
    data = {"reason": reason, **extra} | ({"action": action} if action else {})
    return client.post(url, data, follow=True)


@pytest.fixture
def editor(client):
    user = people.editor(*EDITOR_PERMISSIONS)
    client.force_login(user)
    return user


def test_readers_and_creators_cannot_open_decision_pages(client):
    article, comment = ArticleFactory(), CommentFactory()
    for user in (people.reader(), people.creator()):
        client.force_login(user)
        assert client.get(article_url(article)).status_code == 403
        assert client.get(comment_url(comment)).status_code == 403
        response = client.post(comment_url(comment), {"action": "hide", "reason": "x"})
        assert response.status_code == 403
    assert Comment.objects.get().status == Comment.Status.VISIBLE


def test_an_editor_outside_the_channel_gets_403(client):
    article = ArticleFactory(channel=Channel.objects.get(slug="sports"))
    client.force_login(people.editor(*EDITOR_PERMISSIONS, channels=("tech",)))
    assert client.get(article_url(article)).status_code == 403
    assert act(client, article_url(article), "take_down").status_code == 403
    assert Article.objects.get().status == Article.Status.PUBLISHED


def test_take_down_with_category_closes_the_reports_and_returns_to_the_queue(client, editor):
    article = ArticleFactory(title="要下架的文章")
    report(article), report(article, reason="false")
    page = client.get(article_url(article)).content.decode()
    assert "下架" in page and "待处理举报（2）" in page
    back = reverse("moderation:queue") + "?queue=reported_articles"
    response = client.post(
        article_url(article, next=back.replace("?", "%3F").replace("=", "%3D")),
        {"action": "take_down", "reason": "内容失实", "category": "false"},
    )
    assert response.status_code == 302 and response["Location"] == back
    article.refresh_from_db()
    assert article.status == Article.Status.REMOVED and "内容失实" in article.removed_reason
    assert set(Report.objects.values_list("status", flat=True)) == {"resolved"}
    entry = AuditEntry.objects.get(action="article_take_down")
    assert entry.actor == editor and entry.reason == "内容失实"
    assert "文章已下架。" in client.get(back).content.decode()


def test_a_missing_reason_is_a_form_error_and_nothing_changes(client, editor):
    article = ArticleFactory()
    response = act(client, article_url(article), "take_down", reason="  ")
    assert response.status_code == 200
    assert "请填写处理理由。" in response.content.decode()
    assert Article.objects.get().status == Article.Status.PUBLISHED


def test_an_act_the_article_state_does_not_allow_is_refused(client, editor):
    article = ArticleFactory()
    response = act(client, article_url(article), "restore")
    assert "这篇文章当前不能进行这项操作。" in response.content.decode()
    assert act(client, article_url(article), "explode").status_code == 200


def test_restore_a_taken_down_article(client, editor):
    article = ArticleFactory()
    act(client, article_url(article), "take_down")
    response = act(client, article_url(article), "restore", reason="申诉核实无误")
    assert "文章已恢复。" in response.content.decode()
    assert Article.objects.get().status == Article.Status.PUBLISHED


def test_request_changes_sends_a_pending_article_back_as_a_draft(client, editor):
    article = ArticleFactory(status=Article.Status.PENDING, published_at=None)
    response = act(client, article_url(article), "request_changes", reason="请补充信源")
    assert "已要求作者修改。" in response.content.decode()
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT and article.rejection_reason == "请补充信源"


def test_confirm_a_false_original_claim(client, editor):
    article = ArticleFactory(is_original=True)
    report(article, reason="copyright")
    response = act(client, article_url(article), "false_original", reason="转载自他人")
    assert "已确认原创声明不实" in response.content.decode()
    article.refresh_from_db()
    assert article.is_original is False
    assert Report.objects.get().status == Report.Status.RESOLVED


def test_suspend_and_unsuspend_the_creator(client, editor):
    article = ArticleFactory()
    assert "创作者已暂停。" in act(client, article_url(article), "suspend").content.decode()
    assert CreatorProfile.objects.get().status == CreatorProfile.Status.SUSPENDED
    assert "创作者已恢复。" in act(client, article_url(article), "unsuspend").content.decode()
    assert CreatorProfile.objects.get().status == CreatorProfile.Status.ACTIVE


def test_dismissing_reports_keeps_the_article_and_logs_why(client, editor):
    article = ArticleFactory()
    report(article)
    response = act(client, article_url(article), "dismiss_reports", reason="举报不实")
    assert "举报已驳回。" in response.content.decode()
    assert Report.objects.get().status == Report.Status.DISMISSED
    assert Article.objects.get().status == Article.Status.PUBLISHED
    entry = AuditEntry.objects.get(action="report_review")
    assert (entry.subject_type, entry.subject_id, entry.reason) == (
        "article",
        article.pk,
        "举报不实",
    )


def test_hide_a_comment_closes_its_reports(client, editor):
    comment = CommentFactory(body="一条攻击性的跟帖")
    report(comment.article, comment=comment)
    assert "一条攻击性的跟帖" in client.get(comment_url(comment)).content.decode()
    response = act(client, comment_url(comment), "hide", reason="人身攻击")
    assert "跟帖已隐藏。" in response.content.decode()
    assert Comment.objects.get().status == Comment.Status.HIDDEN
    assert Report.objects.get().status == Report.Status.RESOLVED


def test_ban_the_commenter_and_optionally_hide_earlier_comments(client, editor):
    troll = UserFactory()
    first = CommentFactory(user=troll, body="早先的跟帖")
    latest = CommentFactory(user=troll, body="最新的跟帖")
    report(first.article, comment=first)
    response = act(client, comment_url(latest), "ban", reason="多次骂人", hide_earlier="on")
    assert "已禁止此人跟帖。" in response.content.decode()
    assert CommentBan.objects.filter(user=troll).exists()
    assert set(Comment.objects.values_list("status", flat=True)) == {"hidden"}
    assert Report.objects.get().status == Report.Status.RESOLVED
    assert "此人自" in client.get(comment_url(latest)).content.decode()
    response = act(client, comment_url(latest), "unban", reason="已改正")
    assert "已解除禁止跟帖。" in response.content.decode()
    assert not CommentBan.objects.exists()


def test_ban_without_hiding_keeps_earlier_comments(client, editor):
    comment = CommentFactory(body="还留着的跟帖")
    act(client, comment_url(comment), "ban")
    assert CommentBan.objects.filter(user=comment.user).exists()
    assert Comment.objects.get().status == Comment.Status.VISIBLE


def test_release_a_comment_held_by_the_word_filter(client, editor):
    comment = CommentFactory(status=Comment.Status.PENDING)
    response = act(client, comment_url(comment), "release", reason="误判")
    assert "跟帖已放行。" in response.content.decode()
    assert Comment.objects.get().status == Comment.Status.VISIBLE


def test_bulk_hide_many_comments_with_one_reason(client, editor):
    article = ArticleFactory()
    first, second, kept = CommentFactory.create_batch(3, article=article)
    report(article, comment=first), report(article, comment=second)
    url = reverse("moderation:comments_hide") + "?queue=reported_comments"
    response = client.post(url, {"comment_ids": [first.pk, second.pk], "reason": "广告刷屏"})
    assert response.status_code == 302
    assert response["Location"] == reverse("moderation:queue") + "?queue=reported_comments"
    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert statuses == {first.pk: "hidden", second.pk: "hidden", kept.pk: "visible"}
    assert set(Report.objects.values_list("status", flat=True)) == {"resolved"}
    assert AuditEntry.objects.filter(action="comment_hide").count() == 2
    assert "已隐藏 2 条跟帖。" in client.get(response["Location"]).content.decode()


def test_bulk_hide_errors_are_shown_on_the_queue(client, editor):
    article = ArticleFactory()
    comment = CommentFactory(article=article)
    report(article, comment=comment)
    url = reverse("moderation:comments_hide") + "?queue=reported_comments"
    html = client.post(url, {"comment_ids": [comment.pk], "reason": ""}).content.decode()
    assert "请填写处理理由。" in html and f'value="{comment.pk}" checked' in html
    html = client.post(url, {"reason": "广告"}).content.decode()
    assert "请至少选择一条跟帖。" in html
    assert Comment.objects.get().status == Comment.Status.VISIBLE


def test_bulk_hide_refuses_comments_outside_the_editors_channels(client):
    sports = CommentFactory(article=ArticleFactory(channel=Channel.objects.get(slug="sports")))
    client.force_login(people.editor(*EDITOR_PERMISSIONS, channels=("tech",)))
    url = reverse("moderation:comments_hide")
    html = client.post(url, {"comment_ids": [sports.pk], "reason": "广告"}).content.decode()
    assert "所选跟帖中有不在你负责频道内的。" in html
    assert Comment.objects.get().status == Comment.Status.VISIBLE


def test_another_editor_decides_an_appeal_the_acting_editor_cannot(client, editor):
    acting = people.editor(*EDITOR_PERMISSIONS)
    article = ArticleFactory(title="被误删的文章")
    article_take_down(article=article, by=acting, reason="误判为广告")
    entry = AuditEntry.objects.get(action="article_take_down")
    appeal = appeal_create(entry=entry, by=article.author.user, text="这不是广告")
    url = reverse("moderation:appeal", args=[appeal.pk])
    page = client.get(url).content.decode()
    assert "这不是广告" in page and "误判为广告" in page and "撤销原处理" in page
    response = client.post(url, {"verdict": "reverse", "reason": ""})
    assert "请填写处理理由。" in response.content.decode()
    response = act(client, url, None, verdict="reverse", reason="核实不是广告")
    assert "已撤销原处理" in response.content.decode()
    assert Article.objects.get().status == Article.Status.PUBLISHED
    client.force_login(acting)
    assert client.get(url).status_code == 403
