"""A small site for the page cache's tests: views that count their calls."""

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.urls import path
from django.utils import timezone

from yaowen.core.pagecache import anonymous_page, page_facts, pages_invalidate

# How many times each view really ran (a page served from the cache does not run it).
calls: dict[str, int] = {}
CHANGED = timezone.now().replace(microsecond=0) - dt.timedelta(days=2)


def _ran(name: str) -> None:
    calls[name] = calls.get(name, 0) + 1


@anonymous_page
def page(request: HttpRequest, name: str) -> HttpResponse:
    _ran("page")
    body = f"<p>{request.path} {request.GET.urlencode()} {request.LANGUAGE_CODE}</p>"
    return page_facts(HttpResponse(body), last_modified=CHANGED)


@anonymous_page
def undated(request: HttpRequest) -> HttpResponse:
    _ran("undated")
    return HttpResponse("<p>no known change time</p>")


@anonymous_page
def with_form(request: HttpRequest) -> HttpResponse:
    _ran("with_form")
    # What {% csrf_token %} renders: this reader's token.
    token = get_token(request)
    return HttpResponse(f'<form method=post><input name="csrfmiddlewaretoken" value="{token}">')


@anonymous_page
def missing(request: HttpRequest) -> HttpResponse:
    _ran("missing")
    return HttpResponse("gone", status=404)


@anonymous_page
def racing(request: HttpRequest) -> HttpResponse:
    """Its first render is overtaken by a change to the page (an edit committing)."""
    _ran("racing")
    if calls["racing"] == 1:
        pages_invalidate([request.path_info])
    return HttpResponse(f"render {calls['racing']}")


def plain(request: HttpRequest) -> HttpResponse:
    _ran("plain")
    return HttpResponse("not opted in")


urlpatterns = [
    path("p/<slug:name>/", page),
    path("undated/", undated),
    path("form/", with_form),
    path("missing/", missing),
    path("racing/", racing),
    path("plain/", plain),
]
handler400 = "yaowen.web.errors.bad_request"  # the site's, as config/urls.py sets it
