"""What newsroom does when its own delayed events come due (settings.EVENT_LISTENERS)."""

from yaowen.jobs.delivery import Event
from yaowen.newsroom.services.workflow import articles_publish_due


def article_due(event: Event) -> None:
    """article.due: a scheduled article's time has come; publish it unless it was
    published, rescheduled or withdrawn meanwhile."""
    articles_publish_due(article_ids=[event["article_id"]])
