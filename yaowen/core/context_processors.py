"""Template context every page needs: site name, care mode, channel navigation."""

from django.conf import settings
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


def site(request: HttpRequest) -> dict:
    # Imported lazily: the context processor module is loaded before apps are ready.
    from yaowen.engagement.selectors import unread_count
    from yaowen.moderation.roles import Role, role_of
    from yaowen.newsroom.selectors import channel_list

    channels = channel_list()
    user = getattr(request, "user", None)
    match = request.resolver_match
    care = care_mode_enabled(request)
    step = text_size_step(request)
    return {
        "SITE_NAME": settings.SITE_NAME,
        "care_mode": care,
        "html_class": html_class(request),
        "text_sizes": [
            {"state": f"size-{index}", "label": label, "percent": percent, "current": index == step}
            for index, (label, percent) in enumerate(TEXT_SIZES)
        ]
        if care
        else [],
        "nav_channels": channels,
        # The navigation fragment is cached per channel list and per highlighted entry.
        "nav_version": (
            f"{len(channels)}-"
            f"{max((channel.updated_at.timestamp() for channel in channels), default=0)}"
        ),
        "nav_current": match.kwargs.get("slug", match.url_name) if match else "",
        # A callable: templates evaluate it only where they show it (logged-in headers).
        "inbox_unread": (lambda: unread_count(user=user)) if user is not None else 0,
        # Editors and administrators see the 审核 link (also only evaluated when shown).
        "can_moderate": (lambda: role_of(user) in (Role.EDITOR, Role.ADMIN))
        if user is not None
        else False,
    }
