"""One act, recorded once: the audit entry and the notice to the person it affects.

Every moderation act (a verdict, a takedown, a ban, a suspension, an appeal decided)
leaves the same two traces in the same transaction; services call `act_record` rather
than writing them one by one.
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Model

from yaowen.governance.audit import audit_record
from yaowen.governance.inbox import notify_moderation
from yaowen.governance.models import AuditEntry


def act_record(
    *,
    actor: AbstractBaseUser | None,
    action: str,
    subject_type: str,
    subject_id: int,
    reason: str = "",
    before: dict | None = None,
    after: dict | None = None,
    tell: AbstractBaseUser | int | None = None,
    article: Model | None = None,
    comment: Model | None = None,
) -> AuditEntry:
    """Append the audit entry of an act and, unless `tell` is None (someone else tells
    them, as an appeal's decision does), send the person affected its notice, linked to
    the entry they may appeal against, about `article` or `comment` if given."""
    entry = audit_record(
        actor=actor,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        reason=reason,
        before=before,
        after=after,
    )
    if tell is not None:
        notify_moderation(recipient=tell, entry=entry, article=article, comment=comment)
    return entry
