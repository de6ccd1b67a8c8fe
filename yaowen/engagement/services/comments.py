"""Comments (跟帖): posting, replying, deleting and liking, with exact counters.

`Article.comment_count` is the number of visible comments (top-level and replies) and
`Comment.like_count` the number of `CommentLike` rows; both move with `F()` updates in the
transaction that writes the row, so concurrent requests cannot make them drift.
"""

import re

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from yaowen.accounts.models import User
from yaowen.core import ratelimit
from yaowen.core.errors import ApplicationError, NotFoundError, PermissionDeniedError
from yaowen.core.pagecache import pages_invalidate_on_commit
from yaowen.engagement.models import Comment, CommentLike, Notification
from yaowen.engagement.services.inbox import notify
from yaowen.newsroom.models import Article
from yaowen.newsroom.services.pages import comment_pages
from yaowen.recommend.hotset import hot_event_on_commit

BODY_MAX_LENGTH = 2000
RATE_LIMIT = 5  # comments per reader ...
RATE_WINDOW_SECONDS = 60  # ... in this window

COMMENT_EMPTY = _("跟帖内容不能为空。")
COMMENT_TOO_LONG = _("跟帖最多 2000 字，请删减后再发。")
COMMENT_RATE_LIMITED = _("你发得太快了，请稍后再试。")
COMMENTS_CLOSED = _("这篇文章已下架或尚未发布，不能跟帖。")
PARENT_GONE = _("要回复的跟帖不存在或已删除。")
COMMENT_GONE = _("这条跟帖不存在或已删除。")
NOT_YOUR_COMMENT = _("你只能删除自己的跟帖。")
NOT_A_COMMENT_MODERATOR = _("你没有隐藏跟帖的权限。")

_BLANK_LINES = re.compile(r"\n{3,}")


class RateLimitedError(ApplicationError):
    """The reader is posting faster than the platform allows."""


def comment_body_clean(body: str) -> str:
    """The body as it is stored: newlines normalised, at most one blank line in a row, trimmed.

    Raises ApplicationError when it is empty or longer than BODY_MAX_LENGTH characters.
    """
    text = (body or "").replace("\r\n", "\n").replace("\r", "\n")
    text = _BLANK_LINES.sub("\n\n", text).strip()
    if not text:
        raise ApplicationError(str(COMMENT_EMPTY))
    if len(text) > BODY_MAX_LENGTH:
        raise ApplicationError(str(COMMENT_TOO_LONG))
    return text


def _rate_key(user: User) -> str:
    return f"comment:user:{user.pk}"


@transaction.atomic
def comment_create(
    *, user: User, article: Article, body: str, parent: Comment | None = None
) -> Comment:
    """Post a comment, or a reply when `parent` is given; the article's count moves with it.

    A reply to a reply hangs under the same top-level comment and names whom it answers in
    `reply_to`. The article's author (top-level) or the person answered (reply) is notified.
    """
    text = comment_body_clean(body)
    top, answered = None, None
    if parent is not None:
        parent = (
            Comment.objects.select_related("parent")
            .filter(pk=parent.pk, article_id=article.pk, status=Comment.Status.VISIBLE)
            .first()
        )
        if parent is None:
            raise NotFoundError(str(PARENT_GONE))
        top = parent if parent.parent_id is None else parent.parent
        answered = parent.user_id if parent.parent_id is not None else None
    # The status check and the count move in one statement: a takedown committed before
    # this point refuses the comment, and one after it waits for this transaction.
    opened = Article.objects.filter(pk=article.pk, status=Article.Status.PUBLISHED).update(
        comment_count=F("comment_count") + 1
    )
    if not opened:
        raise ApplicationError(str(COMMENTS_CLOSED))
    # Counted after every other check, so refused input does not use up the reader's
    # allowance (raising rolls the count above back); the counter is atomic, so
    # concurrent posts cannot slip past it.
    if ratelimit.hit(_rate_key(user), window=RATE_WINDOW_SECONDS) > RATE_LIMIT:
        raise RateLimitedError(str(COMMENT_RATE_LIMITED))
    comment = Comment.objects.create(
        article=article, user=user, parent=top, reply_to_id=answered, body=text
    )
    # The stored hot score counts commenters, not comments; live, a reader's further
    # comments within the window do not count (recommend.hotset).
    hot_event_on_commit(article=article, kind="comment", reader=f"u:{user.pk}")
    pages_invalidate_on_commit(comment_pages(article.pk))
    if top is None:
        author_id = Article.objects.values_list("author__user_id", flat=True).get(pk=article.pk)
        notify(
            recipient=author_id,
            kind=Notification.Kind.COMMENT,
            actor=user,
            article=article,
            comment=comment,
        )
    else:
        notify(
            recipient=answered or top.user_id,
            kind=Notification.Kind.REPLY,
            actor=user,
            article=article,
            comment=comment,
        )
    return comment


