"""Comment actions: hide one or many, ban a reader from commenting (optionally hiding
their earlier comments), and the word filter on new comments."""

import pytest
from django.urls import reverse

from yaowen.core.errors import ApplicationError, PermissionDeniedError
from yaowen.core.tests.factories import ArticleFactory, UserFactory
from yaowen.engagement.models import Comment, CommentBan
from yaowen.engagement.services.comments import COMMENT_BANNED, COMMENT_HELD, comment_create
from yaowen.governance.models import AuditEntry, Notification
from yaowen.governance.roles import OUT_OF_SCOPE
from yaowen.jobs.delivery import deliver_pending
from yaowen.moderation.services.actions import (
    ALREADY_BANNED,
    COMMENT_NOT_SHOWN,
    NO_COMMENTS,
    NOT_ON_STAFF,
    NOT_ON_YOURSELF,
    comment_hide,
    comment_release,
    comments_hide,
    reader_ban,
    reader_unban,
)
from yaowen.moderation.tests import people
from yaowen.newsroom.models import Article, Channel
from yaowen.wordfilter.services import word_create

pytestmark = pytest.mark.django_db


def count_of(article: Article) -> int:
    return Article.objects.values_list("comment_count", flat=True).get(pk=article.pk)


def test_hiding_a_comment_uncounts_it_audits_it_and_tells_its_author():
    article = ArticleFactory()
    writer = UserFactory()
    comment = comment_create(user=writer, article=article, body="人身攻击的话")
    assert count_of(article) == 1
    editor = people.editor("review_report")
    comment_hide(comment=comment, by=editor, reason="辱骂他人")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.HIDDEN and count_of(article) == 0
    entry = AuditEntry.objects.get(action="comment_hide")
    assert (entry.subject_type, entry.subject_id, entry.actor) == ("comment", comment.pk, editor)
    assert entry.before == {"status": "visible"} and entry.after == {"status": "hidden"}
    notice = Notification.objects.get(recipient=writer, kind="moderation")
    assert (notice.comment, notice.article, notice.reason) == (comment, article, "辱骂他人")
    assert notice.appealable
    with pytest.raises(ApplicationError) as refused:
        comment_hide(comment=comment, by=editor, reason="再藏一次")
    assert refused.value.message == str(COMMENT_NOT_SHOWN)


def test_hiding_needs_a_reason_and_an_editor_of_that_channel():
    comment = comment_create(user=UserFactory(), article=ArticleFactory(), body="一条跟帖")
    with pytest.raises(ApplicationError):
        comment_hide(comment=comment, by=people.editor("review_report"), reason="")
    with pytest.raises(PermissionDeniedError):
        comment_hide(comment=comment, by=people.reader(), reason="不喜欢")
    scoped = people.editor("review_report", channels=("sports",))
    with pytest.raises(PermissionDeniedError) as refused:
        comment_hide(comment=comment, by=scoped, reason="违规")
    assert refused.value.message == str(OUT_OF_SCOPE)
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.VISIBLE


def test_bulk_hide_hides_each_with_its_own_entry_and_notice():
    first, second = ArticleFactory(), ArticleFactory()
    comments = [
        comment_create(user=UserFactory(), article=article, body=f"广告{n}")
        for n, article in enumerate([first, first, second])
    ]
    comment_hide(comment=comments[0], by=people.admin(), reason="广告")
    hidden = comments_hide(
        comment_ids=[c.pk for c in comments], by=people.editor("review_report"), reason="广告"
    )
    assert hidden == 2  # the first was already hidden
    assert count_of(first) == 0 and count_of(second) == 0
    assert AuditEntry.objects.filter(action="comment_hide").count() == 3
    assert Notification.objects.filter(kind="moderation").count() == 3
    with pytest.raises(ApplicationError) as refused:
        comments_hide(comment_ids=[], by=people.admin(), reason="广告")
    assert refused.value.message == str(NO_COMMENTS)


def test_bulk_hide_outside_the_editor_channels_hides_nothing():
    tech = comment_create(user=UserFactory(), article=ArticleFactory(), body="甲")
    sports_article = ArticleFactory(channel=Channel.objects.get(slug="sports"))
    sports = comment_create(user=UserFactory(), article=sports_article, body="乙")
    scoped = people.editor("review_report", channels=("sports",))
    with pytest.raises(PermissionDeniedError):
        comments_hide(comment_ids=[tech.pk, sports.pk], by=scoped, reason="违规")
    assert Comment.objects.filter(status="visible").count() == 2


def test_a_banned_reader_cannot_comment_until_unbanned():
    article = ArticleFactory()
    troll = UserFactory()
    editor = people.editor("review_report")
    reader_ban(user=troll, by=editor, reason="多次辱骂")
    with pytest.raises(PermissionDeniedError) as refused:
        comment_create(user=troll, article=article, body="我又来了")
    assert refused.value.message == str(COMMENT_BANNED)
    with pytest.raises(ApplicationError) as refused:
        reader_ban(user=troll, by=editor, reason="再禁一次")
    assert refused.value.message == str(ALREADY_BANNED)
    entry = AuditEntry.objects.get(action="reader_ban")
    assert entry.after == {"banned": True, "hidden_comment_ids": []}
    notice = Notification.objects.get(recipient=troll, kind="moderation")
    assert notice.reason == "多次辱骂" and notice.appealable
    reader_unban(user=troll, by=people.admin(), reason="已道歉")
    assert not CommentBan.objects.exists()
    assert comment_create(user=troll, article=article, body="我会注意").status == "visible"
    assert AuditEntry.objects.filter(action="reader_unban").count() == 1


