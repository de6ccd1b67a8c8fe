"""Engagement's periodic jobs (the queue's consumer runs them)."""

from yaowen.engagement.viewcount import backend, views_flush
from yaowen.jobs.schedule import periodic_job


@periodic_job(name="engagement.flush_views", minute="*", description="把缓冲的阅读数写入数据库")
def flush_views() -> str:
    """With Redis, write the shared buffer to the database. Without it each web worker
    flushes its own memory every few seconds, and this process's buffer is empty."""
    written = views_flush()
    return f"flushed {written} views ({backend().name} buffer)"
