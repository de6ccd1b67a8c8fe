"""Article actions: review verdicts, request changes, take down and restore; each checks
the role, is audited with before/after and tells the author why in their inbox."""

import pytest
from django.test import Client
from django.urls import reverse

from yaowen.accounts.models import CreatorApplication, CreatorProfile
from yaowen.accounts.services import application_approve, application_reject
from yaowen.core.errors import ApplicationError, PermissionDeniedError
from yaowen.core.tests.factories import ArticleFactory, CreatorFactory, UserFactory
from yaowen.governance.models import AuditEntry, Notification, ReviewDecision
from yaowen.governance.roles import NOT_ALLOWED, OUT_OF_SCOPE
from yaowen.moderation.services.actions import (
    NOT_LIVE,
    REASON_REQUIRED,
    UNKNOWN_CATEGORY,
    article_request_changes,
    article_restore,
    article_take_down,
)
from yaowen.moderation.tests import people
from yaowen.newsroom.models import Article, Channel
from yaowen.newsroom.services import (
    NOT_A_REVIEWER,
    ArticleInput,
    article_approve,
    article_reject,
    article_submit,
    article_update,
)
from yaowen.standing.models import Violation

pytestmark = pytest.mark.django_db


def live_article(**kwargs) -> Article:
    article = ArticleFactory(**kwargs)
    CreatorProfile.objects.filter(pk=article.author_id).update(article_count=1)
    return article


def pending_article(**kwargs) -> Article:
    return ArticleFactory(status=Article.Status.PENDING, published_at=None, **kwargs)


def notice_of(user) -> Notification:
    return Notification.objects.get(recipient=user, kind=Notification.Kind.MODERATION)


def test_take_down_answers_410_with_the_notice_and_records_everything(
    client, django_capture_on_commit_callbacks
):
    article = live_article()
    editor = people.editor("review_article")
    assert client.get(article.get_absolute_url()).status_code == 200  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        removed = article_take_down(
            article=article, by=editor, reason="未经授权转载他人作品", category="copyright"
        )
    assert removed.status == Article.Status.REMOVED
    page = client.get(article.get_absolute_url())
    assert page.status_code == 410
    assert "侵犯版权：未经授权转载他人作品" in page.content.decode()
    article.author.refresh_from_db()
    assert article.author.article_count == 0
    entry = AuditEntry.objects.get(action="article_take_down")
    assert (entry.actor, entry.subject_type, entry.subject_id) == (editor, "article", article.pk)
    assert entry.reason == "未经授权转载他人作品"
    assert entry.before == {"status": "published"}
    assert entry.after["status"] == "removed" and entry.after["category"] == "copyright"
    notice = notice_of(article.author.user)
    assert (notice.reason, notice.audit_entry, notice.article) == (entry.reason, entry, article)
    assert notice.appealable and notice.action_label == "下架文章"
    violation = Violation.objects.get(creator=article.author)
    assert (violation.kind, violation.article, violation.by) == ("takedown", removed, editor)


def test_take_down_needs_a_reason_a_live_article_and_a_known_category():
    editor = people.editor("review_article")
    article = live_article()
    for reason in ("", "   "):
        with pytest.raises(ApplicationError) as refused:
            article_take_down(article=article, by=editor, reason=reason)
        assert refused.value.message == str(REASON_REQUIRED)
    with pytest.raises(ApplicationError) as refused:
        article_take_down(article=article, by=editor, reason="违规", category="weather")
    assert refused.value.message == str(UNKNOWN_CATEGORY)
    with pytest.raises(ApplicationError) as refused:
        article_take_down(article=pending_article(), by=editor, reason="违规")
    assert refused.value.message == str(NOT_LIVE)
    assert not AuditEntry.objects.exists() and not Notification.objects.exists()


@pytest.mark.parametrize("role", ["reader", "creator"])
def test_readers_and_creators_cannot_take_down_or_restore(role):
    user = people.of_role(role)
    article = live_article()
    with pytest.raises(PermissionDeniedError) as refused:
        article_take_down(article=article, by=user, reason="违规")
    assert refused.value.message == str(NOT_ALLOWED)
    article_take_down(article=article, by=people.admin(), reason="违规")
    with pytest.raises(PermissionDeniedError):
        article_restore(article=article, by=user, reason="误删")
    assert Article.objects.get(pk=article.pk).status == Article.Status.REMOVED


def test_editors_limited_to_channels_act_only_there():
    scoped = people.editor("review_article", channels=("sports",))
    elsewhere = live_article()  # in tech
    with pytest.raises(PermissionDeniedError) as refused:
        article_take_down(article=elsewhere, by=scoped, reason="违规")
    assert refused.value.message == str(OUT_OF_SCOPE)
    mine = live_article(channel=Channel.objects.get(slug="sports"))
    assert article_take_down(article=mine, by=scoped, reason="违规").status == "removed"


