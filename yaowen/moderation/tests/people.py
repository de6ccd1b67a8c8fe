"""Accounts of each role for the moderation tests (roles, audit, actions, appeals)."""

from django.contrib.auth.models import Group, Permission

from yaowen.accounts.models import User
from yaowen.core.tests.factories import CreatorFactory, UserFactory
from yaowen.governance.models import EditorScope
from yaowen.newsroom.models import Channel


def fresh(user: User) -> User:
    """The user reloaded, without cached permissions or role."""
    return User.objects.get(pk=user.pk)


def reader() -> User:
    return fresh(UserFactory())


def creator() -> User:
    return fresh(CreatorFactory().user)


def editor(*codenames: str, channels: tuple[str, ...] = ()) -> User:
    """An editor through Django permissions (the demo editor's way) or, without
    `codenames`, through the group 编辑; limited to `channels` (slugs) when given."""
    user = UserFactory(is_staff=True)
    if codenames:
        user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    else:
        user.groups.add(Group.objects.get_or_create(name="编辑")[0])
    if channels:
        scope = EditorScope.objects.create(user=user)
        scope.channels.set(Channel.objects.filter(slug__in=channels))
    return fresh(user)


def admin(*, superuser: bool = True) -> User:
    """An administrator: a superuser, or a member of the group 管理员."""
    user = UserFactory(is_staff=True, is_superuser=superuser)
    if not superuser:
        user.groups.add(Group.objects.get_or_create(name="管理员")[0])
    return fresh(user)


def of_role(role: str) -> User:
    return {"reader": reader, "creator": creator, "editor": editor, "admin": admin}[role]()