def comment_can_delete(*, comment: Comment, user: User) -> bool:
    return user.is_authenticated and (
        comment.user_id == user.pk or user.has_perm("engagement.change_comment")
    )


@transaction.atomic
def comment_delete(*, comment: Comment, by: User) -> bool:
    """Delete a comment (its author, or staff allowed to change comments); returns False if
    it was already gone. Replies stay visible; the article's count drops by one."""
    if not comment_can_delete(comment=comment, user=by):
        raise PermissionDeniedError(str(NOT_YOUR_COMMENT))
    return _withdraw(comment, Comment.Status.DELETED)


@transaction.atomic
def comment_hide(*, comment: Comment, by: User) -> bool:
    """A moderator hides a comment from readers (kept for the record); returns False if it
    was not visible. Replies stay visible; the article's count drops by one."""
    if not by.has_perm("engagement.change_comment"):
        raise PermissionDeniedError(str(NOT_A_COMMENT_MODERATOR))
    return _withdraw(comment, Comment.Status.HIDDEN)


def _withdraw(comment: Comment, status: str) -> bool:
    """Take a visible comment off its article's page, once: the status moves only from
    visible, so a concurrent delete and hide cannot both lower the count."""
    withdrawn = Comment.objects.filter(pk=comment.pk, status=Comment.Status.VISIBLE).update(
        status=status
    )
    if not withdrawn:
        return False
    Article.objects.filter(pk=comment.article_id, comment_count__gt=0).update(
        comment_count=F("comment_count") - 1
    )
    comment.status = status
    pages_invalidate_on_commit(comment_pages(comment.article_id))
    return True


def _likeable(comment: Comment) -> None:
    if not Comment.objects.filter(
        pk=comment.pk,
        status=Comment.Status.VISIBLE,
        article__status=Article.Status.PUBLISHED,
    ).exists():
        raise NotFoundError(str(COMMENT_GONE))


def _like_count(comment: Comment) -> int:
    return Comment.objects.values_list("like_count", flat=True).get(pk=comment.pk)


@transaction.atomic
def comment_like_create(*, comment: Comment, user: User) -> tuple[bool, int]:
    """Like a comment once; returns (whether this call added the like, the new count)."""
    _likeable(comment)
    try:
        with transaction.atomic():
            CommentLike.objects.create(comment_id=comment.pk, user=user)
    except IntegrityError:  # already liked, maybe by a concurrent request of the same reader
        return False, _like_count(comment)
    Comment.objects.filter(pk=comment.pk).update(like_count=F("like_count") + 1)
    return True, _like_count(comment)


@transaction.atomic
def comment_like_delete(*, comment: Comment, user: User) -> tuple[bool, int]:
    """Take a like back; returns (whether this call removed a like, the new count)."""
    deleted, _rows = CommentLike.objects.filter(comment_id=comment.pk, user=user).delete()
    if deleted:
        Comment.objects.filter(pk=comment.pk, like_count__gt=0).update(
            like_count=F("like_count") - 1
        )
    return bool(deleted), _like_count(comment)


@transaction.atomic
def comment_like_toggle(*, comment: Comment, user: User) -> tuple[bool, int]:
    """Like a comment, or undo the like if the reader already gave one. Returns (liked, count)."""
    removed, count = comment_like_delete(comment=comment, user=user)
    if removed:
        return False, count
    _added, count = comment_like_create(comment=comment, user=user)
    return True, count
