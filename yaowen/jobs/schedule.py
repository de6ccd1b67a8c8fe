"""Periodic jobs declared in code: each app's `tasks` module names its jobs and schedules.

`@periodic_job(name=..., minute=..., hour=...)` registers the function with the queue's
scheduler (crontab fields in the site's time zone) and records every run as a `JobRun`:
start, duration, outcome and a line of detail, logged as it ends. A run that would
overlap the previous one of the same job is skipped. `manage.py jobs` lists the jobs.
"""

import datetime as dt
import logging
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task
from huey.exceptions import TaskLockedException

from yaowen.jobs.models import JobRun

logger = logging.getLogger("yaowen.jobs")


@dataclass(frozen=True)
class Job:
    name: str
    cron: str  # minute hour day month weekday, as written
    description: str
    run: Callable[[], object]

    def matches(self, moment: dt.datetime) -> bool:
        minute, hour, day, month, weekday = self.cron.split()
        return crontab(minute, hour, day, month, weekday)(moment)

    def next_run(self, after: dt.datetime) -> dt.datetime | None:
        """The first whole minute after `after` (local time) the schedule names."""
        moment = timezone.localtime(after).replace(second=0, microsecond=0, tzinfo=None)
        for _minute in range(8 * 24 * 60):
            moment += dt.timedelta(minutes=1)
            if self.matches(moment):
                return timezone.make_aware(moment)
        return None


JOBS: dict[str, Job] = {}


def periodic_job(
    *,
    name: str,
    description: str,
    minute: str = "*",
    hour: str = "*",
    day_of_week: str = "*",
) -> Callable[[Callable[[], object]], Callable[[], object]]:
    """Run the decorated function on this schedule in the consumer; its return value
    (a count, a short text) becomes the run's detail."""

    def decorator(function: Callable[[], object]) -> Callable[[], object]:
        job = Job(name, f"{minute} {hour} * * {day_of_week}", description, function)
        JOBS[name] = job

        def scheduled() -> None:
            job_run(job)

        scheduled.__name__ = function.__name__
        db_periodic_task(crontab(minute, hour, "*", "*", day_of_week), name=name)(scheduled)
        return function

    return decorator


def job_run(job: Job) -> JobRun:
    """Run `job` now, once at a time across every consumer, and record how it went."""
    run = JobRun.objects.create(job=job.name, started_at=timezone.now())
    started = time.monotonic()
    try:
        with HUEY.lock_task(f"job:{job.name}"):
            result = job.run()
    except TaskLockedException:
        run.outcome, run.detail = JobRun.Outcome.OK, "skipped: the previous run is still going"
    except Exception:
        run.outcome, run.detail = JobRun.Outcome.FAILED, traceback.format_exc()[-4000:]
    else:
        run.outcome, run.detail = JobRun.Outcome.OK, "" if result is None else str(result)[:500]
    run.duration_ms = round((time.monotonic() - started) * 1000)
    run.save(update_fields=["outcome", "detail", "duration_ms"])
    if run.outcome == JobRun.Outcome.FAILED:
        logger.error("job %s FAILED after %d ms:\n%s", job.name, run.duration_ms, run.detail)
    else:
        logger.info("job %s ok in %d ms: %s", job.name, run.duration_ms, run.detail)
    return run
