"""Language switch: a GET link that keeps the reader's choice in Django's language cookie."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from yaowen.core.http import safe_next

LANGUAGE_COOKIE_AGE = 365 * 24 * 3600


@require_GET
def language_switch(request: HttpRequest, code: str) -> HttpResponse:
    """Remember `code` in the language cookie and go back to `next`.

    A GET link rather than Django's POST `set_language`: anonymous pages come from the
    page cache and carry no CSRF token. LocaleMiddleware reads the cookie before
    Accept-Language, so the choice wins over the browser's preference.
    """
    codes = [language for language, _name in settings.LANGUAGES]
    if code not in codes:
        return HttpResponseBadRequest(
            _("不支持这种语言：%(code)s。可选：%(codes)s。")
            % {"code": code, "codes": ", ".join(codes)},
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponseRedirect(safe_next(request, reverse("web:home")))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE or LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE or request.is_secure(),
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite="Lax",
    )
    return response
