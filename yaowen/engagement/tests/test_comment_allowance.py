"""A reader's 5 comments a minute are used only by comments that were posted: one refused for
any reason (its text, a blocked word, a closed article, a ban, a failed write) costs none."""

import pytest
from django.db import DatabaseError

from yaowen.core.errors import ApplicationError
from yaowen.core.tests.factories import ArticleFactory, UserFactory
from yaowen.engagement.models import Comment, CommentBan
from yaowen.engagement.services import comments
from yaowen.engagement.services.comments import (
    BODY_MAX_LENGTH,
    RATE_LIMIT,
    RateLimitedError,
    comment_create,
)
from yaowen.newsroom.models import Article
from yaowen.wordfilter.services import word_create

pytestmark = pytest.mark.django_db


def too_long(reader, article, monkeypatch):
    return {"user": reader, "article": article, "body": "长" * (BODY_MAX_LENGTH + 1)}


def blocked_word(reader, article, monkeypatch):
    word_create(
        word="博彩网址", category="gambling", action="block", by=UserFactory(is_superuser=True)
    )
    return {"user": reader, "article": article, "body": "快来看博彩网址"}


def closed_article(reader, article, monkeypatch):
    return {
        "user": reader,
        "article": ArticleFactory(status=Article.Status.REMOVED),
        "body": "下架了还能发吗",
    }


def banned(reader, article, monkeypatch):
    CommentBan.objects.create(user=reader, by=UserFactory(), reason="刷屏")  # lifted below
    return {"user": reader, "article": article, "body": "被禁言了"}


def failed_write(reader, article, monkeypatch):
    def refuse(**kwargs):
        raise DatabaseError("could not write the comment")

    monkeypatch.setattr(Comment.objects, "create", refuse)
    return {"user": reader, "article": article, "body": "数据库出错了"}


def failed_announcement(reader, article, monkeypatch):
    def refuse(event, **payload):
        raise DatabaseError("could not write the outbox row")

    monkeypatch.setattr(comments, "announce", refuse)
    return {"user": reader, "article": article, "body": "通知写不进去"}


@pytest.mark.parametrize(
    "refusal",
    [too_long, blocked_word, closed_article, banned, failed_write, failed_announcement],
)
def test_a_refused_comment_uses_none_of_the_allowance(refusal, monkeypatch):
    article, reader = ArticleFactory(), UserFactory()
    with monkeypatch.context() as patched:
        attempt = refusal(reader, article, patched)
        for _ in range(RATE_LIMIT + 2):
            with pytest.raises((ApplicationError, DatabaseError)) as refused:
                comment_create(**attempt)
            assert not isinstance(refused.value, RateLimitedError)
    CommentBan.objects.filter(user=reader).delete()
    # Every one of the five is still there, and only five.
    for n in range(RATE_LIMIT):
        comment_create(user=reader, article=article, body=f"第{n + 1}条")
    with pytest.raises(RateLimitedError):
        comment_create(user=reader, article=article, body="第六条")
    assert Comment.objects.filter(user=reader).count() == RATE_LIMIT
    assert Article.objects.get(pk=article.pk).comment_count == RATE_LIMIT


def test_held_comments_use_the_allowance():
    """A comment held for review was posted (an editor will read it), so it counts: otherwise
    a review word would let a script fill the review queue."""
    word_create(
        word="待审词语", category="other", action="review", by=UserFactory(is_superuser=True)
    )
    article, reader = ArticleFactory(), UserFactory()
    for _ in range(RATE_LIMIT):
        comment_create(user=reader, article=article, body="含有待审词语")
    with pytest.raises(RateLimitedError):
        comment_create(user=reader, article=article, body="正常内容")
