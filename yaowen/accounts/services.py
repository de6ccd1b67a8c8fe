"""Account writes: follows with exact counts, and 入驻 applications and their review."""

from dataclasses import dataclass, replace

from django.contrib.auth.hashers import make_password
from django.core.files import File
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yaowen.accounts import rules
from yaowen.accounts.models import CreatorApplication, CreatorProfile, Follow, User
from yaowen.core.errors import ApplicationError, PermissionDeniedError
from yaowen.governance.acts import act_record
from yaowen.governance.decisions import decision_record
from yaowen.governance.models import ReviewDecision
from yaowen.governance.roles import Action, can, require
from yaowen.jobs.events import announce

CANNOT_FOLLOW_SELF = _("不能关注自己。")
CREATOR_SUSPENDED = _("该创作者账号已暂停，暂时无法关注。")


@transaction.atomic
def follow_create(*, follower: User, creator: CreatorProfile) -> bool:
    """Follow `creator`; returns False if already following. The count moves with the row."""
    if follower.pk == creator.user_id:
        raise ApplicationError(str(CANNOT_FOLLOW_SELF))
    if creator.status != CreatorProfile.Status.ACTIVE:
        raise ApplicationError(str(CREATOR_SUSPENDED))
    try:
        with transaction.atomic():
            Follow.objects.create(follower=follower, followee_id=creator.user_id)
    except IntegrityError:
        return False
    CreatorProfile.objects.filter(pk=creator.pk).update(follower_count=F("follower_count") + 1)
    announce("creator.followed", follower_id=follower.pk, creator_user_id=creator.user_id)
    return True


@transaction.atomic
def follow_delete(*, follower: User, creator: CreatorProfile) -> bool:
    """Stop following `creator`; returns False if the reader was not following."""
    deleted, _rows = Follow.objects.filter(follower=follower, followee_id=creator.user_id).delete()
    if not deleted:
        return False
    CreatorProfile.objects.filter(pk=creator.pk, follower_count__gt=0).update(
        follower_count=F("follower_count") - 1
    )
    return True


# --- 入驻 applications ---------------------------------------------------------------

ALREADY_CREATOR = _("你已经是创作者了。")
APPLICATION_PENDING = _("你的申请正在审核中，请耐心等待。")
RESUBMISSIONS_EXHAUSTED = _("申请已被驳回 3 次，不能再次提交。")
NOT_AN_APPLICATION_REVIEWER = _("你没有审核入驻申请的权限。")
APPLICATION_NOT_PENDING = _("这份申请不在审核中。")
APPLICATION_REASON_REQUIRED = _("驳回申请时请至少选择一个原因或写明说明。")
NAME_TAKEN = _("这个账号名称已被使用。")


@dataclass(frozen=True)
class ApplicationInput:
    account_type: str
    display_name: str
    field: models.Model  # a newsroom Channel
    bio: str
    contact: str
    statement: str
    avatar: File | None = None


def _channels() -> type[models.Model]:
    """newsroom's Channel, through the profile's relation: newsroom sits above accounts."""
    return CreatorProfile._meta.get_field("field").related_model


