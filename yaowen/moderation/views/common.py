"""What every workspace page shares: who may enter and where to go back to."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.urls import reverse

from yaowen.core.http import safe_next
from yaowen.governance.roles import Role, can, role_of


def require_editor(request: HttpRequest) -> None:
    """Readers and creators get a 403; the workspace is for editors and administrators."""
    if role_of(request.user) not in (Role.EDITOR, Role.ADMIN):
        raise PermissionDenied


def require_any(request: HttpRequest, actions: Iterable[str], channel_id: int | None) -> set[str]:
    """The actions of `actions` the user may do on something in `channel_id`; 403 if none."""
    require_editor(request)
    allowed = {str(a) for a in actions if can(request.user, a, channel_id=channel_id)}
    if not allowed:
        raise PermissionDenied
    return allowed


def back_url(request: HttpRequest) -> str:
    """Where the editor came from (?next=, the queue with its filters), else the workspace.

    Only a path on this site: `redirect()` would try to reverse a bare word as a view name."""
    return safe_next(request, reverse("moderation:queue"))
