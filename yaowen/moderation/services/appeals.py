"""Appeals: the affected person contests a moderation act once; another editor decides.

An appeal granted (upheld=False) undoes the act (restores the article, shows the comment,
lifts the ban or the suspension, gives back a refused 原创 claim) and voids the violation
it cost; either way the decision is audited and the appellant told why.
"""

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yaowen.accounts.models import CreatorApplication, CreatorProfile, User
from yaowen.core.errors import ApplicationError, PermissionDeniedError
from yaowen.engagement.models import Comment, CommentBan
from yaowen.engagement.services.comments import comment_reinstate
from yaowen.governance.actions import APPEALABLE
from yaowen.governance.acts import act_record
from yaowen.governance.audit import audit_record
from yaowen.governance.models import AuditEntry
from yaowen.governance.roles import Action, can, require
from yaowen.moderation.models import Appeal
from yaowen.moderation.services import actions
from yaowen.newsroom.models import Article
from yaowen.standing.models import Violation
from yaowen.standing.services import original_claim_reinstate, violations_void

TEXT_MAX_LENGTH = 1000

NOT_APPEALABLE = _("这项处理不能申诉。")
NOT_YOURS = _("只有被处理的当事人可以申诉。")
ALREADY_APPEALED = _("每项处理只能申诉一次，你已经提交过申诉。")
NO_LONGER_IN_FORCE = _("这项处理已经撤销，无需申诉。")
TEXT_REQUIRED = _("请写明申诉理由。")
TEXT_TOO_LONG = _("申诉理由最多 1000 字。")
ALREADY_DECIDED = _("这项申诉已经处理过了。")
NOT_THE_SAME_EDITOR = _("申诉须由另一位编辑处理，不能处理针对自己操作的申诉。")
NOT_YOUR_OWN_APPEAL = _("不能处理自己提交的申诉。")
DECISION_REASON_REQUIRED = _("请填写处理申诉的理由，它会发送给申诉人。")


def affected_user_id(entry: AuditEntry) -> int | None:
    """Whom the act affected: the author of the article or comment, the reader, the
    creator or the applicant; None if the object no longer exists."""
    owners = {
        AuditEntry.SubjectType.USER: (User, "pk"),
        AuditEntry.SubjectType.ARTICLE: (Article, "author__user_id"),
        AuditEntry.SubjectType.COMMENT: (Comment, "user_id"),
        AuditEntry.SubjectType.CREATOR: (CreatorProfile, "user_id"),
        AuditEntry.SubjectType.APPLICATION: (CreatorApplication, "user_id"),
    }
    if entry.subject_type not in owners:
        return None
    model, field = owners[entry.subject_type]
    return model.objects.filter(pk=entry.subject_id).values_list(field, flat=True).first()


def in_force(entry: AuditEntry) -> bool:
    """Whether the appealable act of `entry` still holds (nobody has undone it since)."""
    pk = entry.subject_id
    if entry.action == Action.ARTICLE_TAKE_DOWN:
        return Article.objects.filter(pk=pk, status=Article.Status.REMOVED).exists()
    if entry.action == Action.COMMENT_HIDE:
        return Comment.objects.filter(pk=pk, status=Comment.Status.HIDDEN).exists()
    if entry.action == Action.READER_BAN:
        return CommentBan.objects.filter(user_id=pk).exists()
    if entry.action == Action.CREATOR_SUSPEND:
        return CreatorProfile.objects.filter(pk=pk, status=CreatorProfile.Status.SUSPENDED).exists()
    if entry.action == Action.ORIGINAL_CLAIM_REVIEW:
        return Article.objects.filter(pk=pk, is_original=False).exists()
    return False


def _channel_of(entry: AuditEntry) -> int | None:
    """The channel an article or comment act concerns, for editors limited to channels."""
    if entry.subject_type == AuditEntry.SubjectType.ARTICLE:
        rows = Article.objects.filter(pk=entry.subject_id).values_list("channel_id", flat=True)
    elif entry.subject_type == AuditEntry.SubjectType.COMMENT:
        rows = Comment.objects.filter(pk=entry.subject_id).values_list(
            "article__channel_id", flat=True
        )
    else:
        return None
    return rows.first()


@transaction.atomic
def appeal_create(*, entry: AuditEntry, by: User, text: str) -> Appeal:
    """The affected person appeals an act that still holds, once per act."""
    if entry.action not in APPEALABLE:
        raise ApplicationError(str(NOT_APPEALABLE))
    if not by.is_authenticated or affected_user_id(entry) != by.pk:
        raise PermissionDeniedError(str(NOT_YOURS))
    text = (text or "").strip()
    if not text:
        raise ApplicationError(str(TEXT_REQUIRED))
    if len(text) > TEXT_MAX_LENGTH:
        raise ApplicationError(str(TEXT_TOO_LONG))
    if Appeal.objects.filter(entry=entry).exists():
        raise ApplicationError(str(ALREADY_APPEALED))
    if not in_force(entry):
        raise ApplicationError(str(NO_LONGER_IN_FORCE))
    try:
        with transaction.atomic():
            return Appeal.objects.create(entry=entry, appellant=by, text=text)
    except IntegrityError:  # a concurrent second submission of the same appeal
        raise ApplicationError(str(ALREADY_APPEALED)) from None


