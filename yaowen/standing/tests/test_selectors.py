"""What the formula is fed: counted from articles, analyses, reactions and violations."""

import datetime as dt

import pytest
from django.utils import timezone

from yaowen.analysis.models import ArticleAnalysis
from yaowen.core.tests.factories import ArticleFactory, CreatorFactory
from yaowen.newsroom.models import Article, Channel
from yaowen.standing.models import Standing, Violation
from yaowen.standing.selectors import standing_for, standing_inputs, violation_list_for
from yaowen.standing.services import standing_refresh, violation_record

pytestmark = pytest.mark.django_db


def analysed(article: Article, **fields) -> Article:
    ArticleAnalysis.objects.create(
        article=article, author=article.author, channel=article.channel, **fields
    )
    return article


def test_inputs_count_only_published_articles_and_their_reactions():
    creator = CreatorFactory()
    ArticleFactory(author=creator, like_count=4, comment_count=2, share_count=1)
    ArticleFactory(author=creator, like_count=6)
    ArticleFactory(author=creator, status=Article.Status.DRAFT, like_count=100)
    ArticleFactory(author=creator, status=Article.Status.REMOVED, like_count=100)
    ArticleFactory(like_count=100)  # someone else's
    inputs = standing_inputs(creator=creator)
    assert (inputs.published, inputs.likes, inputs.comments, inputs.shares) == (2, 10, 2, 1)


def test_activity_counts_the_last_30_days():
    creator = CreatorFactory()
    ArticleFactory(author=creator)
    ArticleFactory(author=creator, published_at=timezone.now() - dt.timedelta(days=31))
    inputs = standing_inputs(creator=creator)
    assert (inputs.published, inputs.recent) == (2, 1)


def test_near_duplicates_of_other_creators_count_against_originality():
    creator = CreatorFactory()
    original = ArticleFactory()
    analysed(ArticleFactory(author=creator), duplicate_of=original, duplicate_kind="body")
    analysed(ArticleFactory(author=creator))
    ArticleFactory(author=creator)  # not analysed yet
    assert standing_inputs(creator=creator).duplicates == 1


def test_expertise_uses_the_predicted_channel_where_there_is_one():
    tech, digital = Channel.objects.get(slug="tech"), Channel.objects.get(slug="digital")
    creator = CreatorFactory(field=tech)
    ArticleFactory(author=creator, channel=tech)  # no analysis: its own channel counts
    analysed(ArticleFactory(author=creator, channel=tech), predicted_channel=digital)
    analysed(ArticleFactory(author=creator, channel=digital), predicted_channel=tech)
    analysed(ArticleFactory(author=creator, channel=digital))
    assert standing_inputs(creator=creator).in_field == 2


def test_expertise_is_unknown_without_a_field():
    creator = CreatorFactory(field=None)
    ArticleFactory(author=creator)
    assert standing_inputs(creator=creator).in_field is None


def test_only_live_violations_of_the_last_year_count():
    creator = CreatorFactory()
    violation_record(creator=creator, kind="takedown", by=None, reason="一")
    old = violation_record(creator=creator, kind="takedown", by=None, reason="二")
    Violation.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=400))
    void = violation_record(creator=creator, kind="false_original", by=None, reason="三")
    Violation.objects.filter(pk=void.pk).update(voided_at=timezone.now())
    violation_record(creator=creator, kind="false_original", by=None, reason="四")
    inputs = standing_inputs(creator=creator)
    assert sorted(kind for kind, _age in inputs.violations) == ["false_original", "takedown"]
    assert inputs.false_claims == 1
    assert [v.reason for v in violation_list_for(creator=creator)] == ["四", "三", "一", "二"]
    assert len(violation_list_for(creator=creator, include_void=False)) == 3


def test_standing_for_reads_the_stored_row_or_computes_one_without_saving():
    creator = CreatorFactory()
    fresh = standing_for(creator)
    assert fresh.score == 50 and not Standing.objects.exists()
    stored = standing_refresh(creator=creator)
    Standing.objects.filter(pk=stored.pk).update(score=77)
    assert standing_for(creator).score == 77