def test_a_ban_can_hide_the_readers_earlier_comments():
    article = ArticleFactory()
    troll, bystander = UserFactory(), UserFactory()
    mine = [comment_create(user=troll, article=article, body=f"第{n}条") for n in range(3)]
    theirs = comment_create(user=bystander, article=article, body="正常发言")
    assert count_of(article) == 4
    reader_ban(user=troll, by=people.editor("review_report"), reason="刷屏", hide_earlier=True)
    assert set(Comment.objects.filter(status="hidden").values_list("pk", flat=True)) == {
        c.pk for c in mine
    }
    assert Comment.objects.get(pk=theirs.pk).status == "visible" and count_of(article) == 1
    entry = AuditEntry.objects.get(action="reader_ban")
    assert entry.after["hidden_comment_ids"] == sorted(c.pk for c in mine)


def test_nobody_bans_themselves_and_only_admins_ban_editors():
    editor = people.editor("review_report")
    with pytest.raises(PermissionDeniedError) as refused:
        reader_ban(user=editor, by=editor, reason="测试")
    assert refused.value.message == str(NOT_ON_YOURSELF)
    with pytest.raises(PermissionDeniedError) as refused:
        reader_ban(user=people.editor(), by=editor, reason="同事")
    assert refused.value.message == str(NOT_ON_STAFF)
    reader_ban(user=editor, by=people.admin(), reason="管理员可以")
    with pytest.raises(PermissionDeniedError):
        reader_ban(user=UserFactory(), by=people.creator(), reason="不喜欢")


@pytest.fixture
def words():
    admin = people.admin()
    for word, action in [("赌博网站", "block"), ("代开发票", "review"), ("傻瓜", "mask")]:
        word_create(word=word, category="other", action=action, by=admin)


@pytest.mark.usefixtures("words")
def test_comments_with_block_words_are_refused_naming_them():
    article = ArticleFactory()
    with pytest.raises(ApplicationError) as refused:
        comment_create(user=UserFactory(), article=article, body="推荐一个赌 博网站")
    assert "赌博网站" in refused.value.message
    assert not Comment.objects.exists() and count_of(article) == 0


@pytest.mark.usefixtures("words")
def test_mask_words_are_stored_masked():
    comment = comment_create(user=UserFactory(), article=ArticleFactory(), body="你这个傻瓜")
    assert Comment.objects.get(pk=comment.pk).body == "你这个＊＊"
    assert comment.status == "visible"


@pytest.mark.usefixtures("words")
def test_review_words_hold_the_comment_until_an_editor_releases_it():
    article = ArticleFactory()
    comment = comment_create(user=UserFactory(), article=article, body="专业代开发票")
    assert comment.status == Comment.Status.PENDING and count_of(article) == 0
    author = article.author.user
    assert not Notification.objects.filter(recipient=author).exists()
    with pytest.raises(PermissionDeniedError):
        comment_release(comment=comment, by=people.reader())
    comment_release(comment=comment, by=people.editor("review_report"), reason="语境无害")
    deliver_pending()
    assert Comment.objects.get(pk=comment.pk).status == "visible" and count_of(article) == 1
    assert Notification.objects.get(recipient=author).kind == "comment"
    assert AuditEntry.objects.get(action="comment_release").reason == "语境无害"
    with pytest.raises(ApplicationError):
        comment_release(comment=comment, by=people.admin())


@pytest.mark.usefixtures("words")
def test_a_held_comment_can_be_hidden_without_touching_the_count():
    article = ArticleFactory()
    comment_create(user=UserFactory(), article=article, body="正常")
    held = comment_create(user=UserFactory(), article=article, body="代开发票")
    comment_hide(comment=held, by=people.admin(), reason="广告")
    assert Comment.objects.get(pk=held.pk).status == "hidden" and count_of(article) == 1
    assert AuditEntry.objects.get(action="comment_hide").before == {"status": "pending"}


@pytest.mark.usefixtures("words")
def test_the_comment_form_says_a_held_comment_waits_for_review(client):
    article = ArticleFactory()
    client.force_login(UserFactory())
    url = reverse("engagement:comment_create", args=[article.pk])
    answer = client.post(url, {"body": "专业代开发票"}, HTTP_ACCEPT="application/json")
    assert answer.status_code == 200
    assert answer.json() == {"held": True, "message": str(COMMENT_HELD)}
    page = client.post(url, {"body": "还是代开发票"}, follow=True)
    assert str(COMMENT_HELD) in page.content.decode()
    assert "还是代开发票" not in page.content.decode() and count_of(article) == 0


def test_only_editors_clear_flags_and_each_clearing_is_audited():
    from yaowen.moderation.services.reports import FLAG_CLEAR, flags_clear

    comment = comment_create(user=UserFactory(), article=ArticleFactory(), body="普通跟帖")
    with pytest.raises(PermissionDeniedError):
        flags_clear(
            subject_type="comment",
            subject_id=comment.pk,
            by=people.reader(),
            reason="x",
            codes={"w"},
        )
    flags_clear(
        subject_type="comment",
        subject_id=comment.pk,
        by=people.editor("review_report"),
        reason="语境无害",
        codes={"words"},
    )
    entry = AuditEntry.objects.get(action=FLAG_CLEAR)
    assert entry.before == {"flags": ["words"]} and entry.reason == "语境无害"
