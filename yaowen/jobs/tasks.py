"""The queue's own tasks: deliver an event, sweep up lost deliveries, prune old records.

Autodiscovered by the consumer (`manage.py run_huey` loads every app's `tasks` module).
"""

import datetime as dt
import logging

from django.db import close_old_connections
from django.utils import timezone
from huey.contrib.djhuey import db_task, on_startup

from yaowen.jobs.delivery import deliver, deliveries_overdue, lease_seconds
from yaowen.jobs.models import Delivery, JobRun
from yaowen.jobs.schedule import periodic_job

logger = logging.getLogger("yaowen.jobs")

# Finished deliveries and job runs are kept this long for the jobs command and the admin.
KEEP_DAYS = 14


@db_task(name="jobs.deliver")
def deliver_task(delivery_id: int) -> None:
    retry = deliver(delivery_id)
    if retry is not None:
        deliver_task.schedule((delivery_id,), delay=retry)


def enqueue(delivery_ids: list[int], *, delay: float = 0) -> None:
    """Queue these deliveries (to run after `delay` seconds); if the queue cannot take
    them, the sweep will."""
    for delivery_id in delivery_ids:
        try:
            if delay > 0:
                deliver_task.schedule((delivery_id,), delay=delay)
            else:
                deliver_task(delivery_id)
        except Exception:
            logger.exception("could not queue delivery %s; the sweep will retry it", delivery_id)
            return


@db_task(name="jobs.sweep_once")
def sweep_task() -> None:
    enqueue(deliveries_overdue())


_swept_at_start = False


@on_startup()
def sweep_at_start() -> None:
    """A consumer that starts (again, after a crash) first queues what was lost in flight,
    rather than waiting for the next minute's sweep, and looks again once the lease has run
    out for deliveries announced just before the crash. Once per process, not per worker."""
    global _swept_at_start
    if _swept_at_start:
        return
    _swept_at_start = True
    try:
        enqueue(deliveries_overdue())
        sweep_task.schedule(delay=lease_seconds() + 1)
    except Exception:
        logger.exception("the start-up sweep failed; the minute's sweep will retry")
    finally:
        close_old_connections()


@periodic_job(name="jobs.sweep", minute="*", description="重新排队丢失的事件投递")
def deliveries_sweep() -> str:
    """Queue again the deliveries whose queue message was lost."""
    overdue = deliveries_overdue()
    enqueue(overdue)
    return f"requeued {len(overdue)}"


@periodic_job(name="jobs.prune", minute="50", hour="2", description="清理两周前的任务记录")
def records_prune() -> str:
    cutoff = timezone.now() - dt.timedelta(days=KEEP_DAYS)
    deliveries, _ = Delivery.objects.filter(
        status=Delivery.Status.DONE, created_at__lt=cutoff
    ).delete()
    runs, _ = JobRun.objects.filter(started_at__lt=cutoff).delete()
    return f"deleted {deliveries} deliveries, {runs} runs"
