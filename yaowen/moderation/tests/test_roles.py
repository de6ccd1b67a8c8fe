"""Roles: who is a reader, creator, editor or administrator, and what each may do."""

import pytest
from django.contrib.auth.models import AnonymousUser, Permission

from yaowen.core.errors import PermissionDeniedError
from yaowen.core.tests.factories import CreatorFactory
from yaowen.governance.roles import (
    NOT_ALLOWED,
    OUT_OF_SCOPE,
    Action,
    Role,
    can,
    editor_channel_ids,
    require,
    role_of,
)
from yaowen.moderation.tests import people
from yaowen.newsroom.models import Channel

pytestmark = pytest.mark.django_db

ADMIN_ONLY = {Action.AUDIT_VIEW, Action.WORDS_EDIT}
# Written out rather than read from roles.py, so a change to the table shows up here.
EXPECTED = {
    Role.READER: set(),
    Role.CREATOR: set(),
    Role.EDITOR: set(Action) - ADMIN_ONLY,
    Role.ADMIN: set(Action),
}


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("role", list(Role))
def test_every_action_for_every_role(role, action):
    user = people.of_role(role)
    assert role_of(user) == role
    if action in EXPECTED[role]:
        assert can(user, action)
        require(user, action)  # does not raise
    else:
        assert not can(user, action)
        with pytest.raises(PermissionDeniedError) as refused:
            require(user, action)
        assert refused.value.message == str(NOT_ALLOWED)


def test_anonymous_and_inactive_people_are_readers():
    assert role_of(AnonymousUser()) == Role.READER
    assert role_of(None) == Role.READER
    assert not can(AnonymousUser(), Action.COMMENT_HIDE)
    lapsed = people.admin()
    lapsed.is_active = False
    lapsed.save()
    assert role_of(people.fresh(lapsed)) == Role.READER


@pytest.mark.parametrize("codename", ["review_application", "review_article", "review_report"])
def test_any_review_permission_makes_an_editor(codename):
    user = people.editor(codename)
    assert role_of(user) == Role.EDITOR
    assert can(user, Action.ARTICLE_TAKE_DOWN) and not can(user, Action.AUDIT_VIEW)


def test_groups_and_the_administer_permission():
    assert role_of(people.editor()) == Role.EDITOR  # group 编辑
    assert role_of(people.admin(superuser=False)) == Role.ADMIN  # group 管理员
    user = people.reader()
    user.user_permissions.add(Permission.objects.get(codename="administer"))
    assert role_of(people.fresh(user)) == Role.ADMIN
    # An editor who also has a creator profile is still an editor.
    writer = CreatorFactory().user
    writer.user_permissions.add(Permission.objects.get(codename="review_article"))
    assert role_of(people.fresh(writer)) == Role.EDITOR


def test_editors_limited_to_channels():
    tech, sports = Channel.objects.get(slug="tech"), Channel.objects.get(slug="sports")
    scoped = people.editor("review_article", channels=("tech",))
    assert editor_channel_ids(scoped) == {tech.pk}
    assert can(scoped, Action.ARTICLE_TAKE_DOWN, channel_id=tech.pk)
    assert not can(scoped, Action.ARTICLE_TAKE_DOWN, channel_id=sports.pk)
    with pytest.raises(PermissionDeniedError) as refused:
        require(scoped, Action.COMMENT_HIDE, channel_id=sports.pk)
    assert refused.value.message == str(OUT_OF_SCOPE)
    # Actions that concern no channel are not limited.
    assert can(scoped, Action.READER_BAN)


def test_unscoped_editors_and_admins_work_on_every_channel_others_on_none():
    sports = Channel.objects.get(slug="sports")
    anywhere = people.editor("review_article")
    assert editor_channel_ids(anywhere) is None
    assert can(anywhere, Action.ARTICLE_RESTORE, channel_id=sports.pk)
    assert editor_channel_ids(people.admin()) is None
    assert editor_channel_ids(people.reader()) == set()
    assert not can(people.creator(), Action.ARTICLE_RESTORE, channel_id=sports.pk)
