"""Template context every page needs: site name, care mode, channel navigation."""

from django.conf import settings
from django.http import HttpRequest

CARE_COOKIE = "yw_care"


def care_mode_enabled(request: HttpRequest) -> bool:
    return request.COOKIES.get(CARE_COOKIE) == "1"


def site(request: HttpRequest) -> dict:
    # Imported lazily: the context processor module is loaded before apps are ready.
    from yaowen.engagement.selectors import unread_count
    from yaowen.newsroom.selectors import channel_list

    channels = channel_list()
    user = getattr(request, "user", None)
    match = request.resolver_match
    return {
        "SITE_NAME": settings.SITE_NAME,
        "care_mode": care_mode_enabled(request),
        "nav_channels": channels,
        # The navigation fragment is cached per channel list and per highlighted entry.
        "nav_version": (
            f"{len(channels)}-"
            f"{max((channel.updated_at.timestamp() for channel in channels), default=0)}"
        ),
        "nav_current": match.kwargs.get("slug", match.url_name) if match else "",
        # A callable: templates evaluate it only where they show it (logged-in headers).
        "inbox_unread": (lambda: unread_count(user=user)) if user is not None else 0,
    }
