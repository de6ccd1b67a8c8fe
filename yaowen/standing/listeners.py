"""Creator standing follows what happens to a creator's articles (settings.EVENT_LISTENERS)."""

from yaowen.accounts.models import CreatorProfile
from yaowen.jobs.delivery import Event
from yaowen.standing.services import standing_refresh


def creator_changed(event: Event) -> None:
    """article.published / restored / removed: recompute the author's 创作者指数 (a
    recomputation from the rows, so delivering it twice changes nothing)."""
    creator = CreatorProfile.objects.filter(pk=event["author_id"]).first()
    if creator is not None:
        standing_refresh(creator=creator)
