"""Creator actions (suspend, unsuspend), the word filter on submitted articles, and every
moderation service against every role."""

import pytest

from yaowen.accounts.models import CreatorProfile
from yaowen.core.errors import ApplicationError, PermissionDeniedError
from yaowen.core.tests.factories import ArticleFactory, CommentFactory, CreatorFactory, UserFactory
from yaowen.governance.models import AuditEntry, Notification
from yaowen.moderation.services.actions import (
    ALREADY_SUSPENDED,
    NOT_SUSPENDED,
    article_restore,
    article_take_down,
    comment_hide,
    comments_hide,
    creator_suspend,
    creator_unsuspend,
    reader_ban,
    reader_unban,
)
from yaowen.moderation.tests import people
from yaowen.newsroom.models import Article, Channel
from yaowen.newsroom.services import (
    CREATOR_CANNOT_PUBLISH,
    article_approve,
    article_create,
    article_submit,
)
from yaowen.standing.models import Violation
from yaowen.wordfilter.services import word_create

pytestmark = pytest.mark.django_db


def test_a_suspended_creator_cannot_submit_until_the_suspension_is_lifted():
    creator = CreatorFactory()
    editor = people.editor("review_article")
    suspended = creator_suspend(creator=creator, by=editor, reason="多次发布不实信息")
    assert suspended.status == CreatorProfile.Status.SUSPENDED
    assert CreatorProfile.objects.get(pk=creator.pk).status == "suspended"
    draft = article_create(
        author=creator, channel=Channel.objects.get(slug="tech"), title="标题", body_source="正文"
    )
    with pytest.raises(PermissionDeniedError) as refused:
        article_submit(article=draft, by=creator.user)
    assert refused.value.message == str(CREATOR_CANNOT_PUBLISH)
    with pytest.raises(ApplicationError) as refused:
        creator_suspend(creator=creator, by=editor, reason="再暂停")
    assert refused.value.message == str(ALREADY_SUSPENDED)
    entry = AuditEntry.objects.get(action="creator_suspend")
    assert (entry.subject_type, entry.subject_id) == ("creator", creator.pk)
    assert entry.before == {"status": "active"} and entry.after == {"status": "suspended"}
    assert Violation.objects.get(creator=creator).kind == "suspension"
    notice = Notification.objects.get(recipient=creator.user, kind="moderation")
    assert notice.reason == "多次发布不实信息" and notice.appealable

    creator_unsuspend(creator=creator, by=people.admin(), reason="整改完毕")
    assert CreatorProfile.objects.get(pk=creator.pk).status == "active"
    assert article_submit(article=draft, by=creator.user).status == "pending"
    with pytest.raises(ApplicationError) as refused:
        creator_unsuspend(creator=creator, by=editor, reason="再恢复")
    assert refused.value.message == str(NOT_SUSPENDED)


def test_editors_cannot_suspend_fellow_editors_nor_readers_suspend_anyone():
    colleague = CreatorFactory()
    colleague.user.groups.add(*people.editor().groups.all())
    with pytest.raises(PermissionDeniedError):
        creator_suspend(creator=colleague, by=people.editor("review_article"), reason="x")
    with pytest.raises(PermissionDeniedError):
        creator_suspend(creator=CreatorFactory(), by=people.reader(), reason="x")
    assert not CreatorProfile.objects.filter(status="suspended").exists()


@pytest.fixture
def words():
    admin = people.admin()
    word_create(word="赌博网站", category="gambling", action="block", by=admin)
    word_create(word="内幕消息", category="other", action="review", by=admin)


def submit(creator, title, body):
    draft = article_create(
        author=creator, channel=Channel.objects.get(slug="tech"), title=title, body_source=body
    )
    return article_submit(article=draft, by=creator.user)


@pytest.mark.usefixtures("words")
def test_articles_with_block_words_are_not_submitted():
    creator = CreatorFactory()
    with pytest.raises(ApplicationError) as refused:
        submit(creator, "一个好标题", "欢迎访问赌.博.网.站")
    assert "赌博网站" in refused.value.message
    assert not Article.objects.exclude(status="draft").exists()


@pytest.mark.usefixtures("words")
def test_review_words_send_even_a_trusted_creator_to_review(settings):
    settings.TRUSTED_CREATORS_SKIP_REVIEW = True
    trusted = CreatorFactory(is_trusted=True)
    assert submit(trusted, "平常的标题", "平常的正文").status == "published"
    assert submit(trusted, "独家内幕消息", "平常的正文").status == "pending"


def test_mask_words_reach_readers_masked_while_the_author_keeps_the_source(client):
    word_create(word="傻瓜", category="abuse", action="mask", by=people.admin())
    creator = CreatorFactory()
    article = submit(creator, "别当傻瓜", "谁是傻 瓜？\n\n第二段。")
    assert article.title == "别当＊＊"
    assert article.body_source == "谁是傻 瓜？\n\n第二段。"
    assert "谁是＊ ＊" in article.body_html and "傻" not in article.body_html
    assert "傻" not in article.summary


SERVICES = {
    "take down": lambda by, s: article_take_down(article=s["live"], by=by, reason="r"),
    "restore": lambda by, s: article_restore(article=s["removed"], by=by, reason="r"),
    "approve": lambda by, s: article_approve(article=s["pending"], reviewer=by),
    "hide": lambda by, s: comment_hide(comment=s["comment"], by=by, reason="r"),
    "bulk hide": lambda by, s: comments_hide(comment_ids=[s["comment"].pk], by=by, reason="r"),
    "ban": lambda by, s: reader_ban(user=s["reader"], by=by, reason="r"),
    "unban": lambda by, s: reader_unban(user=s["banned"], by=by, reason="r"),
    "suspend": lambda by, s: creator_suspend(creator=s["creator"], by=by, reason="r"),
    "unsuspend": lambda by, s: creator_unsuspend(creator=s["suspended"], by=by, reason="r"),
}


@pytest.fixture
def subjects():
    admin = people.admin()
    removed, banned, suspended = ArticleFactory(), UserFactory(), CreatorFactory()
    article_take_down(article=removed, by=admin, reason="先下架")
    reader_ban(user=banned, by=admin, reason="先禁言")
    creator_suspend(creator=suspended, by=admin, reason="先暂停")
    return {
        "live": ArticleFactory(),
        "removed": removed,
        "pending": ArticleFactory(status="pending", published_at=None),
        "comment": CommentFactory(),
        "reader": UserFactory(),
        "banned": banned,
        "creator": CreatorFactory(),
        "suspended": suspended,
    }


@pytest.mark.parametrize("service", list(SERVICES))
@pytest.mark.parametrize("role", ["reader", "creator", "editor", "admin"])
def test_every_service_for_every_role(role, service, subjects):
    user = people.of_role(role)
    before = AuditEntry.objects.count()
    if role in ("reader", "creator"):
        with pytest.raises(PermissionDeniedError):
            SERVICES[service](user, subjects)
        assert AuditEntry.objects.count() == before
    else:
        SERVICES[service](user, subjects)
        assert AuditEntry.objects.count() == before + 1
        assert AuditEntry.objects.order_by("-pk").first().actor == user
