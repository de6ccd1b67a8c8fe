"""关怀版 (care mode): the reader's switch and text size, kept in cookies and rendered by the
server (the context processor puts the class on <html>), so no page flashes the normal look.

States: ``on``, ``off``, and ``size-<n>`` (n indexes ``TEXT_SIZES``), which also turns care
mode on: picking a larger text is asking for the care layout.
"""

from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from yaowen.core.care import CARE_COOKIE, TEXT_SIZE_COOKIE, TEXT_SIZES
from yaowen.core.http import safe_next

CARE_COOKIE_AGE = 365 * 24 * 3600
CARE_STATE_UNKNOWN = _("无法识别这个关怀版设置。请使用下面的按钮进入或退出关怀版、调整文字大小。")
SIZE_STATES = {f"size-{index}": index for index in range(len(TEXT_SIZES))}


def _keep(response: HttpResponse, name: str, value: str) -> None:
    # httponly: no script reads these; the server renders the choice into the page.
    response.set_cookie(name, value, max_age=CARE_COOKIE_AGE, samesite="Lax", httponly=True)


@require_GET
def care_mode(request: HttpRequest, state: str) -> HttpResponse:
    """Switch 关怀版 on or off, or pick its text size; cookies keep the choice for a year."""
    if state not in ("on", "off") and state not in SIZE_STATES:
        response = render(request, "web/accessibility.html", {"care_error": CARE_STATE_UNKNOWN})
        response.status_code = 400
        return response
    target = safe_next(request, reverse("web:home"))
    if urlsplit(target).path.startswith(reverse("web:care", args=["on"]).removesuffix("on/")):
        # Links on the 400 page point back to it; land on the explanation instead.
        target = reverse("web:accessibility")
    response = HttpResponseRedirect(target)
    if state == "off":
        # The size cookie stays: coming back to care mode restores the reader's size.
        response.delete_cookie(CARE_COOKIE, samesite="Lax")
        return response
    _keep(response, CARE_COOKIE, "1")
    if state in SIZE_STATES:
        _keep(response, TEXT_SIZE_COOKIE, str(SIZE_STATES[state]))
    return response