class ApplicationInvalid(ApplicationError):
    """The application breaks the platform's rules; `errors` maps each field to messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        first = next(iter(errors.values()))[0]
        super().__init__(first, extra={"errors": errors})
        self.errors = errors


def application_check(data: ApplicationInput) -> dict[str, list[str]]:
    """Every rule the form and the service enforce, by field (empty when it passes)."""
    errors = rules.check_application(
        account_type=data.account_type,
        display_name=data.display_name,
        field_slug=data.field.slug,
        bio=data.bio,
        statement=data.statement,
        channel_names=_channels().objects.values_list("name", flat=True),
    )
    name = data.display_name.strip()
    if name and CreatorProfile.objects.filter(display_name__iexact=name).exists():
        errors.setdefault("display_name", []).append(str(NAME_TAKEN))
    word_errors, _stored = rules.check_words(_screened_texts(data), strict=("display_name",))
    for field, messages in word_errors.items():
        errors.setdefault(field, []).extend(messages)
    return errors


def _screened_texts(data: ApplicationInput) -> dict[str, str]:
    return {"display_name": data.display_name, "bio": data.bio, "statement": data.statement}


@transaction.atomic
def application_submit(*, user: User, data: ApplicationInput) -> CreatorApplication:
    """Submit, or resubmit after a rejection (3 submissions at most), an 入驻 application."""
    if hasattr(user, "creator"):
        raise ApplicationError(str(ALREADY_CREATOR))
    errors = application_check(data)
    if errors:
        raise ApplicationInvalid(errors)
    existing = CreatorApplication.objects.select_for_update().filter(user=user).first()
    if existing is not None:
        if existing.status == CreatorApplication.Status.PENDING:
            raise ApplicationError(str(APPLICATION_PENDING))
        if existing.status == CreatorApplication.Status.APPROVED:
            raise ApplicationError(str(ALREADY_CREATOR))
        if not existing.can_resubmit:
            raise ApplicationError(str(RESUBMISSIONS_EXHAUSTED))
    # Sensitive words of the "mask" kind are stored as ＊ (names refuse them above).
    _errors, stored = rules.check_words(_screened_texts(data), strict=("display_name",))
    data = replace(data, bio=stored["bio"], statement=stored["statement"])
    application = existing or CreatorApplication(user=user, submission_count=0)
    application.account_type = data.account_type
    application.display_name = data.display_name.strip()
    application.field = data.field
    application.bio = data.bio.strip()
    application.contact = data.contact.strip()
    application.statement = data.statement.strip()
    if data.avatar is not None:
        application.avatar = data.avatar
    application.status = CreatorApplication.Status.PENDING
    application.submission_count += 1
    application.submitted_at = timezone.now()
    application.reviewer = None
    application.decided_at = None
    application.reasons = []
    application.note = ""
    application.save()
    return application


@transaction.atomic
def application_approve(
    *, application: CreatorApplication, reviewer: User, note: str = ""
) -> CreatorProfile:
    """Approve a pending application: the applicant becomes a creator with that identity."""
    locked = _pending(application, reviewer)
    if CreatorProfile.objects.filter(display_name__iexact=locked.display_name).exists():
        raise ApplicationError(str(NAME_TAKEN))
    creator = CreatorProfile.objects.create(
        user_id=locked.user_id,
        display_name=locked.display_name,
        bio=locked.bio,
        avatar=locked.avatar.name,
        account_type=locked.account_type,
        field=locked.field,
        contact=locked.contact,
    )
    _decide(locked, reviewer, CreatorApplication.Status.APPROVED, [], note)
    decision_record(
        subject=ReviewDecision.Subject.APPLICATION,
        object_id=locked.pk,
        verdict=ReviewDecision.Verdict.APPROVE,
        reviewer=reviewer,
        note=note,
    )
    _audit(locked, reviewer, "application_approve", note.strip())
    return creator


@transaction.atomic
def application_reject(
    *, application: CreatorApplication, reviewer: User, reasons: list[str], note: str
) -> CreatorApplication:
    """Reject a pending application with reasons the applicant will read."""
    if not can(reviewer, Action.APPLICATION_REVIEW):
        raise PermissionDeniedError(str(NOT_AN_APPLICATION_REVIEWER))
    valid = {choice for choice, _label in CreatorApplication.Reason.choices}
    reasons = [reason for reason in reasons if reason in valid]
    if not reasons and not note.strip():
        raise ApplicationError(str(APPLICATION_REASON_REQUIRED))
    locked = _pending(application, reviewer)
    _decide(locked, reviewer, CreatorApplication.Status.REJECTED, reasons, note)
    decision_record(
        subject=ReviewDecision.Subject.APPLICATION,
        object_id=locked.pk,
        verdict=ReviewDecision.Verdict.REJECT,
        reviewer=reviewer,
        reasons=reasons,
        note=note,
    )
    _audit(locked, reviewer, "application_reject", "；".join([*locked.reason_labels, locked.note]))
    return locked


def _pending(application: CreatorApplication, reviewer: User) -> CreatorApplication:
    """The application, locked, once `reviewer` may decide it (an editor limited to some
    channels decides applications for those fields) and it still waits for a decision."""
    if not can(reviewer, Action.APPLICATION_REVIEW):
        raise PermissionDeniedError(str(NOT_AN_APPLICATION_REVIEWER))
    locked = CreatorApplication.objects.select_for_update().get(pk=application.pk)
    require(reviewer, Action.APPLICATION_REVIEW, channel_id=locked.field_id)
    if locked.status != CreatorApplication.Status.PENDING:
        raise ApplicationError(str(APPLICATION_NOT_PENDING))
    return locked


def _audit(application: CreatorApplication, reviewer: User, action: str, reason: str) -> None:
    """The audit entry of a decision, and the applicant's notice of it with the reason."""
    act_record(
        actor=reviewer,
        action=action,
        subject_type="application",
        subject_id=application.pk,
        reason=reason.strip("；"),
        before={"status": CreatorApplication.Status.PENDING},
        after={"status": application.status, "reasons": application.reasons},
        tell=application.user_id,
    )


def _decide(
    application: CreatorApplication, reviewer: User, status: str, reasons: list[str], note: str
) -> None:
    application.status = status
    application.reviewer = reviewer
    application.decided_at = timezone.now()
    application.reasons = reasons
    application.note = note.strip()
    application.save()


def creators_for_evaluation(count: int) -> list[CreatorProfile]:
    """`count` creators with unusable passwords (eval-0, eval-1, …) for an evaluation run on
    a throwaway site (`core.throwaway`): the corpus is published in their names."""
    password = make_password(None)
    users = User.objects.bulk_create(
        User(username=f"eval-{number}", password=password) for number in range(count)
    )
    return CreatorProfile.objects.bulk_create(
        CreatorProfile(user=user, display_name=f"评测作者{number}")
        for number, user in enumerate(users)
    )
