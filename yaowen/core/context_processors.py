"""Template context every page needs: site name, care mode, channel navigation."""

from django.conf import settings
from django.http import HttpRequest

CARE_COOKIE = "yw_care"


def care_mode_enabled(request: HttpRequest) -> bool:
    return request.COOKIES.get(CARE_COOKIE) == "1"


def site(request: HttpRequest) -> dict:
    # Imported lazily: the context processor module is loaded before apps are ready.
    from yaowen.newsroom.selectors import channel_list

    return {
        "SITE_NAME": settings.SITE_NAME,
        "care_mode": care_mode_enabled(request),
        "nav_channels": channel_list(),
    }
