"""Domain events: an app announces what happened; apps above it listen.

`announce("article.published", article_id=1)` inside the service's transaction writes one
`Delivery` per listener named in `settings.EVENT_LISTENERS`, and queues them once the
transaction commits. A lower app so causes work in higher ones without importing them
(docs/architecture.md, "Events", lists every event, who announces it and who listens).
"""

import datetime as dt
import uuid

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from yaowen.jobs.models import Delivery
from yaowen.jobs.tasks import enqueue


def listeners(event: str) -> list[str]:
    """The dotted paths of the functions that receive `event`."""
    return list(settings.EVENT_LISTENERS.get(event, ()))


def announce(event: str, **payload) -> list[int]:
    """Announce `event` with a JSON-serialisable payload; returns the delivery ids.

    Called inside the transaction that makes the change: the deliveries commit with it, or
    not at all, and are queued after the commit.
    """
    return announce_at(timezone.now(), event, **payload)


def announce_at(when: dt.datetime, event: str, **payload) -> list[int]:
    """`announce`, delivered at `when` rather than at once (a scheduled publication): the
    queue holds the delivery until then, and the sweep delivers it if the queue lost it."""
    names = listeners(event)
    if not names:
        return []
    uid = uuid.uuid4()
    rows = Delivery.objects.bulk_create(
        Delivery(event=event, uid=uid, payload=payload, listener=name, next_attempt_at=when)
        for name in names
    )
    ids = [row.pk for row in rows]
    transaction.on_commit(
        lambda: enqueue(ids, delay=max(0.0, (when - timezone.now()).total_seconds()))
    )
    return ids
