"""Notifications that follow what readers do (settings.EVENT_LISTENERS), in the
background; each notice is written once however often its event is delivered."""

from yaowen.accounts.models import User
from yaowen.engagement.services.comments import comment_notify
from yaowen.governance.inbox import notify
from yaowen.governance.models import Notification
from yaowen.jobs.delivery import Event


def comment_notify_posted(event: Event) -> None:
    """comment.created: the article's author, or the person answered, hears of it."""
    comment_notify(comment_id=event["comment_id"])


def follow_notify(event: Event) -> None:
    """creator.followed: the creator hears of a new follower (once per follow)."""
    follower = User.objects.filter(pk=event["follower_id"]).first()
    if follower is None:
        return
    recipient = event["creator_user_id"]
    if Notification.objects.filter(
        recipient_id=recipient, kind=Notification.Kind.FOLLOW, actor=follower
    ).exists():
        return
    notify(recipient=recipient, kind=Notification.Kind.FOLLOW, actor=follower)
