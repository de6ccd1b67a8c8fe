"""The audit log as administrators read it: filtered, newest first."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from yaowen.accounts.models import User
from yaowen.governance.models import AuditEntry


@dataclass(frozen=True)
class AuditFilter:
    """Narrow the log; empty values mean "all". Dates are local calendar days, inclusive."""

    actor: User | None = None
    action: str = ""
    subject_type: str = ""
    since: dt.date | None = None
    until: dt.date | None = None


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def audit_entries(filters: AuditFilter = AuditFilter()) -> QuerySet[AuditEntry]:
    """Entries matching every given filter, newest first, with their actors."""
    queryset = AuditEntry.objects.select_related("actor")
    if filters.actor is not None:
        queryset = queryset.filter(actor=filters.actor)
    if filters.action:
        queryset = queryset.filter(action=filters.action)
    if filters.subject_type:
        queryset = queryset.filter(subject_type=filters.subject_type)
    if filters.since is not None:
        queryset = queryset.filter(created_at__gte=_day_start(filters.since))
    if filters.until is not None:
        queryset = queryset.filter(created_at__lt=_day_start(filters.until + dt.timedelta(days=1)))
    return queryset.order_by("-created_at", "-pk")


def audit_for(*, subject_type: str, subject_id: int) -> QuerySet[AuditEntry]:
    """One article's or comment's moderation history, newest first."""
    return audit_entries(AuditFilter(subject_type=subject_type)).filter(subject_id=subject_id)


def audit_actors() -> QuerySet[User]:
    """Everyone who has acted, for the actor filter."""
    return User.objects.filter(audit_entries__isnull=False).distinct().order_by("username")
