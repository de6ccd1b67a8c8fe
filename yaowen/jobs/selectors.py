"""What the jobs command and the admin show: each job's last run, next run and failures."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone

from yaowen.jobs.models import Delivery, JobRun
from yaowen.jobs.schedule import JOBS, Job

RECENT_DAYS = 7


@dataclass(frozen=True)
class JobState:
    job: Job
    last: JobRun | None
    next_run: dt.datetime | None
    failures: int  # in the last RECENT_DAYS days


def job_states(*, now: dt.datetime | None = None) -> list[JobState]:
    """Every declared job, by name, with its last run, next run and recent failures."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=RECENT_DAYS)
    failures = dict(
        JobRun.objects.filter(outcome=JobRun.Outcome.FAILED, started_at__gte=since)
        .values_list("job")
        .annotate(n=Count("pk"))
        .values_list("job", "n")
    )
    states = []
    for name in sorted(JOBS):
        last = JobRun.objects.filter(job=name).order_by("-started_at").first()
        states.append(JobState(JOBS[name], last, JOBS[name].next_run(now), failures.get(name, 0)))
    return states


def delivery_counts() -> dict[str, int]:
    """Deliveries by status."""
    counts = dict(
        Delivery.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    return {status: counts.get(status, 0) for status in Delivery.Status.values}


def deliveries_failed(*, limit: int = 20) -> list[Delivery]:
    """The newest deliveries that failed for good."""
    return list(
        Delivery.objects.filter(status=Delivery.Status.FAILED).order_by("-created_at")[:limit]
    )
