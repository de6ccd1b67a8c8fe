"""Standing's periodic jobs (the queue's consumer runs them)."""

from yaowen.jobs.schedule import periodic_job
from yaowen.standing.services import standings_refresh


@periodic_job(
    name="standing.refresh", minute="20", hour="4", description="重新计算所有创作者的创作者指数"
)
def standing_refresh_all() -> str:
    return f"computed {standings_refresh()} creators"
