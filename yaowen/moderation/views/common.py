"""What every workspace page shares: who may enter, where to go back to, closing reports."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from yaowen.engagement.models import Report
from yaowen.engagement.services.reactions import report_close
from yaowen.moderation.roles import Action, Role, can, role_of
from yaowen.moderation.services.audit import audit_record

# The audit action of "flag checked, nothing to do" (moderation.models.EVENT_LABELS names it).
FLAG_CLEAR = "flag_clear"


def require_editor(request: HttpRequest) -> None:
    """Readers and creators get a 403; the workspace is for editors and administrators."""
    if role_of(request.user) not in (Role.EDITOR, Role.ADMIN):
        raise PermissionDenied


def require_any(request: HttpRequest, actions: Iterable[str], channel_id: int | None) -> set[str]:
    """The actions of `actions` the user may do on something in `channel_id`; 403 if none."""
    require_editor(request)
    allowed = {str(a) for a in actions if can(request.user, a, channel_id=channel_id)}
    if not allowed:
        raise PermissionDenied
    return allowed


def back_url(request: HttpRequest) -> str:
    """Where the editor came from (?next=, the queue with its filters), else the workspace."""
    target = request.GET.get("next") or request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("moderation:queue")


def reports_close(*, reports: Iterable[Report], by, status: str) -> int:
    """Close every given open report (acted on: resolved; found baseless: dismissed)."""
    closed = 0
    for report in reports:
        if report.status == Report.Status.OPEN:
            report_close(report=report, by=by, status=status)
            closed += 1
    return closed


def reports_dismiss(
    *, reports: list[Report], by, reason: str, subject_type: str, subject_id: int
) -> int:
    """Dismiss the open reports of one article or comment, and log why."""
    closed = reports_close(reports=reports, by=by, status=Report.Status.DISMISSED)
    if closed:
        audit_record(
            actor=by,
            action=Action.REPORT_REVIEW,
            subject_type=subject_type,
            subject_id=subject_id,
            reason=reason,
            before={"open_reports": closed},
            after={"open_reports": 0, "status": Report.Status.DISMISSED},
        )
    return closed


def flags_clear(*, subject_type: str, subject_id: int, by, reason: str, codes: set[str]) -> None:
    """An editor looked at a flagged article or comment and keeps it: the log says so, and
    the item leaves the 自动标记 queue (until it is submitted again)."""
    audit_record(
        actor=by,
        action=FLAG_CLEAR,
        subject_type=subject_type,
        subject_id=subject_id,
        reason=reason,
        before={"flags": sorted(codes)},
        after={"flags": []},
    )
