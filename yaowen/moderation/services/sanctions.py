"""Sanctions on people: readers banned from commenting, creators suspended.

Like every moderation action, each requires a reason and the editor's role, is audited
with the state before and after, and tells the person why (services.actions says more).
Nobody sanctions themselves; only administrators sanction editors or administrators.
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from yaowen.accounts.models import CreatorProfile, User
from yaowen.core.errors import ApplicationError, PermissionDeniedError
from yaowen.engagement.models import Comment, CommentBan
from yaowen.engagement.services.comments import comments_withdraw
from yaowen.governance.acts import act_record
from yaowen.governance.audit import reason_clean
from yaowen.governance.roles import Action, Role, editor_channel_ids, require, role_of
from yaowen.standing.models import VIOLATION_REASON_LENGTH, Violation
from yaowen.standing.services import violation_record

ALREADY_BANNED = _("该用户已被禁止跟帖。")
NOT_BANNED = _("该用户没有被禁止跟帖。")
ALREADY_SUSPENDED = _("该创作者已经暂停。")
NOT_SUSPENDED = _("该创作者没有被暂停。")
NOT_ON_YOURSELF = _("不能对自己执行这项操作。")
NOT_ON_STAFF = _("只有管理员可以处理编辑或管理员的账号。")


def _not_on_peers(by: User, user: User) -> None:
    """Nobody acts on their own account; only administrators act on editors' accounts."""
    if by.pk == user.pk:
        raise PermissionDeniedError(str(NOT_ON_YOURSELF))
    if role_of(user) in (Role.EDITOR, Role.ADMIN) and role_of(by) != Role.ADMIN:
        raise PermissionDeniedError(str(NOT_ON_STAFF))


# --- readers ---------------------------------------------------------------------------


@transaction.atomic
def reader_ban(*, user: User, by: User, reason: str, hide_earlier: bool = False) -> CommentBan:
    """Stop a reader from commenting; with `hide_earlier`, their comments already on the
    site are hidden too (those in the editor's channels, for an editor limited to some)."""
    reason = reason_clean(reason)
    require(by, Action.READER_BAN)
    _not_on_peers(by, user)
    try:
        with transaction.atomic():
            ban = CommentBan.objects.create(user=user, by=by, reason=reason)
    except IntegrityError:
        raise ApplicationError(str(ALREADY_BANNED)) from None
    hidden: list[int] = []
    if hide_earlier:
        earlier = Comment.objects.filter(
            user=user, status__in=[Comment.Status.VISIBLE, Comment.Status.PENDING]
        )
        channels = editor_channel_ids(by)
        if channels is not None:
            earlier = earlier.filter(article__channel_id__in=channels)
        withdrawn = comments_withdraw(comment_ids=earlier.values_list("pk", flat=True))
        hidden = sorted(row.pk for row in withdrawn)
    act_record(
        actor=by,
        action=Action.READER_BAN,
        subject_type="user",
        subject_id=user.pk,
        reason=reason,
        before={"banned": False},
        after={"banned": True, "hidden_comment_ids": hidden},
        tell=user,
    )
    return ban


@transaction.atomic
def reader_unban(*, user: User, by: User, reason: str, notify: bool = True) -> None:
    """Let a banned reader comment again (comments hidden with the ban stay hidden,
    unless an appeal reverses the ban)."""
    reason = reason_clean(reason)
    require(by, Action.READER_BAN)
    deleted, _rows = CommentBan.objects.filter(user=user).delete()
    if not deleted:
        raise ApplicationError(str(NOT_BANNED))
    act_record(
        actor=by,
        action="reader_unban",
        subject_type="user",
        subject_id=user.pk,
        reason=reason,
        before={"banned": True},
        after={"banned": False},
        tell=user if notify else None,
    )


# --- creators --------------------------------------------------------------------------


def _set_status(creator: CreatorProfile, *, expected: str, status: str, error) -> CreatorProfile:
    locked = CreatorProfile.objects.select_for_update().get(pk=creator.pk)
    if locked.status != expected:
        raise ApplicationError(str(error))
    # A queryset update: only the status changes, whatever else the caller holds.
    CreatorProfile.objects.filter(pk=locked.pk).update(status=status)
    locked.status = creator.status = status
    return locked


@transaction.atomic
def creator_suspend(*, creator: CreatorProfile, by: User, reason: str) -> CreatorProfile:
    """Suspend a creator: they cannot submit or publish, nor be followed, until lifted;
    a "suspension" violation costs them standing."""
    reason = reason_clean(reason)
    require(by, Action.CREATOR_SUSPEND)
    _not_on_peers(by, creator.user)
    locked = _set_status(
        creator,
        expected=CreatorProfile.Status.ACTIVE,
        status=CreatorProfile.Status.SUSPENDED,
        error=ALREADY_SUSPENDED,
    )
    violation_record(
        creator=locked,
        kind=Violation.Kind.SUSPENSION,
        by=by,
        reason=reason[:VIOLATION_REASON_LENGTH],  # the audit entry keeps all of it
    )
    act_record(
        actor=by,
        action=Action.CREATOR_SUSPEND,
        subject_type="creator",
        subject_id=locked.pk,
        reason=reason,
        before={"status": CreatorProfile.Status.ACTIVE},
        after={"status": CreatorProfile.Status.SUSPENDED},
        tell=locked.user_id,
    )
    return locked


@transaction.atomic
def creator_unsuspend(
    *, creator: CreatorProfile, by: User, reason: str, notify: bool = True
) -> CreatorProfile:
    """Lift a suspension: the creator may submit and publish again."""
    reason = reason_clean(reason)
    require(by, Action.CREATOR_SUSPEND)
    locked = _set_status(
        creator,
        expected=CreatorProfile.Status.SUSPENDED,
        status=CreatorProfile.Status.ACTIVE,
        error=NOT_SUSPENDED,
    )
    act_record(
        actor=by,
        action="creator_unsuspend",
        subject_type="creator",
        subject_id=locked.pk,
        reason=reason,
        before={"status": CreatorProfile.Status.SUSPENDED},
        after={"status": CreatorProfile.Status.ACTIVE},
        tell=locked.user_id if notify else None,
    )
    return locked
