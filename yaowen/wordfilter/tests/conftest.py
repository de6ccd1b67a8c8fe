"""Accounts in each role, for the word-list tests."""

import pytest
from django.contrib.auth.models import Permission

from yaowen.core.tests.factories import UserFactory


@pytest.fixture
def admin(db):
    return UserFactory(is_superuser=True, is_staff=True)


@pytest.fixture
def editor(db):
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="review_article"))
    return user


@pytest.fixture
def reader(db):
    return UserFactory()
