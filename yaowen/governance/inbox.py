"""The in-site inbox: notifications of comments, replies, new followers and moderation."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Model
from django.utils import timezone

from yaowen.governance.models import AuditEntry, Notification


def notify(
    *,
    recipient: AbstractBaseUser | int,
    kind: str,
    actor: AbstractBaseUser,
    article: Model | None = None,
    comment: Model | None = None,
    action: str = "",
    reason: str = "",
    audit_entry: AuditEntry | None = None,
) -> Notification | None:
    """Tell `recipient` that `actor` did something; nobody is notified of their own acts."""
    recipient_id = recipient if isinstance(recipient, int) else recipient.pk
    if recipient_id == actor.pk:
        return None
    return Notification.objects.create(
        recipient_id=recipient_id,
        kind=kind,
        actor=actor,
        article=article,
        comment=comment,
        action=str(action),
        reason=reason,
        audit_entry=audit_entry,
    )


def notify_moderation(
    *,
    recipient: AbstractBaseUser | int,
    entry: AuditEntry,
    article: Model | None = None,
    comment: Model | None = None,
    action: str = "",
) -> Notification | None:
    """Tell the person affected by a moderation act what was done and why; the notice
    links to `entry`, which they may appeal against. `action` defaults to the entry's.
    The platform's own automatic acts (no actor) send no notice."""
    if entry.actor is None:
        return None
    return notify(
        recipient=recipient,
        kind=Notification.Kind.MODERATION,
        actor=entry.actor,
        article=article,
        comment=comment,
        action=action or entry.action,
        reason=entry.reason,
        audit_entry=entry,
    )


def notifications_mark_read(*, user: AbstractBaseUser) -> int:
    """Mark every unread notification of `user` read; returns how many there were."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def unread_count(*, user: AbstractBaseUser) -> int:
    """How many of `user`'s notifications are unread (the header's badge)."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
