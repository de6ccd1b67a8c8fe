"""Moderation actions: take down and restore articles, hide comments, ban readers from
commenting, suspend creators (the last two in services.sanctions, re-exported here).

Each one requires a reason and the editor's role (and channel scope), records an audit
entry with the state before and after, and tells the affected person in their inbox why;
that notice links to the entry, which they may appeal against once (services.appeals).
Article verdicts (approve, reject, request changes) live in newsroom.services.workflow.
"""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from yaowen.accounts.models import User
from yaowen.core.errors import ApplicationError
from yaowen.engagement.models import Comment, Report
from yaowen.engagement.services.comments import comment_reinstate, comments_withdraw
from yaowen.governance.acts import act_record
from yaowen.governance.audit import (
    REASON_REQUIRED,
    REASON_TOO_LONG,
    audit_record,
    reason_clean,
)
from yaowen.governance.models import AuditEntry
from yaowen.governance.roles import Action, require
from yaowen.moderation.services.sanctions import (
    ALREADY_BANNED,
    ALREADY_SUSPENDED,
    NOT_BANNED,
    NOT_ON_STAFF,
    NOT_ON_YOURSELF,
    NOT_SUSPENDED,
    creator_suspend,
    creator_unsuspend,
    reader_ban,
    reader_unban,
)
from yaowen.newsroom.models import Article
from yaowen.newsroom.services.articles import article_remove
from yaowen.newsroom.services.workflow import article_reinstate, article_request_changes
from yaowen.standing.models import VIOLATION_REASON_LENGTH, Violation
from yaowen.standing.services import violation_record

UNKNOWN_CATEGORY = _("请选择有效的下架类别。")
NOT_LIVE = _("只有已发布的文章可以下架。")
NOT_REMOVED = _("这篇文章没有被下架。")
COMMENT_NOT_SHOWN = _("这条跟帖已经不在页面上了。")
COMMENT_NOT_HELD = _("这条跟帖不在待审核状态。")
NO_COMMENTS = _("请至少选择一条跟帖。")

__all__ = [
    "ALREADY_BANNED",
    "ALREADY_SUSPENDED",
    "NOT_BANNED",
    "NOT_ON_STAFF",
    "NOT_ON_YOURSELF",
    "NOT_SUSPENDED",
    "REASON_REQUIRED",
    "REASON_TOO_LONG",
    "article_request_changes",
    "article_restore",
    "article_take_down",
    "comment_hide",
    "comment_release",
    "comments_hide",
    "creator_suspend",
    "creator_unsuspend",
    "reason_clean",
    "reader_ban",
    "reader_unban",
]


# --- articles --------------------------------------------------------------------------


@transaction.atomic
def article_take_down(*, article: Article, by: User, reason: str, category: str = "") -> Article:
    """Take a published article down: its page answers 410 showing the category and
    reason, it leaves every list, and its creator gets a "takedown" violation.

    `category` is one of engagement's Report.Reason codes (empty: no category shown).
    """
    reason = reason_clean(reason)
    if category and category not in Report.Reason.values:
        raise ApplicationError(str(UNKNOWN_CATEGORY))
    require(by, Action.ARTICLE_TAKE_DOWN, channel_id=article.channel_id)
    locked = Article.objects.select_for_update().select_related("author").get(pk=article.pk)
    require(by, Action.ARTICLE_TAKE_DOWN, channel_id=locked.channel_id)
    if locked.status != Article.Status.PUBLISHED:
        raise ApplicationError(str(NOT_LIVE))
    notice = f"{Report.Reason(category).label}：{reason}" if category else reason
    removed = article_remove(article=locked, by=by, reason=notice)
    violation_record(
        creator=locked.author,
        kind=Violation.Kind.TAKEDOWN,
        by=by,
        reason=reason[:VIOLATION_REASON_LENGTH],  # the audit entry keeps all of it
        article=removed,
    )
    act_record(
        actor=by,
        action=Action.ARTICLE_TAKE_DOWN,
        subject_type="article",
        subject_id=removed.pk,
        reason=reason,
        before={"status": Article.Status.PUBLISHED},
        after={
            "status": removed.status,
            "category": category,
            "removed_reason": removed.removed_reason,
        },
        tell=locked.author.user_id,
        article=removed,
    )
    return removed


