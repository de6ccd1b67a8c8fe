"""Appeals: once per act, only by the person affected, decided by a different editor; a
granted appeal undoes the act. The appeal pages."""

import pytest
from django.urls import reverse

from yaowen.accounts.models import CreatorProfile
from yaowen.core.errors import ApplicationError, PermissionDeniedError
from yaowen.core.tests.factories import ArticleFactory, CreatorFactory, UserFactory
from yaowen.engagement.models import Comment, CommentBan
from yaowen.engagement.services.comments import comment_create
from yaowen.governance.models import AuditEntry, Notification
from yaowen.moderation.models import Appeal
from yaowen.moderation.services.actions import (
    article_restore,
    article_take_down,
    comment_hide,
    creator_suspend,
    reader_ban,
)
from yaowen.moderation.services.appeals import (
    ALREADY_APPEALED,
    ALREADY_DECIDED,
    NO_LONGER_IN_FORCE,
    NOT_APPEALABLE,
    NOT_THE_SAME_EDITOR,
    NOT_YOURS,
    appeal_create,
    appeal_decide,
    appeal_queue,
)
from yaowen.moderation.tests import people
from yaowen.newsroom.models import Article
from yaowen.standing.models import Violation
from yaowen.standing.services import original_claim_reject

pytestmark = pytest.mark.django_db


@pytest.fixture
def acting():
    return people.editor("review_article")


@pytest.fixture
def taken_down(acting):
    """A take-down by `acting`: (the article, its audit entry)."""
    article = ArticleFactory()
    article_take_down(article=article, by=acting, reason="标题党")
    return article, AuditEntry.objects.get(action="article_take_down", subject_id=article.pk)


def test_only_the_affected_person_appeals_and_only_once(taken_down):
    article, entry = taken_down
    author = article.author.user
    with pytest.raises(PermissionDeniedError) as refused:
        appeal_create(entry=entry, by=UserFactory(), text="我也不服")
    assert refused.value.message == str(NOT_YOURS)
    with pytest.raises(ApplicationError):
        appeal_create(entry=entry, by=author, text="   ")
    appeal = appeal_create(entry=entry, by=author, text="标题与正文一致，请复核")
    assert (appeal.status, appeal.appellant, appeal.entry) == ("pending", author, entry)
    with pytest.raises(ApplicationError) as refused:
        appeal_create(entry=entry, by=author, text="再申诉一次")
    assert refused.value.message == str(ALREADY_APPEALED)
    assert Appeal.objects.count() == 1


def test_acts_that_cannot_be_undone_or_are_undone_already_are_not_appealed(taken_down):
    article, entry = taken_down
    restored = article_restore(article=article, by=people.admin(), reason="误判")
    with pytest.raises(ApplicationError) as refused:
        appeal_create(entry=entry, by=article.author.user, text="申诉")
    assert refused.value.message == str(NO_LONGER_IN_FORCE)
    restore_entry = AuditEntry.objects.get(action="article_restore", subject_id=restored.pk)
    with pytest.raises(ApplicationError) as refused:
        appeal_create(entry=restore_entry, by=article.author.user, text="申诉")
    assert refused.value.message == str(NOT_APPEALABLE)


def test_the_editor_who_acted_cannot_decide_and_readers_cannot_either(acting, taken_down):
    article, entry = taken_down
    appeal = appeal_create(entry=entry, by=article.author.user, text="请复核")
    with pytest.raises(PermissionDeniedError) as refused:
        appeal_decide(appeal=appeal, by=acting, upheld=False, reason="我自己撤销")
    assert refused.value.message == str(NOT_THE_SAME_EDITOR)
    with pytest.raises(PermissionDeniedError):
        appeal_decide(appeal=appeal, by=people.reader(), upheld=False, reason="撤销")
    assert Appeal.objects.get().status == "pending"
    assert Article.objects.get(pk=article.pk).status == "removed"


def test_an_upheld_appeal_keeps_the_act_and_tells_the_appellant(taken_down):
    article, entry = taken_down
    appeal = appeal_create(entry=entry, by=article.author.user, text="请复核")
    other = people.editor("review_report")
    decided = appeal_decide(appeal=appeal, by=other, upheld=True, reason="标题确实夸张")
    assert (decided.status, decided.decided_by) == ("upheld", other) and decided.decided_at
    assert Article.objects.get(pk=article.pk).status == "removed"
    record = AuditEntry.objects.get(action="appeal_uphold")
    assert (record.subject_type, record.subject_id) == ("appeal", appeal.pk)
    assert record.after["entry"] == entry.pk
    notice = Notification.objects.filter(recipient=article.author.user).latest("pk")
    assert notice.reason == "标题确实夸张" and notice.action_label == "申诉驳回，维持原处理"
    assert not notice.appealable
    with pytest.raises(ApplicationError) as refused:
        appeal_decide(appeal=appeal, by=people.admin(), upheld=False, reason="改判")
    assert refused.value.message == str(ALREADY_DECIDED)


