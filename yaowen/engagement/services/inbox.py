"""The in-site inbox: notifications of comments, replies and new followers."""

from django.utils import timezone

from yaowen.accounts.models import User
from yaowen.engagement.models import Comment, Notification
from yaowen.newsroom.models import Article


def notify(
    *,
    recipient: User | int,
    kind: str,
    actor: User,
    article: Article | None = None,
    comment: Comment | None = None,
) -> Notification | None:
    """Tell `recipient` that `actor` did something; nobody is notified of their own acts."""
    recipient_id = recipient if isinstance(recipient, int) else recipient.pk
    if recipient_id == actor.pk:
        return None
    return Notification.objects.create(
        recipient_id=recipient_id, kind=kind, actor=actor, article=article, comment=comment
    )


def notifications_mark_read(*, user: User) -> int:
    """Mark every unread notification of `user` read; returns how many there were."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
