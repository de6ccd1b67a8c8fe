"""关怀版 (care mode) as a request carries it: on or off, the text size step, and the page
variant and <html> class they make. The page cache keys on `care_state`."""

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

CARE_COOKIE = "yw_care"
# 关怀版 text size step, kept apart from the on/off cookie so that leaving care mode and
# coming back keeps the reader's size. Only read while care mode is on.
TEXT_SIZE_COOKIE = "yw_text"
# Steps as (label, percent of the normal body size). The MIIT ageing-friendly guidelines ask
# for adjustable type whose largest step is at least 150 %; care.css holds the sizes.
TEXT_SIZES = (
    (_("标准"), 100),
    (_("大"), 125),
    (_("特大"), 150),
    (_("超大"), 175),
)
TEXT_SIZE_DEFAULT = 1


def care_mode_enabled(request: HttpRequest) -> bool:
    return request.COOKIES.get(CARE_COOKIE) == "1"


def text_size_step(request: HttpRequest) -> int:
    """The care-mode size step from the cookie; anything unexpected means the default."""
    value = request.COOKIES.get(TEXT_SIZE_COOKIE, "")
    if value.isascii() and value.isdigit() and int(value) < len(TEXT_SIZES):
        return int(value)
    return TEXT_SIZE_DEFAULT


def care_state(request: HttpRequest) -> str:
    """How the page renders for this reader: "std", or "care-<step>" ("care-0" … "care-3").

    Every cookie that changes the rendered HTML is folded in here, so a page cache keyed on
    it never serves one reader's layout to another.
    """
    if not care_mode_enabled(request):
        return "std"
    return f"care-{text_size_step(request)}"


def html_class(request: HttpRequest) -> str:
    """The class of <html>: "care" plus "text-<step>" unless the step is the default."""
    if not care_mode_enabled(request):
        return ""
    step = text_size_step(request)
    return "care" if step == TEXT_SIZE_DEFAULT else f"care text-{step}"
