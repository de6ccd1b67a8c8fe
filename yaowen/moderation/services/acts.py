"""The acts an editor can take from an article's or a comment's decision page: which ones
the item's state and the editor's permissions allow, and doing one.

Both pages share the two acts any flagged or reported item has (dismissing its reports,
clearing its automatic flags); each act on the item itself goes to its own service, and an
act that deals with the item closes its readers' reports.
"""

from django.db import transaction
from django.db.models import Q

from yaowen.accounts.models import CreatorProfile
from yaowen.engagement.models import Comment, Report
from yaowen.governance.roles import Action
from yaowen.moderation.selectors import ItemFlags
from yaowen.moderation.services.actions import (
    article_restore,
    article_take_down,
    comment_hide,
    comment_release,
)
from yaowen.moderation.services.reports import flags_clear, reports_close, reports_dismiss
from yaowen.moderation.services.sanctions import (
    creator_suspend,
    creator_unsuspend,
    reader_ban,
    reader_unban,
)
from yaowen.newsroom.models import Article
from yaowen.newsroom.services.workflow import article_request_changes
from yaowen.standing.services import original_claim_reject

# The permission each act needs, checked in the item's channel.
ARTICLE_ACTS = {
    "request_changes": Action.ARTICLE_REVIEW,
    "take_down": Action.ARTICLE_TAKE_DOWN,
    "restore": Action.ARTICLE_RESTORE,
    "false_original": Action.ORIGINAL_CLAIM_REVIEW,
    "suspend": Action.CREATOR_SUSPEND,
    "unsuspend": Action.CREATOR_SUSPEND,
    "dismiss_reports": Action.REPORT_REVIEW,
    "clear_flags": Action.ARTICLE_REVIEW,
}
COMMENT_ACTS = {
    "release": Action.COMMENT_HIDE,
    "hide": Action.COMMENT_HIDE,
    "ban": Action.READER_BAN,
    "unban": Action.READER_BAN,
    "dismiss_reports": Action.REPORT_REVIEW,
    "clear_flags": Action.COMMENT_HIDE,
}


def article_acts_available(
    article: Article, allowed: set[str], has_reports: bool, flags: ItemFlags
) -> list[str]:
    """The acts that make sense for the article's state and that the editor may do."""
    acts = []
    if article.status == Article.Status.PENDING:
        acts.append("request_changes")
    if article.status == Article.Status.PUBLISHED:
        acts.append("take_down")
    if article.status == Article.Status.REMOVED:
        acts.append("restore")
    if article.is_original and article.status != Article.Status.REMOVED:
        acts.append("false_original")
    suspended = article.author.status == CreatorProfile.Status.SUSPENDED
    acts.append("unsuspend" if suspended else "suspend")
    acts += _shared_acts(has_reports, article.status == Article.Status.PUBLISHED, flags)
    return [act for act in acts if ARTICLE_ACTS[act] in allowed]


def comment_acts_available(
    comment: Comment, allowed: set[str], banned: bool, has_reports: bool, flags: ItemFlags
) -> list[str]:
    """The acts that make sense for the comment's state and that the editor may do."""
    acts = ["release"] if comment.status == Comment.Status.PENDING else []
    if comment.status in (Comment.Status.VISIBLE, Comment.Status.PENDING):
        acts.append("hide")
    acts.append("unban" if banned else "ban")
    acts += _shared_acts(has_reports, comment.status == Comment.Status.VISIBLE, flags)
    return [act for act in acts if COMMENT_ACTS[act] in allowed]


def _shared_acts(has_reports: bool, public: bool, flags: ItemFlags) -> list[str]:
    return (["dismiss_reports"] if has_reports else []) + (
        ["clear_flags"] if public and flags.machine else []
    )


@transaction.atomic
def article_act(
    act: str, article: Article, *, by, data: dict, reports: list[Report], flags: ItemFlags
) -> None:
    """Do one act on the article (`data`: the action form's reason and category); taking
    it down or refusing its 原创 claim closes its readers' reports."""
    reason, category = data["reason"], data.get("category") or ""
    # The 原创 flag has its own act (false_original); clearing flags leaves it.
    if _shared_act(
        act, "article", article.pk, by=by, reason=reason, reports=reports,
        codes=flags.codes - {"original"},
    ):  # fmt: skip
        return
    if act == "request_changes":
        article_request_changes(article=article, by=by, reason=reason)
    elif act == "take_down":
        article_take_down(article=article, by=by, reason=reason, category=category)
    elif act == "restore":
        article_restore(article=article, by=by, reason=reason)
    elif act == "false_original":
        original_claim_reject(article=article, by=by, reason=reason)
    elif act == "suspend":
        creator_suspend(creator=article.author, by=by, reason=reason)
    else:
        creator_unsuspend(creator=article.author, by=by, reason=reason)
    if act in ("take_down", "false_original"):
        reports_close(reports=reports, by=by, status=Report.Status.RESOLVED)


@transaction.atomic
def comment_act(
    act: str, comment: Comment, *, by, data: dict, reports: list[Report], flags: ItemFlags
) -> None:
    """Do one act on the comment (`data`: the action form's reason and hide_earlier);
    hiding it, or banning its author, closes the reports of what was hidden."""
    reason = data["reason"]
    if _shared_act(
        act, "comment", comment.pk, by=by, reason=reason, reports=reports, codes=flags.codes
    ):
        return
    if act == "release":
        comment_release(comment=comment, by=by, reason=reason)
        return
    if act == "unban":
        reader_unban(user=comment.user, by=by, reason=reason)
        return
    if act == "hide":
        comment_hide(comment=comment, by=by, reason=reason)
    else:
        reader_ban(user=comment.user, by=by, reason=reason, hide_earlier=data["hide_earlier"])
        # The reports of this comment, and of the author's comments now hidden.
        hidden = Q(comment__user=comment.user) & ~Q(comment__status=Comment.Status.VISIBLE)
        reports = Report.objects.filter(Q(comment=comment) | hidden, status=Report.Status.OPEN)
    reports_close(reports=reports, by=by, status=Report.Status.RESOLVED)


def _shared_act(
    act: str,
    subject_type: str,
    subject_id: int,
    *,
    by,
    reason: str,
    reports: list[Report],
    codes: set[str],
) -> bool:
    """Dismiss the item's reports or clear its flags, if that is the act; whether it was."""
    if act == "dismiss_reports":
        reports_dismiss(
            reports=reports, by=by, reason=reason, subject_type=subject_type, subject_id=subject_id
        )
        return True
    if act == "clear_flags":
        flags_clear(
            subject_type=subject_type, subject_id=subject_id, by=by, reason=reason, codes=codes
        )
        return True
    return False
