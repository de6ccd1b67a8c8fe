"""The studio shows the creator their 创作者指数, its parts, level, unlocks and violations."""

import pytest
from django.urls import reverse

from yaowen.core.tests.factories import CreatorFactory, UserFactory
from yaowen.standing.services import standing_refresh, violation_record, violations_void
from yaowen.standing.tests.helpers import make_strong_creator

pytestmark = pytest.mark.django_db


def login(client, creator):
    client.force_login(creator.user)
    return creator


def test_the_dashboard_shows_a_new_creator_their_index(client):
    login(client, CreatorFactory())
    page = client.get(reverse("studio:dashboard")).text
    assert "创作者指数" in page
    assert '<strong class="standing-score">50</strong>' in page
    assert "等级 1「新手」" in page
    assert reverse("studio:standing") in page


def test_the_standing_page_explains_every_part(client):
    login(client, CreatorFactory())
    response = client.get(reverse("studio:standing"))
    assert response.status_code == 200
    page = response.text
    for label in ("账号健康", "原创度", "活跃度", "垂直度", "互动度"):
        assert label in page
    assert "坚持原创，不搬运他人的文章" in page
    assert "近 30 天发布 0 篇。" in page
    assert "领域「科技」内 0 篇，共 0 篇。" in page
    assert "文章需编辑审核后发布。" in page
    assert "再得 10 分可升至「成长」。" in page
    assert "没有违规记录。" in page


def test_a_trusted_creator_sees_what_their_level_unlocks(client):
    creator = login(client, make_strong_creator())
    standing = standing_refresh(creator=creator)
    page = client.get(reverse("studio:standing")).text
    assert f'<strong class="standing-score">{standing.score}</strong>' in page
    assert "免审发布：提交的文章直接发布" in page
    assert "免审发布" in client.get(reverse("studio:dashboard")).text


def test_violations_are_listed_with_reasons_and_cap_the_level(client):
    creator = login(client, make_strong_creator())
    article = creator.articles.first()
    violation_record(
        creator=creator, kind="takedown", by=None, reason="标题与内容严重不符", article=article
    )
    page = client.get(reverse("studio:standing")).text
    assert "文章被下架" in page and "标题与内容严重不符" in page
    assert article.title in page
    assert "等级暂时不高于「成长」，不能免审发布" in page
    assert "等级暂时不高于「成长」" in client.get(reverse("studio:dashboard")).text


def test_a_voided_violation_is_shown_as_such(client):
    creator = login(client, CreatorFactory())
    violation_record(creator=creator, kind="word_block", by=None, reason="误报的词")
    violations_void(creator=creator, kind="word_block", by=None, reason="申诉成立")
    page = client.get(reverse("studio:standing")).text
    assert "误报的词" in page and "已撤销，不再计入：申诉成立" in page


def test_readers_cannot_see_a_standing_page(client):
    client.force_login(UserFactory())
    response = client.get(reverse("studio:standing"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:apply")
