"""Newsroom's periodic jobs (the queue's consumer runs them)."""

from yaowen.jobs.schedule import periodic_job
from yaowen.newsroom.services.workflow import articles_publish_due


@periodic_job(
    name="newsroom.publish_scheduled",
    minute="*",
    description="发布到时的定时文章（每篇文章到时也会单独发布）",
)
def publish_scheduled() -> str:
    return f"published {articles_publish_due()}"
