"""`manage.py standing refresh [--creator ID]`."""

import io

import pytest
from django.core.management import CommandError, call_command

from yaowen.accounts.models import CreatorProfile
from yaowen.core.tests.factories import CreatorFactory
from yaowen.standing.models import Standing
from yaowen.standing.tests.helpers import make_strong_creator

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("standing", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_refresh_recomputes_every_creator_and_their_trust():
    strong, novice = make_strong_creator(), CreatorFactory(is_trusted=True)
    assert "Standing recomputed: 2 creators." in run("refresh")
    assert Standing.objects.count() == 2
    assert CreatorProfile.objects.get(pk=strong.pk).is_trusted
    assert not CreatorProfile.objects.get(pk=novice.pk).is_trusted


def test_refresh_one_creator():
    CreatorFactory()
    second = CreatorFactory()
    assert "Standing recomputed: 1 creators." in run("refresh", "--creator", str(second.pk))
    assert list(Standing.objects.values_list("creator_id", flat=True)) == [second.pk]


def test_unknown_creators_and_missing_subcommands_are_errors():
    with pytest.raises(CommandError, match="no creator with id 999999"):
        run("refresh", "--creator", "999999")
    with pytest.raises(CommandError, match="subcommand"):
        run()
    assert not Standing.objects.exists()
