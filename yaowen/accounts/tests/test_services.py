"""Following creators keeps exact follower counts and refuses what makes no sense."""

import pytest
from django.db import IntegrityError

from yaowen.accounts.models import CreatorProfile, Follow
from yaowen.accounts.services import (
    CANNOT_FOLLOW_SELF,
    CREATOR_SUSPENDED,
    follow_create,
    follow_delete,
)
from yaowen.core.errors import ApplicationError
from yaowen.core.tests.factories import CreatorFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_follow_counts_once_and_unfollow_uncounts():
    creator, reader = CreatorFactory(), UserFactory()
    assert follow_create(follower=reader, creator=creator) is True
    assert follow_create(follower=reader, creator=creator) is False
    creator.refresh_from_db()
    assert creator.follower_count == 1
    assert follow_delete(follower=reader, creator=creator) is True
    assert follow_delete(follower=reader, creator=creator) is False
    creator.refresh_from_db()
    assert creator.follower_count == 0


def test_cannot_follow_yourself():
    creator = CreatorFactory()
    with pytest.raises(ApplicationError) as error:
        follow_create(follower=creator.user, creator=creator)
    assert error.value.message == str(CANNOT_FOLLOW_SELF)
    assert not Follow.objects.exists()


def test_database_refuses_a_self_follow_even_without_the_service():
    user = UserFactory()
    with pytest.raises(IntegrityError):
        Follow.objects.create(follower=user, followee=user)


def test_suspended_creators_cannot_gain_followers():
    creator = CreatorFactory(status=CreatorProfile.Status.SUSPENDED)
    with pytest.raises(ApplicationError) as error:
        follow_create(follower=UserFactory(), creator=creator)
    assert error.value.message == str(CREATOR_SUSPENDED)
