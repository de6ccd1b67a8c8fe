"""Who may do what: the four roles of the platform and the moderation actions they allow.

A role is derived from what the account already has (superuser, groups, Django review
permissions, a creator profile), so existing editor accounts keep working. Services call
`require()` before they write; templates may call `can()` to hide what is not allowed.
Editors may be limited to some channels (`EditorScope`); administrators can do everything.
"""

from django.utils.translation import gettext_lazy as _

from yaowen.core.errors import PermissionDeniedError
from yaowen.governance.actions import Action, Role
from yaowen.governance.models import EditorScope

ADMIN_GROUP = "管理员"
EDITOR_GROUP = "编辑"
# Django permissions that make an account an editor (the demo editor has these).
EDITOR_PERMISSIONS = (
    "accounts.review_application",
    "newsroom.review_article",
    "engagement.review_report",
)
ADMIN_PERMISSION = "governance.administer"

NOT_ALLOWED = _("你没有权限进行这项操作。")
OUT_OF_SCOPE = _("这项内容不在你负责的频道内。")


# Administrators only: the record of everyone's acts, and the lists that act on everyone.
ADMIN_ONLY = frozenset({Action.AUDIT_VIEW, Action.WORDS_EDIT})
EDITOR_ACTIONS = frozenset(Action) - ADMIN_ONLY
ALLOWED: dict[str, frozenset[str]] = {
    Role.READER: frozenset(),
    Role.CREATOR: frozenset(),
    Role.EDITOR: EDITOR_ACTIONS,
    Role.ADMIN: frozenset(Action),
}

_ROLE_CACHE = "_yaowen_role"
_SCOPE_CACHE = "_yaowen_channels"


def role_of(user) -> Role:
    """The strongest role of `user` (anonymous: reader); cached on the user object."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Role.READER
    cached = getattr(user, _ROLE_CACHE, None)
    if cached is not None:
        return cached
    groups = set(user.groups.values_list("name", flat=True))
    if user.is_superuser or ADMIN_GROUP in groups or user.has_perm(ADMIN_PERMISSION):
        role = Role.ADMIN
    elif EDITOR_GROUP in groups or any(user.has_perm(perm) for perm in EDITOR_PERMISSIONS):
        role = Role.EDITOR
    elif hasattr(user, "creator"):
        role = Role.CREATOR
    else:
        role = Role.READER
    setattr(user, _ROLE_CACHE, role)
    return role


def editor_channel_ids(user) -> set[int] | None:
    """The channels an editor works on: None for every channel (administrators, and editors
    without an `EditorScope`), an empty set for people who are not editors at all."""
    role = role_of(user)
    if role == Role.ADMIN:
        return None
    if role != Role.EDITOR:
        return set()
    if not hasattr(user, _SCOPE_CACHE):
        scope = EditorScope.objects.filter(user=user).first()
        ids = None if scope is None else set(scope.channels.values_list("pk", flat=True))
        setattr(user, _SCOPE_CACHE, ids)
    cached = getattr(user, _SCOPE_CACHE)
    return None if cached is None else set(cached)


def can(user, action: str, *, channel_id: int | None = None) -> bool:
    """Whether `user` may do `action`, on something in `channel_id` when it has a channel."""
    if action not in ALLOWED[role_of(user)]:
        return False
    if channel_id is None:
        return True
    channels = editor_channel_ids(user)
    return channels is None or channel_id in channels


def require(user, action: str, *, channel_id: int | None = None) -> None:
    """Raise PermissionDeniedError unless `user` may do `action` (in `channel_id`)."""
    if not can(user, action):
        raise PermissionDeniedError(str(NOT_ALLOWED))
    if not can(user, action, channel_id=channel_id):
        raise PermissionDeniedError(str(OUT_OF_SCOPE))
