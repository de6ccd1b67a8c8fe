"""The audit log for administrators: filtered, paginated, and exported as CSV."""

import csv
import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from yaowen.core.pagination import paginate
from yaowen.governance.audit import audit_action_choices
from yaowen.governance.models import AuditEntry
from yaowen.governance.roles import Action, can
from yaowen.moderation.forms import AuditFilterForm
from yaowen.moderation.selectors import audit_entries

EXPORT_COLUMNS = (
    _("时间"),
    _("操作人"),
    _("操作"),
    _("操作代码"),
    _("对象类型"),
    _("对象编号"),
    _("原因"),
    _("操作前"),
    _("操作后"),
)
SYSTEM = _("系统")
# Excel runs a cell starting with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _require_admin(request: HttpRequest) -> None:
    if not can(request.user, Action.AUDIT_VIEW):
        raise PermissionDenied


def _filter_form(request: HttpRequest) -> AuditFilterForm:
    return AuditFilterForm(request.GET)


def _query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    form = _filter_form(request)
    page = paginate(audit_entries(form.filters()), request.GET.get("page"), per_page=50)
    entries = list(page.object_list)
    for entry in entries:
        entry.before_text, entry.after_text = _state(entry.before), _state(entry.after)
    return render(
        request,
        "moderation/audit.html",
        {"form": form, "page": page, "entries": entries, "page_query": _query(request)},
    )


class _Echo:
    """A file-like object whose write() hands the line back, for csv.writer to stream."""

    def write(self, value: str) -> str:
        return value


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _state(state) -> str:
    return "" if state is None else json.dumps(state, ensure_ascii=False, sort_keys=True)


def _rows(entries, *, header: list[str], actions: dict, subjects: dict, system: str):
    writer = csv.writer(_Echo())
    # The byte-order mark makes Excel read the file as UTF-8 (Chinese stays Chinese).
    yield "\ufeff" + writer.writerow(header)
    for entry in entries.iterator(chunk_size=500):
        yield writer.writerow(
            [
                timezone.localtime(entry.created_at).strftime("%Y-%m-%d %H:%M:%S"),
                _cell(entry.actor.username if entry.actor else system),
                _cell(actions.get(entry.action, entry.action)),
                entry.action,
                subjects.get(entry.subject_type, entry.subject_type),
                entry.subject_id,
                _cell(entry.reason),
                _cell(_state(entry.before)),
                _cell(_state(entry.after)),
            ]
        )


@login_required
@require_GET
def audit_export(request: HttpRequest) -> HttpResponse:
    """The filtered log as CSV (UTF-8 with BOM), streamed row by row."""
    _require_admin(request)
    form = _filter_form(request)
    if not form.is_valid():
        errors = "；".join(str(e) for errors in form.errors.values() for e in errors)
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    # Labels are translated now: the language is no longer active while the rows stream.
    rows = _rows(
        audit_entries(form.filters()),
        header=[str(title) for title in EXPORT_COLUMNS],
        actions=dict(audit_action_choices()),
        subjects={code: str(label) for code, label in AuditEntry.SubjectType.choices},
        system=str(SYSTEM),
    )
    response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    return response
