"""Follower counts stay exact under concurrent follows and unfollows (PostgreSQL)."""

import random
import threading

import pytest
from django.db import connection, connections

from yaowen.accounts.models import CreatorProfile, Follow
from yaowen.accounts.services import follow_create, follow_delete
from yaowen.core.tests.factories import CreatorFactory, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs real concurrent writers: runs in the PostgreSQL pass of bin/test",
    ),
]


def test_eight_threads_following_and_unfollowing_keep_the_count_exact():
    creator = CreatorFactory()
    readers = UserFactory.create_batch(12)
    errors: list[BaseException] = []

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        try:
            for _step in range(25):  # 8 threads × 25 = 200 operations
                reader = rng.choice(readers)
                if rng.random() < 0.55:
                    follow_create(follower=reader, creator=creator)
                else:
                    follow_delete(follower=reader, creator=creator)
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(seed,)) for seed in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    stored = CreatorProfile.objects.get(pk=creator.pk).follower_count
    assert stored == Follow.objects.filter(followee=creator.user).count()
