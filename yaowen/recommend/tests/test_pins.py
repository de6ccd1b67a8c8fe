"""Editors' pins lead their channel's headline block for their time, and only theirs."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from yaowen.core.errors import ApplicationError, PermissionDeniedError
from yaowen.core.tests.factories import ArticleFactory, UserFactory
from yaowen.newsroom.models import Article, Channel
from yaowen.recommend.models import HeadlinePin
from yaowen.recommend.reasons import Why
from yaowen.recommend.selectors import headline_candidates
from yaowen.recommend.services.hot import hot_scores_refresh
from yaowen.recommend.services.pins import (
    NOT_AN_EDITOR,
    PIN_BAD_WINDOW,
    PIN_NOT_PUBLISHED,
    headline_pin,
    headline_unpin,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="pin_headline"))
    return user


@pytest.fixture
def sports():
    return Channel.objects.get(slug="sports")


def test_a_pin_leads_the_block_as_an_editors_pick_until_it_ends(
    editor, sports, django_capture_on_commit_callbacks
):
    hot = ArticleFactory.create_batch(3, channel=sports, view_count=50)
    quiet = ArticleFactory(channel=sports, view_count=0)
    hot_scores_refresh()
    pin = headline_pin(
        article=quiet, channel=sports, ends_at=timezone.now() + dt.timedelta(hours=2), by=editor
    )
    block = headline_candidates()[sports.pk]
    assert block[0].id == quiet.pk and block[0].why == Why.EDITOR
    assert block[0].reason == "编辑推荐"
    assert {pick.id for pick in block[1:]} == {a.pk for a in hot}
    assert all(pick.why == Why.HOT for pick in block[1:])
    with django_capture_on_commit_callbacks(execute=True):
        headline_unpin(pin=pin, by=editor)
    assert Why.EDITOR not in [pick.why for pick in headline_candidates()[sports.pk]]
    assert HeadlinePin.objects.filter(pk=pin.pk).exists(), "the record stays"


def test_a_pin_not_started_or_already_over_is_not_shown(editor, sports):
    article = ArticleFactory(channel=sports)
    later = timezone.now() + dt.timedelta(hours=1)
    headline_pin(
        article=article,
        channel=sports,
        starts_at=later,
        ends_at=later + dt.timedelta(hours=1),
        by=editor,
    )
    assert [pick.why for pick in headline_candidates()[sports.pk]] == [Why.HOT]


def test_only_editors_pin_and_only_published_articles_for_a_future_end(editor, sports):
    article = ArticleFactory(channel=sports)
    soon = timezone.now() + dt.timedelta(hours=1)
    with pytest.raises(PermissionDeniedError, match=str(NOT_AN_EDITOR)):
        headline_pin(article=article, channel=sports, ends_at=soon, by=UserFactory())
    draft = ArticleFactory(channel=sports, status=Article.Status.DRAFT, published_at=None)
    with pytest.raises(ApplicationError, match=str(PIN_NOT_PUBLISHED)):
        headline_pin(article=draft, channel=sports, ends_at=soon, by=editor)
    with pytest.raises(ApplicationError, match=str(PIN_BAD_WINDOW)):
        headline_pin(
            article=article, channel=sports, ends_at=timezone.now() - dt.timedelta(1), by=editor
        )
    assert not HeadlinePin.objects.exists()


def test_editors_pin_from_the_workspace(client, editor, sports):
    article = ArticleFactory(channel=sports, title="编辑精选的一篇")
    client.force_login(editor)
    response = client.post(
        "/review/pins/",
        {"article": article.pk, "channel": sports.pk, "hours": 6, "position": 0, "note": ""},
    )
    assert response.status_code == 302
    page = client.get("/review/pins/").content.decode()
    assert "编辑精选的一篇" in page
    bad = client.post(
        "/review/pins/",
        {"article": 999999, "channel": sports.pk, "hours": 6, "position": 0},
    )
    assert bad.status_code == 200 and "没有这篇文章" in bad.content.decode()
    pin = HeadlinePin.objects.get()
    assert client.post(f"/review/pins/{pin.pk}/end/").status_code == 302
    client.force_login(UserFactory())
    assert client.get("/review/pins/").status_code == 403
