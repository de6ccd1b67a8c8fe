"""The audit log: one append-only entry for every moderation act."""

import json

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext_lazy as _

from yaowen.core.errors import ApplicationError
from yaowen.governance.actions import EVENT_LABELS
from yaowen.governance.models import AuditEntry
from yaowen.governance.roles import Action

REASON_MAX_LENGTH = 2000
# What an editor writes when acting; it is sent to the person affected.
ACT_REASON_MAX_LENGTH = 500

REASON_REQUIRED = _("请填写处理原因，它会发送给当事人。")
REASON_TOO_LONG = _("处理原因最多 500 字。")


def reason_clean(reason: str | None) -> str:
    """An editor's reason as stored and sent: trimmed, required, at most 500 characters."""
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(str(REASON_REQUIRED))
    if len(reason) > ACT_REASON_MAX_LENGTH:
        raise ApplicationError(str(REASON_TOO_LONG))
    return reason


def _plain(state: dict | None) -> dict | None:
    """`state` as plain JSON (dates and decimals as strings), so any snapshot stores."""
    if state is None:
        return None
    return json.loads(json.dumps(state, cls=DjangoJSONEncoder))


def audit_record(
    *,
    actor: AbstractBaseUser | None,
    action: str,
    subject_type: str,
    subject_id: int,
    reason: str = "",
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEntry:
    """Append who did what to which object, why, and the state before and after.

    `actor` is None only for the platform's own automatic acts. Entries are never edited.
    """
    if subject_type not in AuditEntry.SubjectType.values:
        raise ValueError(f"unknown audit subject type: {subject_type!r}")
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=str(action),
        subject_type=subject_type,
        subject_id=subject_id,
        reason=(reason or "").strip()[:REASON_MAX_LENGTH],
        before=_plain(before),
        after=_plain(after),
    )


def audit_action_choices() -> list[tuple[str, str]]:
    """Every action code the log uses, with its label: for filters and exports."""
    return [(code, str(label)) for code, label in Action.choices] + [
        (code, str(label)) for code, label in EVENT_LABELS.items()
    ]
