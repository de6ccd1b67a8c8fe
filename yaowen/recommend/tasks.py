"""Recommendations' periodic jobs (the queue's consumer runs them)."""

from yaowen.jobs.schedule import periodic_job
from yaowen.recommend.services.hot import hot_scores_refresh
from yaowen.recommend.services.related import related_reindex
from yaowen.recommend.services.topics import topics_refit


@periodic_job(name="recommend.hot", minute="*/5", description="重新计算热度（热点推荐）")
def hot_refresh() -> str:
    done = hot_scores_refresh()
    live = f", {done.live.loaded} in Redis" if done.live is not None else ""
    return f"scored {done.scored}{live}"


@periodic_job(
    name="recommend.reindex",
    minute="40",
    hour="3",
    description="用新的词频重建相关推荐索引和话题（在关键词重算之后）",
)
def reindex() -> str:
    total = related_reindex()
    topics_refit()
    return f"indexed {total} articles"
