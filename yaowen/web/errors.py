"""Error pages that look like the site."""

from django.http import HttpRequest, HttpResponse
from django.template import loader


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return HttpResponse(loader.render_to_string("404.html", request=request), status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return HttpResponse(loader.render_to_string("500.html"), status=500)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # Standalone, like 500.html: a request this broken (a forged Host header) may not get
    # through the site's context processors.
    return HttpResponse(loader.render_to_string("400.html"), status=400)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return HttpResponse(loader.render_to_string("403.html", request=request), status=403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without a valid CSRF token (an old page, cookies blocked): said plainly,
    in the site's style, instead of Django's English page."""
    page = loader.render_to_string("403.html", {"csrf_failed": True}, request=request)
    return HttpResponse(page, status=403)
