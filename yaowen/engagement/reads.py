"""Engagement reads beyond comments: a reader's like state and inbox."""

from django.db.models import QuerySet

from yaowen.accounts.models import User
from yaowen.engagement.models import Like, Notification


def like_exists(*, user: User, article_id: int) -> bool:
    if not user.is_authenticated:
        return False
    return Like.objects.filter(user=user, article_id=article_id).exists()


def notification_list(*, user: User) -> QuerySet[Notification]:
    return (
        Notification.objects.filter(recipient=user)
        .select_related("actor", "article")
        .order_by("-created_at", "-pk")
    )


def unread_count(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