@transaction.atomic
def article_restore(*, article: Article, by: User, reason: str, notify: bool = True) -> Article:
    """Put a taken-down article back where it was (live, or in review if it never went
    live). `notify=False` when an appeal decision tells the author instead."""
    reason = reason_clean(reason)
    require(by, Action.ARTICLE_RESTORE, channel_id=article.channel_id)
    locked = Article.objects.select_for_update().select_related("author").get(pk=article.pk)
    if locked.status != Article.Status.REMOVED:
        raise ApplicationError(str(NOT_REMOVED))
    before = {"status": locked.status, "removed_reason": locked.removed_reason}
    restored = article_reinstate(article=locked)
    act_record(
        actor=by,
        action=Action.ARTICLE_RESTORE,
        subject_type="article",
        subject_id=restored.pk,
        reason=reason,
        before=before,
        after={"status": restored.status},
        tell=locked.author.user_id if notify else None,
        article=restored,
    )
    return restored


# --- comments --------------------------------------------------------------------------


def _hide(comments: list[Comment], *, by: User, reason: str) -> list[AuditEntry]:
    """Hide visible or held comments the editor may act on: one entry and notice each."""
    for comment in comments:
        require(by, Action.COMMENT_HIDE, channel_id=comment.article.channel_id)
    articles = {comment.pk: comment.article for comment in comments}
    entries = []
    for row in comments_withdraw(comment_ids=list(articles)):
        entry = act_record(
            actor=by,
            action=Action.COMMENT_HIDE,
            subject_type="comment",
            subject_id=row.pk,
            reason=reason,
            before={"status": row.previous_status},
            after={"status": row.status},
            tell=row.user_id,
            article=articles[row.pk],
            comment=row,
        )
        entries.append(entry)
    return entries


@transaction.atomic
def comment_hide(*, comment: Comment, by: User, reason: str) -> Comment:
    """Hide a comment from readers (kept for the record and an appeal); its replies stay."""
    reason = reason_clean(reason)
    current = Comment.objects.select_related("article").get(pk=comment.pk)
    if not _hide([current], by=by, reason=reason):
        raise ApplicationError(str(COMMENT_NOT_SHOWN))
    comment.status = Comment.Status.HIDDEN
    return comment


@transaction.atomic
def comments_hide(*, comment_ids: list[int], by: User, reason: str) -> int:
    """Hide many comments with one reason (each audited and notified on its own);
    returns how many were hidden. Nothing is hidden if any is outside the editor's scope."""
    reason = reason_clean(reason)
    ids = {int(pk) for pk in comment_ids}
    if not ids:
        raise ApplicationError(str(NO_COMMENTS))
    comments = list(Comment.objects.select_related("article").filter(pk__in=ids))
    return len(_hide(comments, by=by, reason=reason))


@transaction.atomic
def comment_release(*, comment: Comment, by: User, reason: str = "") -> Comment:
    """Show a comment the word filter held for review; audited, not notified (the reader
    only sees it appear)."""
    current = Comment.objects.select_related("article").get(pk=comment.pk)
    require(by, Action.COMMENT_HIDE, channel_id=current.article.channel_id)
    if current.status != Comment.Status.PENDING or not comment_reinstate(comment=current):
        raise ApplicationError(str(COMMENT_NOT_HELD))
    audit_record(
        actor=by,
        action="comment_release",
        subject_type="comment",
        subject_id=current.pk,
        reason=(reason or "").strip(),
        before={"status": Comment.Status.PENDING},
        after={"status": Comment.Status.VISIBLE},
    )
    return current
