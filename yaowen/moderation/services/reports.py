"""Closing reports and clearing automatic flags: the workspace's acts that leave the
reported or flagged item as it is."""

from collections.abc import Iterable

from yaowen.accounts.models import User
from yaowen.core.errors import PermissionDeniedError
from yaowen.engagement.models import Report
from yaowen.engagement.services.reactions import report_close
from yaowen.governance.audit import audit_record
from yaowen.governance.roles import NOT_ALLOWED, Action, Role, role_of

# The audit action of "flag checked, nothing to do" (moderation.models.EVENT_LABELS names it).
FLAG_CLEAR = "flag_clear"


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


def flags_clear(
    *, subject_type: str, subject_id: int, by: User, reason: str, codes: set[str]
) -> None:
    """An editor looked at a flagged article or comment and keeps it: the log says so, and
    the item leaves the 自动标记 queue (until it is submitted again)."""
    if role_of(by) not in (Role.EDITOR, Role.ADMIN):
        raise PermissionDeniedError(str(NOT_ALLOWED))
    audit_record(
        actor=by,
        action=FLAG_CLEAR,
        subject_type=subject_type,
        subject_id=subject_id,
        reason=reason,
        before={"flags": sorted(codes)},
        after={"flags": []},
    )
