"""Stored hot scores follow engagement and age, once per commenter; hot lists read them."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from yaowen.core.tests.factories import ArticleFactory, CommentFactory, UserFactory
from yaowen.engagement.models import Comment
from yaowen.newsroom.models import Article, Channel
from yaowen.recommend import hotset
from yaowen.recommend.selectors import article_list_hot, headline_candidates
from yaowen.recommend.services.hot import hot_scores_refresh

pytestmark = pytest.mark.django_db


def test_refresh_ranks_by_engagement_and_age_and_drops_old_and_unpublished():
    now = timezone.now()
    fresh_popular = ArticleFactory(view_count=500, published_at=now - dt.timedelta(hours=2))
    fresh_quiet = ArticleFactory(view_count=5, published_at=now - dt.timedelta(hours=2))
    old_popular = ArticleFactory(view_count=500, published_at=now - dt.timedelta(days=40))
    draft = ArticleFactory(status=Article.Status.DRAFT, view_count=900, hot_score=3.0)
    assert hot_scores_refresh(now=now).scored == 2
    scores = dict(Article.objects.values_list("pk", "hot_score"))
    assert scores[fresh_popular.pk] > scores[fresh_quiet.pk] > 0
    assert scores[old_popular.pk] == 0
    assert scores[draft.pk] == 0
    assert [card.id for card in article_list_hot()] == [fresh_popular.pk, fresh_quiet.pk]


def test_channel_hot_lists_and_headline_candidates_stay_in_their_channel():
    sports, finance = Channel.objects.get(slug="sports"), Channel.objects.get(slug="finance")
    ArticleFactory.create_batch(3, channel=sports, view_count=10)
    ArticleFactory.create_batch(2, channel=finance, view_count=20)
    hot_scores_refresh()
    assert {card.channel_slug for card in article_list_hot(channel=sports)} == {"sports"}
    candidates = headline_candidates()
    assert len(candidates[sports.pk]) == 3 and len(candidates[finance.pk]) == 2
    assert all(card.channel_slug == "finance" for card in candidates[finance.pk])
    scores = dict(Article.objects.values_list("pk", "hot_score"))
    ranked = [scores[card.id] for card in candidates[sports.pk]]
    assert ranked == sorted(ranked, reverse=True)


def test_comments_count_once_per_commenter():
    now = timezone.now()
    published = now - dt.timedelta(hours=1)
    chatty, discussed = (
        ArticleFactory(published_at=published),
        ArticleFactory(published_at=published),
    )
    reader = UserFactory()
    CommentFactory.create_batch(4, article=chatty, user=reader)
    CommentFactory.create_batch(2, article=discussed)
    CommentFactory(article=chatty, status=Comment.Status.DELETED)
    hot_scores_refresh(now=now)
    scores = dict(Article.objects.values_list("pk", "hot_score"))
    assert scores[discussed.pk] == pytest.approx(2 * scores[chatty.pk])
    assert [card.id for card in article_list_hot()] == [discussed.pk, chatty.pk]


def test_refresh_command_reports_what_it_did(capsys, monkeypatch):
    monkeypatch.setattr(hotset, "_backend", None)
    ArticleFactory(view_count=3)
    call_command("refresh_hot")
    out = capsys.readouterr().out
    assert "Scored 1 articles" in out
    assert "Redis hot sets: off (REDIS_URL is not set)." in out
