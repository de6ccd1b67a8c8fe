"""Template context every page needs: site name, care mode, channel navigation, the
inbox count and the moderation link."""

from django.conf import settings
from django.http import HttpRequest

from yaowen.core.care import TEXT_SIZES, care_mode_enabled, html_class, text_size_step
from yaowen.governance.inbox import unread_count
from yaowen.governance.roles import Role, role_of
from yaowen.newsroom.selectors import channel_list


def site(request: HttpRequest) -> dict:
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