def test_a_granted_appeal_restores_the_article_and_voids_the_violation(taken_down):
    article, entry = taken_down
    appeal = appeal_create(entry=entry, by=article.author.user, text="请复核")
    appeal_decide(appeal=appeal, by=people.admin(), upheld=False, reason="标题并无不妥")
    assert Appeal.objects.get().status == "reversed"
    assert Article.objects.get(pk=article.pk).status == "published"
    assert Violation.objects.get(kind="takedown").is_void
    assert AuditEntry.objects.filter(action="article_restore").count() == 1
    assert AuditEntry.objects.get(action="appeal_reverse").reason == "标题并无不妥"
    notices = Notification.objects.filter(recipient=article.author.user).order_by("pk")
    assert [n.action for n in notices] == ["article_take_down", "appeal_reverse"]


def test_a_granted_appeal_shows_the_hidden_comment_again(acting):
    article = ArticleFactory()
    writer = UserFactory()
    comment = comment_create(user=writer, article=article, body="一条正常的跟帖")
    comment_hide(comment=comment, by=acting, reason="误判为广告")
    appeal = appeal_create(entry=AuditEntry.objects.get(), by=writer, text="不是广告")
    appeal_decide(appeal=appeal, by=people.admin(), upheld=False, reason="确实不是广告")
    assert Comment.objects.get(pk=comment.pk).status == "visible"
    assert Article.objects.get(pk=article.pk).comment_count == 1
    assert AuditEntry.objects.filter(action="comment_unhide").count() == 1


def test_a_granted_appeal_lifts_the_ban_and_shows_the_comments_it_hid(acting):
    article, reader = ArticleFactory(), UserFactory()
    earlier = comment_create(user=reader, article=article, body="之前的跟帖")
    reader_ban(user=reader, by=acting, reason="刷屏", hide_earlier=True)
    appeal = appeal_create(entry=AuditEntry.objects.get(), by=reader, text="没有刷屏")
    appeal_decide(appeal=appeal, by=people.admin(), upheld=False, reason="记录有误")
    assert not CommentBan.objects.exists()
    assert Comment.objects.get(pk=earlier.pk).status == "visible"
    assert comment_create(user=reader, article=article, body="谢谢").status == "visible"


def test_a_granted_appeal_lifts_the_suspension(acting):
    creator = CreatorFactory()
    creator_suspend(creator=creator, by=acting, reason="抄袭")
    appeal = appeal_create(entry=AuditEntry.objects.get(), by=creator.user, text="原创")
    appeal_decide(appeal=appeal, by=people.editor(), upheld=False, reason="核实为原创")
    assert CreatorProfile.objects.get(pk=creator.pk).status == "active"
    assert Violation.objects.get(kind="suspension").is_void


def test_the_queue_never_shows_an_editor_appeals_against_their_own_acts(acting, taken_down):
    article, entry = taken_down
    appeal = appeal_create(entry=entry, by=article.author.user, text="请复核")
    other = people.editor("review_report")
    assert list(appeal_queue(for_user=acting)) == []
    assert list(appeal_queue(for_user=other)) == [appeal]
    assert list(appeal_queue(for_user=people.reader())) == []
    appeal_decide(appeal=appeal, by=other, upheld=True, reason="维持")
    assert list(appeal_queue(for_user=other)) == []


def test_the_appeal_page_is_for_the_affected_person_only(client, taken_down):
    article, entry = taken_down
    url = reverse("appeals:create", args=[entry.pk])
    assert reverse("accounts:login") in client.get(url)["Location"]
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    assert client.post(url, {"text": "冒充"}).status_code == 404
    client.force_login(article.author.user)
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "下架文章" in html and "标题党" in html and 'name="text"' in html


def test_appealing_through_the_page(client, taken_down):
    article, entry = taken_down
    url = reverse("appeals:create", args=[entry.pk])
    client.force_login(article.author.user)
    empty = client.post(url, {"text": ""})
    assert empty.status_code == 400 and not Appeal.objects.exists()
    sent = client.post(url, {"text": "标题与正文一致"}, follow=True)
    assert sent.redirect_chain[-1][0] == reverse("appeals:mine")
    assert "标题与正文一致" not in sent.content.decode()  # the list shows the act and status
    assert "下架文章" in sent.content.decode() and "待处理" in sent.content.decode()
    again = client.post(url, {"text": "再来一次"})
    assert again.status_code == 400 and Appeal.objects.count() == 1
    assert "标题与正文一致" in client.get(url).content.decode()


def test_a_granted_appeal_gives_back_a_refused_original_claim(acting):
    article = ArticleFactory(is_original=True)
    original_claim_reject(article=article, by=acting, reason="与他人文章高度相似")
    entry = AuditEntry.objects.get(action="original_claim_review")
    notice = Notification.objects.get(recipient=article.author.user, kind="moderation")
    assert notice.audit_entry == entry and notice.appealable
    appeal = appeal_create(entry=entry, by=article.author.user, text="我是首发作者")
    appeal_decide(appeal=appeal, by=people.admin(), upheld=False, reason="核实为首发")
    assert Article.objects.get(pk=article.pk).is_original
    assert Violation.objects.get(kind="false_original").is_void
    assert AuditEntry.objects.filter(action="original_claim_reinstate").count() == 1
