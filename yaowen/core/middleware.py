"""A database that refuses writes (read-only, disk full, locked too long) or does not answer
gets a 503 maintenance page in the site's style, not the generic 500: JSON for scripts,
`Retry-After` for everyone, logged once a minute, and nothing counted for the refused
request (its rate-limit hits are taken back).

The errors are told apart by the driver's own codes: SQLite's result names
(`SQLITE_READONLY`, `SQLITE_FULL`, `SQLITE_BUSY` …) and PostgreSQL's SQLSTATEs
(`25006` read_only_sql_transaction, `53100` disk_full, `55P03` lock_not_available, the
connection classes), plus a connection that could not be made at all.
"""

import sys

from django.conf import settings
from django.core.signals import got_request_exception
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _

from yaowen.core import ratelimit
from yaowen.core.cache import outage
from yaowen.core.http import wants_json

RETRY_AFTER_SECONDS = 120
UNAVAILABLE = _("网站正在维护，暂时无法保存，请稍后再试。")

# SQLite result names (Python 3.11+: `sqlite_errorname`), extended codes included by prefix.
_SQLITE_WRITES = ("SQLITE_READONLY", "SQLITE_FULL", "SQLITE_BUSY", "SQLITE_LOCKED")
_SQLITE_DOWN = ("SQLITE_IOERR", "SQLITE_CANTOPEN")
# PostgreSQL SQLSTATEs: writes refused while reads still work …
_PG_WRITES = {
    "25006",  # read_only_sql_transaction (a standby, default_transaction_read_only)
    "53100",  # disk_full
    "53000",  # insufficient_resources
    "55P03",  # lock_not_available (lock_timeout)
}
# … and the server not answering at all (classes 08: connection; 57P0x: shutting down or
# starting).
_PG_DOWN = {"57P01", "57P02", "57P03", "53300"}  # 53300: too_many_connections
_PG_DOWN_CLASSES = ("08",)

_FAILURE = "_yaowen_database_unavailable"

database = outage("database")


def database_unavailable(exc: BaseException | None) -> str | None:
    """ "write" if the database refused a write it would take when healthy, "down" if it
    does not answer, else None; looks through the exceptions `exc` was raised from."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        kind = _kind(exc)
        if kind is not None:
            return kind
        exc = exc.__cause__ or exc.__context__
    return None


def _kind(exc: BaseException) -> str | None:
    name = getattr(exc, "sqlite_errorname", None)
    if isinstance(name, str):
        if name.startswith(_SQLITE_WRITES):
            return "write"
        return "down" if name.startswith(_SQLITE_DOWN) else None
    if not hasattr(exc, "sqlstate") or not type(exc).__module__.startswith("psycopg"):
        return None
    state = exc.sqlstate
    if state is None:
        # psycopg raises OperationalError without a state when no connection could be made
        # (refused, timed out, the server gone).
        return "down" if type(exc).__name__ == "OperationalError" else None
    if state in _PG_WRITES:
        return "write"
    if state in _PG_DOWN or state.startswith(_PG_DOWN_CLASSES):
        return "down"
    return None


def _noted(sender, request: HttpRequest | None = None, **kwargs) -> None:
    """Every uncaught exception, also those raised in other middleware (a session saved after
    the view): remember a database failure for the middleware's answer."""
    exc = sys.exc_info()[1]
    kind = database_unavailable(exc)
    if request is not None and kind is not None:
        setattr(request, _FAILURE, kind)
        database.failed(f"{request.method} {request.path}", exc)


got_request_exception.connect(_noted, dispatch_uid="yaowen.core.middleware.database")


class DatabaseUnavailableMiddleware:
    """Answers 503 for a request the database failed (see the module docstring). Placed
    before the session middleware, so a session it could not save is caught too."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with ratelimit.ledger() as counted:
            response = self.get_response(request)
        kind = getattr(request, _FAILURE, None)
        if kind is None:
            return response
        # The request changed nothing, so it must use none of anyone's allowance, and a page
        # it did not show was not viewed.
        ratelimit.take_back(counted)
        if getattr(response, "database_unavailable", False):
            return response
        return unavailable_response(request, kind)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        kind = database_unavailable(exception)
        if kind is None:
            return None
        setattr(request, _FAILURE, kind)
        database.failed(f"{request.method} {request.path}", exception)
        return unavailable_response(request, kind)


def unavailable_response(request: HttpRequest, kind: str) -> HttpResponse:
    """The 503 answer: JSON for scripts, else the maintenance page."""
    if wants_json(request) or request.content_type == "application/json":
        response: HttpResponse = JsonResponse(
            {"error": str(UNAVAILABLE), "retry_after": RETRY_AFTER_SECONDS}, status=503
        )
    else:
        response = _page(request, kind)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    response.database_unavailable = True
    # Logged once a minute by `database` instead of once per request by django.request.
    response._has_been_logged = True
    return response


def _page(request: HttpRequest, kind: str) -> HttpResponse:
    context = {
        "write": request.method not in ("GET", "HEAD", "OPTIONS"),
        "reading": kind == "write",
        "retry_minutes": max(1, RETRY_AFTER_SECONDS // 60),
    }
    if kind == "write":
        try:
            return render(request, "503.html", context, status=503)
        except Exception as exc:  # the page's own reads failed too
            database.failed("render the maintenance page", exc)
    # Without the request: no user, session or channel list, nothing that reads the database.
    html = render_to_string("503.html", {**context, "SITE_NAME": settings.SITE_NAME})
    return HttpResponse(html, status=503)
