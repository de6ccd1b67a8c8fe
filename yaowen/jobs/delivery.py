"""Delivering announced events to their listeners, once each, retried with backoff.

Plain functions over `Delivery` rows, with no queue in sight: the queue's tasks
(`jobs.tasks`) call them, and so do `manage.py jobs deliver` and the tests, which stand in
for the consumer.
"""

import datetime as dt
import logging
import time
import traceback
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from yaowen.jobs.models import Delivery

logger = logging.getLogger("yaowen.jobs")

# A listener that fails is tried again after 10 s, 20 s, 40 s, ... at most an hour apart,
# until it has been tried EVENT_MAX_ATTEMPTS times; then it is marked failed.
MAX_RETRY_SECONDS = 3600
# A pending delivery this long past its due time (settings.EVENT_LEASE_SECONDS, 60 by
# default) was lost with its queue message (a consumer killed mid-task, a queue that was
# down at commit): the sweep queues it again.
# Pending deliveries a sweep or `deliver_pending` handles at once.
SWEEP_LIMIT = 500


@dataclass(frozen=True, slots=True)
class Event:
    """What a listener receives: the event's name, its payload, and ids that stay the same
    when it is delivered again (`uid` is shared by every listener of one announcement)."""

    name: str
    uid: str
    payload: dict[str, Any]
    delivery_id: int

    def __getitem__(self, key: str) -> Any:
        return self.payload[key]


def retry_delay(attempts: int) -> float:
    """Seconds to wait after the `attempts`-th failure."""
    base = float(getattr(settings, "EVENT_RETRY_SECONDS", 10))
    return min(base * 2 ** (attempts - 1), MAX_RETRY_SECONDS)


def deliver(delivery_id: int) -> float | None:
    """Run one pending delivery's listener. Returns the seconds after which it should be
    tried again when the listener failed and may be retried, else None.

    The listener's writes and the delivery's new state commit together, so a delivery
    interrupted anywhere is either wholly done or still pending.
    """
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update()
            .filter(pk=delivery_id, status=Delivery.Status.PENDING)
            .first()
        )
        if delivery is None:
            return None  # done already, failed for good, or never committed
        event = Event(
            name=delivery.event,
            uid=str(delivery.uid),
            payload=delivery.payload,
            delivery_id=delivery.pk,
        )
        started = time.monotonic()
        delivery.attempts += 1
        try:
            with transaction.atomic():
                import_string(delivery.listener)(event)
        except Exception:
            return _failed(delivery, started)
        delivery.status = Delivery.Status.DONE
        delivery.done_at = timezone.now()
        delivery.last_error = ""
        delivery.save(update_fields=["status", "done_at", "attempts", "last_error"])
    logger.info(
        "event %s delivered to %s in %.0f ms",
        delivery.event,
        delivery.listener,
        (time.monotonic() - started) * 1000,
    )
    return None


def _failed(delivery: Delivery, started: float) -> float | None:
    delivery.last_error = traceback.format_exc()[-4000:]
    elapsed = (time.monotonic() - started) * 1000
    limit = int(getattr(settings, "EVENT_MAX_ATTEMPTS", 6))
    retry = None
    if delivery.attempts >= limit:
        delivery.status = Delivery.Status.FAILED
        logger.error(
            "event %s (delivery %s) FAILED for good in %s after %d attempts (%.0f ms):\n%s",
            delivery.event,
            delivery.pk,
            delivery.listener,
            delivery.attempts,
            elapsed,
            delivery.last_error,
        )
    else:
        retry = retry_delay(delivery.attempts)
        delivery.next_attempt_at = timezone.now() + dt.timedelta(seconds=retry)
        logger.warning(
            "event %s (delivery %s) failed in %s, attempt %d of %d; retrying in %.0f s: %s",
            delivery.event,
            delivery.pk,
            delivery.listener,
            delivery.attempts,
            limit,
            retry,
            delivery.last_error.strip().splitlines()[-1],
        )
    delivery.save(update_fields=["status", "attempts", "next_attempt_at", "last_error"])
    return retry


def lease_seconds() -> float:
    """How long past its due time a pending delivery counts as lost (see above)."""
    return float(getattr(settings, "EVENT_LEASE_SECONDS", 60))


def deliveries_overdue(*, limit: int = SWEEP_LIMIT) -> list[int]:
    """Pending deliveries whose queue message must have been lost (see the lease above)."""
    cutoff = timezone.now() - dt.timedelta(seconds=lease_seconds())
    return list(
        Delivery.objects.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=cutoff)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


def deliver_pending(*, rounds: int = 10) -> int:
    """Deliver every pending delivery that is due, in this process, including those that
    listeners announce meanwhile; what the consumer does, for commands and tests.
    Returns the number of deliveries run."""
    done = 0
    tried: set[int] = set()
    for _round in range(rounds):
        due = [
            pk
            for pk in Delivery.objects.filter(
                status=Delivery.Status.PENDING, next_attempt_at__lte=timezone.now()
            )
            .order_by("pk")
            .values_list("pk", flat=True)[:SWEEP_LIMIT]
            if pk not in tried
        ]
        if not due:
            break
        for pk in due:
            tried.add(pk)
            deliver(pk)
            done += 1
    return done


def deliveries_retry(*, ids: list[int] | None = None) -> list[int]:
    """Give failed deliveries (all, or `ids`) a fresh set of attempts; returns their ids."""
    failed = Delivery.objects.filter(status=Delivery.Status.FAILED)
    if ids is not None:
        failed = failed.filter(pk__in=ids)
    chosen = list(failed.values_list("pk", flat=True))
    Delivery.objects.filter(pk__in=chosen).update(
        status=Delivery.Status.PENDING, attempts=0, next_attempt_at=timezone.now()
    )
    return chosen
