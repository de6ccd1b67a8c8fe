"""Violations, standing refresh and trust: what the creator and the workflow notice."""

import datetime as dt

import pytest
from django.utils import timezone

from yaowen.accounts.models import CreatorProfile
from yaowen.core.errors import ApplicationError
from yaowen.core.tests.factories import ArticleFactory, CreatorFactory
from yaowen.newsroom.models import Article
from yaowen.newsroom.services import article_create, article_submit
from yaowen.standing import formula
from yaowen.standing.models import Standing, Violation
from yaowen.standing.services import (
    NOT_THE_AUTHOR,
    REASON_REQUIRED,
    standing_refresh,
    standings_refresh,
    violation_record,
    violations_void,
)
from yaowen.standing.tests.helpers import make_editor, make_strong_creator

pytestmark = pytest.mark.django_db


def trusted(creator: CreatorProfile) -> bool:
    return CreatorProfile.objects.get(pk=creator.pk).is_trusted


def submit_new(creator: CreatorProfile) -> Article:
    article = article_create(
        author=creator,
        channel=creator.field,
        title="一篇新的稿件",
        body_source="一段完全不同的正文，讲述本地新闻。",
        by=creator.user,
    )
    return article_submit(article=article, by=creator.user)


def test_violation_record_stores_the_violation_and_recomputes_standing():
    creator = CreatorFactory()
    article = ArticleFactory(author=creator)
    editor = make_editor()
    violation = violation_record(
        creator=creator, kind="takedown", by=editor, reason="  标题党  ", article=article
    )
    assert Violation.objects.get() == violation
    assert (violation.kind, violation.reason, violation.by, violation.article) == (
        "takedown",
        "标题党",
        editor,
        article,
    )
    standing = Standing.objects.get(creator=creator)
    assert standing.parts["health"] == 70
    assert standing.facts["violations"] == 1 and standing.facts["capped"]


def test_the_platform_itself_may_record_a_word_block():
    creator = CreatorFactory()
    violation_record(creator=creator, kind="word_block", by=None, reason="标题含违禁词")
    assert Standing.objects.get(creator=creator).parts["health"] == 90


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_a_violation_needs_a_reason(reason):
    creator = CreatorFactory()
    with pytest.raises(ApplicationError) as error:
        violation_record(creator=creator, kind="takedown", by=None, reason=reason)
    assert error.value.message == str(REASON_REQUIRED)
    assert not Violation.objects.exists()


def test_unknown_kinds_overlong_reasons_and_other_creators_articles_are_refused():
    creator = CreatorFactory()
    with pytest.raises(ApplicationError):
        violation_record(creator=creator, kind="jaywalking", by=None, reason="原因")
    with pytest.raises(ApplicationError):
        violation_record(creator=creator, kind="takedown", by=None, reason="长" * 301)
    with pytest.raises(ApplicationError) as error:
        violation_record(
            creator=creator, kind="takedown", by=None, reason="原因", article=ArticleFactory()
        )
    assert error.value.message == str(NOT_THE_AUTHOR)
    assert not Violation.objects.exists()


def test_a_strong_record_unlocks_trust_and_trusted_articles_skip_review():
    creator = make_strong_creator()
    standing = standing_refresh(creator=creator)
    assert standing.level >= formula.TRUST_LEVEL
    assert standing.score >= formula.LEVEL_THRESHOLDS[formula.TRUST_LEVEL - 1]
    assert trusted(creator)
    creator.refresh_from_db()
    assert submit_new(creator).status == Article.Status.PUBLISHED


def test_a_new_creator_is_a_novice_without_trust():
    creator = CreatorFactory(is_trusted=True)
    standing = standing_refresh(creator=creator)
    assert (standing.score, standing.level) == (50, Standing.Level.NOVICE)
    assert not trusted(creator)


def test_a_violation_costs_trust_and_sends_articles_back_to_review():
    creator = make_strong_creator()
    standing_refresh(creator=creator)
    assert trusted(creator)
    violation_record(creator=creator, kind="word_block", by=None, reason="正文含违禁词")
    standing = Standing.objects.get(creator=creator)
    assert standing.level == formula.TRUST_LEVEL - 1
    assert not trusted(creator)
    creator.refresh_from_db()
    assert submit_new(creator).status == Article.Status.PENDING


def test_trust_comes_back_once_the_violation_is_old():
    creator = make_strong_creator()
    violation = violation_record(creator=creator, kind="word_block", by=None, reason="违禁词")
    assert not trusted(creator)
    Violation.objects.filter(pk=violation.pk).update(
        created_at=timezone.now() - dt.timedelta(days=formula.CAP_DAYS + 1)
    )
    standing_refresh(creator=creator)
    assert trusted(creator)


def test_a_voided_violation_stops_counting_but_stays_listed():
    creator = make_strong_creator()
    article = creator.articles.first()
    editor = make_editor()
    violation_record(creator=creator, kind="takedown", by=editor, reason="误判", article=article)
    violation_record(creator=creator, kind="word_block", by=None, reason="另一件事")
    assert (
        violations_void(
            creator=creator, kind="takedown", by=editor, reason="申诉成立", article=article
        )
        == 1
    )
    violation = Violation.objects.get(kind="takedown")
    assert violation.is_void and violation.void_reason == "申诉成立"
    assert violation.voided_by == editor
    assert Standing.objects.get(creator=creator).parts["health"] == 90
    with pytest.raises(ApplicationError):
        violations_void(creator=creator, kind="word_block", by=editor, reason=" ")
    assert violations_void(creator=creator, kind="takedown", by=editor, reason="再次") == 0


def test_a_suspended_creator_loses_trust():
    creator = make_strong_creator(status=CreatorProfile.Status.SUSPENDED)
    assert standing_refresh(creator=creator).level == formula.TRUST_LEVEL - 1
    assert not trusted(creator)


def test_standings_refresh_computes_every_creator_or_the_ones_named():
    first, second, third = CreatorFactory(), make_strong_creator(articles=3), CreatorFactory()
    ticks = []
    assert standings_refresh(creator_ids=[second.pk]) == 1
    assert list(Standing.objects.values_list("creator_id", flat=True)) == [second.pk]
    assert standings_refresh(progress=lambda label, total: ticks.append) == 3
    assert set(Standing.objects.values_list("creator_id", flat=True)) == {
        first.pk,
        second.pk,
        third.pk,
    }
    assert sum(ticks) == 3
