"""关怀版 (care mode): the reader's switch, kept in a cookie and rendered by the server."""

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_GET

from yaowen.core.context_processors import CARE_COOKIE
from yaowen.core.http import safe_next

CARE_COOKIE_AGE = 365 * 24 * 3600


@require_GET
def care_mode(request: HttpRequest, state: str) -> HttpResponse:
    """Switch 关怀版 on or off; a cookie keeps the choice and the server renders it."""
    response = HttpResponseRedirect(safe_next(request, reverse("web:home")))
    if state == "on":
        response.set_cookie(
            CARE_COOKIE, "1", max_age=CARE_COOKIE_AGE, samesite="Lax", httponly=True
        )
    else:
        response.delete_cookie(CARE_COOKIE, samesite="Lax")
    return response
