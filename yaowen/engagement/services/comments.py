"""Comments (跟帖): posting, replying, deleting and liking, with exact counters.

`Article.comment_count` is the number of visible comments (top-level and replies) and
`Comment.like_count` the number of `CommentLike` rows; both move with `F()` updates in the
transaction that writes the row, so concurrent requests cannot make them drift.

A reader banned from commenting (moderation.CommentBan) is refused. The text is screened
against the sensitive-word lists: a "block" word refuses it, "mask" words are stored as ＊,
and a "review" word holds the comment (status pending: not shown, not counted, nobody
notified) until an editor releases or hides it in the moderation workspace. Withdrawing and
reinstating comments here does not check roles or write the audit log: the moderation
actions (yaowen.moderation.services.actions) do, and call these.
"""

import re
from collections import Counter
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils.translation import gettext_lazy as _

from yaowen.accounts.models import User
from yaowen.core import ratelimit
from yaowen.core.errors import ApplicationError, NotFoundError, PermissionDeniedError
from yaowen.core.pagecache import pages_invalidate_on_commit
from yaowen.engagement.models import Comment, CommentBan, CommentLike
from yaowen.governance.inbox import notify
from yaowen.governance.models import Notification
from yaowen.governance.roles import Action, can
from yaowen.jobs.events import announce
from yaowen.newsroom.models import Article
from yaowen.newsroom.services.pages import comment_pages
from yaowen.wordfilter.services import screen_text, word_blocked_message

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
COMMENT_HELD = _("跟帖已提交，审核通过后显示。")
COMMENT_BANNED = _("你已被禁止跟帖。如有异议，可在消息中心对这项处理提出申诉。")

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
    if ratelimit.hits(_rate_key(user)) >= RATE_LIMIT:  # spent: refuse before any work
        raise RateLimitedError(str(COMMENT_RATE_LIMITED))
    text = comment_body_clean(body)
    if CommentBan.objects.filter(user_id=user.pk).exists():
        raise PermissionDeniedError(str(COMMENT_BANNED))
    screening = screen_text(text)
    if screening.action == "block":
        raise ApplicationError(word_blocked_message(screening.words("block")))
    text = screening.masked
    held = screening.action == "review"
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
        comment_count=F("comment_count") + (0 if held else 1)
    )
    if not opened:
        raise ApplicationError(str(COMMENTS_CLOSED))
    comment = Comment.objects.create(
        article=article,
        user=user,
        parent=top,
        reply_to_id=answered,
        body=text,
        status=Comment.Status.PENDING if held else Comment.Status.VISIBLE,
    )
    if not held:  # a held one is shown, counted and announced when an editor releases it
        pages_invalidate_on_commit(comment_pages(article.pk))
        _announce_posted(comment)
    # Counted last, once every check and write has passed: a comment refused for any reason
    # (its text, a ban, a closed article, a failed write) uses none of the allowance. The
    # counter is atomic, so concurrent posts cannot slip past it; the one over the limit
    # raises and so rolls back its row, count and announcement.
    if ratelimit.hit(_rate_key(user), window=RATE_WINDOW_SECONDS) > RATE_LIMIT:
        raise RateLimitedError(str(COMMENT_RATE_LIMITED))
    return comment


def _announce_posted(comment: Comment) -> None:
    """A visible comment: its notice and the live hot lists follow in the background. The
    stored hot score counts commenters, not comments; live, a reader's further comments
    within the window do not count (recommend.hotset)."""
    announce(
        "comment.created",
        comment_id=comment.pk,
        article_id=comment.article_id,
        kind="comment",
        reader=f"u:{comment.user_id}",
    )


def comment_notify(*, comment_id: int) -> None:
    """Tell the article's author of a new comment, or the person answered of a reply; once
    per comment, however often asked."""
    comment = Comment.objects.select_related("user", "article").filter(pk=comment_id).first()
    if comment is None or comment.status != Comment.Status.VISIBLE:
        return
    if Notification.objects.filter(comment_id=comment.pk, actor_id=comment.user_id).exists():
        return
    _notify_posted(comment)


def _notify_posted(comment: Comment, *, top_user_id: int | None = None) -> None:
    """Tell the article's author of a new comment, or the person answered of a reply."""
    if comment.parent_id is None:
        recipient = Article.objects.values_list("author__user_id", flat=True).get(
            pk=comment.article_id
        )
        kind = Notification.Kind.COMMENT
    else:
        if comment.reply_to_id is None and top_user_id is None:
            top_user_id = Comment.objects.values_list("user_id", flat=True).get(
                pk=comment.parent_id
            )
        recipient, kind = comment.reply_to_id or top_user_id, Notification.Kind.REPLY
    notify(
        recipient=recipient,
        kind=kind,
        actor=comment.user,
        article=comment.article,
        comment=comment,
    )


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
    was not visible. Replies stay visible; the article's count drops by one. Not audited:
    the workspace uses moderation.services.actions.comment_hide, which needs a reason."""
    if not (
        can(by, Action.COMMENT_HIDE, channel_id=_channel_of(comment))
        or by.has_perm("engagement.change_comment")
    ):
        raise PermissionDeniedError(str(NOT_A_COMMENT_MODERATOR))
    return _withdraw(comment, Comment.Status.HIDDEN)


def _channel_of(comment: Comment) -> int:
    return Article.objects.values_list("channel_id", flat=True).get(pk=comment.article_id)


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


def comments_withdraw(
    *, comment_ids: Iterable[int], status: str = Comment.Status.HIDDEN
) -> list[Comment]:
    """Take visible (or held) comments off their pages at once; returns those that moved,
    each with `previous_status`. Articles' counts drop by the visible ones among them.

    Must run inside a transaction: the rows are locked, so a concurrent delete or hide of
    the same comment waits and then finds it already gone.
    """
    rows = list(
        Comment.objects.select_for_update()
        .filter(
            pk__in=set(comment_ids),
            status__in=[Comment.Status.VISIBLE, Comment.Status.PENDING],
        )
        .order_by("pk")
    )
    if not rows:
        return []
    Comment.objects.filter(pk__in=[row.pk for row in rows]).update(status=status)
    visible = Counter(row.article_id for row in rows if row.status == Comment.Status.VISIBLE)
    for article_id, n in visible.items():
        Article.objects.filter(pk=article_id).update(
            comment_count=Greatest(F("comment_count") - n, 0)
        )
    for row in rows:
        row.previous_status, row.status = row.status, status
    for article_id in {row.article_id for row in rows}:
        pages_invalidate_on_commit(comment_pages(article_id))
    return rows


def comment_reinstate(*, comment: Comment) -> bool:
    """Show a hidden or held comment again (an appeal granted, or a held comment
    released); the article's count rises by one. Returns False if it was neither.

    A held comment was never announced: its article's author (or the person it answers)
    is notified now, as on posting.
    """
    previous = (
        Comment.objects.select_for_update()
        .filter(pk=comment.pk, status__in=[Comment.Status.HIDDEN, Comment.Status.PENDING])
        .values_list("status", flat=True)
        .first()
    )
    if previous is None:
        return False
    Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.VISIBLE)
    Article.objects.filter(pk=comment.article_id).update(comment_count=F("comment_count") + 1)
    comment.status = Comment.Status.VISIBLE
    pages_invalidate_on_commit(comment_pages(comment.article_id))
    if previous == Comment.Status.PENDING:
        _announce_posted(comment)
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