def test_restore_puts_the_article_back_and_tells_the_author(
    client, django_capture_on_commit_callbacks
):
    article = live_article()
    published_at = article.published_at
    article_take_down(article=article, by=people.editor("review_article"), reason="误判")
    assert client.get(article.get_absolute_url()).status_code == 410
    restorer = people.admin()
    with django_capture_on_commit_callbacks(execute=True):
        restored = article_restore(article=article, by=restorer, reason="复核后无问题")
    assert restored.status == Article.Status.PUBLISHED and restored.removed_reason == ""
    assert restored.published_at == published_at
    article.author.refresh_from_db()
    assert article.author.article_count == 1
    assert client.get(article.get_absolute_url()).status_code == 200
    entry = AuditEntry.objects.get(action="article_restore")
    assert entry.before["status"] == "removed" and entry.after == {"status": "published"}
    notices = Notification.objects.filter(recipient=article.author.user).order_by("pk")
    assert [n.action for n in notices] == ["article_take_down", "article_restore"]
    assert notices[1].reason == "复核后无问题" and not notices[1].appealable
    with pytest.raises(ApplicationError):
        article_restore(article=article, by=restorer, reason="再恢复一次")


def test_approve_and_reject_are_audited_and_the_author_is_told_why():
    editor = people.editor("review_article")
    passed = pending_article()
    article_approve(article=passed, reviewer=editor, note="内容扎实")
    entry = AuditEntry.objects.get(action="article_approve")
    assert entry.before == {"status": "pending"} and entry.after["status"] == "published"
    assert notice_of(passed.author.user).reason == "内容扎实"
    failed = pending_article()
    article_reject(article=failed, reviewer=editor, reasons=["标题夸张或与正文不符"], note="请改")
    entry = AuditEntry.objects.get(action="article_reject")
    assert entry.after["status"] == "rejected" and entry.reason == "标题夸张或与正文不符；请改"
    assert notice_of(failed.author.user).action_label == "驳回文章"
    # Existing pages read ReviewDecision: it is still written.
    assert ReviewDecision.objects.filter(subject="article").count() == 2


def test_reviews_respect_roles_and_channel_scope():
    article = pending_article()
    with pytest.raises(PermissionDeniedError) as refused:
        article_approve(article=article, reviewer=people.creator())
    assert refused.value.message == str(NOT_A_REVIEWER)
    scoped = people.editor("review_article", channels=("finance",))
    with pytest.raises(PermissionDeniedError) as refused:
        article_reject(article=article, reviewer=scoped, reasons=[], note="不行")
    assert refused.value.message == str(OUT_OF_SCOPE)
    # An editor through the group 编辑 reviews too.
    assert article_approve(article=article, reviewer=people.editor()).status == "published"


def test_request_changes_returns_a_draft_with_the_note_for_the_author_to_resubmit():
    creator = CreatorFactory()
    article = pending_article(author=creator)
    editor = people.editor("review_article")
    with pytest.raises(ApplicationError):
        article_request_changes(article=article, by=editor, reason=" ")
    returned = article_request_changes(article=article, by=editor, reason="请补充信源")
    assert returned.status == Article.Status.DRAFT
    assert returned.rejection_reason == "请补充信源"
    entry = AuditEntry.objects.get(action="article_request_changes")
    assert entry.before == {"status": "pending"} and entry.after["status"] == "draft"
    notice = notice_of(creator.user)
    assert notice.reason == "请补充信源" and notice.action_label == "要求修改文章"
    # The author reads the note in the studio, on the list and on the writing page.
    client = Client()
    client.force_login(creator.user)
    for page in (reverse("studio:dashboard"), reverse("studio:edit", args=[article.pk])):
        assert "编辑意见：请补充信源" in client.get(page).content.decode()
    edited = article_update(
        article=returned,
        data=ArticleInput(title="补充了信源", channel=returned.channel, body_source="新正文"),
        by=creator.user,
    )
    resubmitted = article_submit(article=edited, by=creator.user)
    assert resubmitted.status == Article.Status.PENDING and resubmitted.rejection_reason == ""
    with pytest.raises(PermissionDeniedError):
        article_request_changes(article=resubmitted, by=people.reader(), reason="改")


def make_application() -> CreatorApplication:
    return CreatorApplication.objects.create(
        user=UserFactory(),
        account_type="personal",
        display_name="科技早知道",
        field=Channel.objects.get(slug="tech"),
        bio="简介",
        avatar="avatars/a.png",
        contact="邮箱",
        statement="说明",
    )


def test_application_decisions_check_the_role_and_are_audited():
    application = make_application()
    with pytest.raises(PermissionDeniedError):
        application_approve(application=application, reviewer=people.creator())
    scoped = people.editor("review_application", channels=("sports",))
    with pytest.raises(PermissionDeniedError) as refused:
        application_approve(application=application, reviewer=scoped)
    assert refused.value.message == str(OUT_OF_SCOPE)
    editor = people.editor("review_application")
    application_reject(application=application, reviewer=editor, reasons=["name"], note="太泛")
    entry = AuditEntry.objects.get(action="application_reject")
    assert (entry.subject_type, entry.subject_id) == ("application", application.pk)
    assert entry.reason == "名称不符合规范；太泛" and entry.after["status"] == "rejected"
    assert notice_of(application.user).reason == "名称不符合规范；太泛"
    CreatorApplication.objects.filter(pk=application.pk).update(status="pending")
    application_approve(application=application, reviewer=editor)
    assert AuditEntry.objects.filter(action="application_approve").count() == 1


def test_inbox_shows_the_notice_with_its_reason_and_an_appeal_link(client):
    article = live_article(title="一篇被下架的文章")
    article_take_down(article=article, by=people.editor("review_article"), reason="标题党")
    client.force_login(article.author.user)
    html = client.get(reverse("web:inbox")).content.decode()
    entry = AuditEntry.objects.get()
    assert "平台处理通知" in html and "下架文章" in html and "原因：标题党" in html
    assert reverse("appeals:create", args=[entry.pk]) in html