def _reverse(entry: AuditEntry, *, by: User, reason: str) -> None:
    """Undo the act of `entry` (if it still holds) and void the violation it cost."""
    if not in_force(entry):
        return
    pk = entry.subject_id
    if entry.action == Action.ARTICLE_TAKE_DOWN:
        article = Article.objects.select_related("author").get(pk=pk)
        actions.article_restore(article=article, by=by, reason=reason, notify=False)
        violations_void(
            creator=article.author,
            kind=Violation.Kind.TAKEDOWN,
            by=by,
            reason=reason,
            article=article,
        )
    elif entry.action == Action.COMMENT_HIDE:
        comment = Comment.objects.get(pk=pk)
        comment_reinstate(comment=comment)
        audit_record(
            actor=by,
            action="comment_unhide",
            subject_type="comment",
            subject_id=pk,
            reason=reason,
            before={"status": Comment.Status.HIDDEN},
            after={"status": Comment.Status.VISIBLE},
        )
    elif entry.action == Action.READER_BAN:
        actions.reader_unban(user=User.objects.get(pk=pk), by=by, reason=reason, notify=False)
        hidden = (entry.after or {}).get("hidden_comment_ids", [])
        for comment in Comment.objects.filter(pk__in=hidden, status=Comment.Status.HIDDEN):
            comment_reinstate(comment=comment)
    elif entry.action == Action.CREATOR_SUSPEND:
        creator = CreatorProfile.objects.get(pk=pk)
        actions.creator_unsuspend(creator=creator, by=by, reason=reason, notify=False)
        violations_void(creator=creator, kind=Violation.Kind.SUSPENSION, by=by, reason=reason)
    elif entry.action == Action.ORIGINAL_CLAIM_REVIEW:
        original_claim_reinstate(article=Article.objects.get(pk=pk), by=by, reason=reason)
        audit_record(
            actor=by,
            action="original_claim_reinstate",
            subject_type="article",
            subject_id=pk,
            reason=reason,
            before={"is_original": False},
            after={"is_original": True},
        )


@transaction.atomic
def appeal_decide(*, appeal: Appeal, by: User, upheld: bool, reason: str) -> Appeal:
    """Another editor decides an appeal: `upheld` keeps the act, otherwise it is undone.
    The editor who acted (and the appellant) may not decide it."""
    locked = Appeal.objects.select_for_update().select_related("entry").get(pk=appeal.pk)
    entry = locked.entry
    require(by, Action.APPEAL_DECIDE, channel_id=_channel_of(entry))
    if entry.actor_id == by.pk:
        raise PermissionDeniedError(str(NOT_THE_SAME_EDITOR))
    if locked.appellant_id == by.pk:
        raise PermissionDeniedError(str(NOT_YOUR_OWN_APPEAL))
    if locked.status != Appeal.Status.PENDING:
        raise ApplicationError(str(ALREADY_DECIDED))
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(str(DECISION_REASON_REQUIRED))
    reason = actions.reason_clean(reason)
    if not upheld:
        _reverse(entry, by=by, reason=reason)
    locked.status = Appeal.Status.UPHELD if upheld else Appeal.Status.REVERSED
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.decision_reason = reason
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    article, comment = _subject_objects(entry)
    act_record(
        actor=by,
        action="appeal_uphold" if upheld else "appeal_reverse",
        subject_type="appeal",
        subject_id=locked.pk,
        reason=reason,
        before={"status": Appeal.Status.PENDING},
        after={"status": locked.status, "entry": entry.pk, "entry_action": entry.action},
        tell=locked.appellant_id,
        article=article,
        comment=comment,
    )
    appeal.status, appeal.decided_by, appeal.decided_at = (
        locked.status,
        locked.decided_by,
        locked.decided_at,
    )
    appeal.decision_reason = reason
    return locked


def _subject_objects(entry: AuditEntry) -> tuple[Article | None, Comment | None]:
    """The article (and comment) a notice about `entry` should link to."""
    if entry.subject_type == AuditEntry.SubjectType.ARTICLE:
        return Article.objects.filter(pk=entry.subject_id).first(), None
    if entry.subject_type == AuditEntry.SubjectType.COMMENT:
        comment = Comment.objects.select_related("article").filter(pk=entry.subject_id).first()
        return (comment.article if comment else None), comment
    return None, None


def appeal_queue(*, for_user: User) -> QuerySet[Appeal]:
    """Pending appeals `for_user` may decide, oldest first: never those against their own
    acts, nor their own appeals; nothing for people who do not decide appeals."""
    if not can(for_user, Action.APPEAL_DECIDE):
        return Appeal.objects.none()
    return (
        Appeal.objects.filter(status=Appeal.Status.PENDING)
        .exclude(entry__actor=for_user)
        .exclude(appellant=for_user)
        .select_related("entry", "entry__actor", "appellant")
        .order_by("created_at", "pk")
    )


def appeals_of(*, user: User) -> QuerySet[Appeal]:
    """A person's own appeals, newest first, with the act each contests."""
    return (
        Appeal.objects.filter(appellant=user)
        .select_related("entry", "decided_by")
        .order_by("-created_at", "-pk")
    )
