"""The article services refuse oversized text whoever calls them (forms, tests, commands),
before anything is rendered, analysed or stored."""

import pytest

from yaowen.core.errors import ApplicationError
from yaowen.core.tests.factories import CreatorFactory
from yaowen.newsroom.models import Article, ArticleRevision, Channel
from yaowen.newsroom.services import (
    ArticleInput,
    ReferenceInput,
    article_create,
    article_update,
)
from yaowen.newsroom.services.articles import BODY_MAX_LENGTH

pytestmark = pytest.mark.django_db


def create(**kwargs) -> Article:
    values = {
        "author": CreatorFactory(),
        "channel": Channel.objects.get(slug="sports"),
        "title": "主队逆转取胜",
        "body_source": "导语段落。",
    }
    values.update(kwargs)
    return article_create(**values)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "标" * 65, "标题最多 64 个字。"),
        ("summary", "摘" * 201, "摘要最多 200 个字。"),
        (
            "body_source",
            "字" * (BODY_MAX_LENGTH + 1),
            f"正文最多 {BODY_MAX_LENGTH} 个字（现在 {BODY_MAX_LENGTH + 1} 个）",
        ),
        ("references", [ReferenceInput(source=f"来源{n}") for n in range(31)], "最多 30 条"),
        ("references", [ReferenceInput(source="来" * 61)], "来源最多 60 个字"),
        ("references", [ReferenceInput(source="新华社", title="题" * 121)], "标题最多 120 个字"),
        (
            "references",
            [ReferenceInput(source="新华社", url="https://example.com/" + "a" * 200)],
            "链接最多 200 个字符",
        ),
    ],
)
def test_create_refuses_text_past_its_limit(field, value, message):
    with pytest.raises(ApplicationError) as error:
        create(**{field: value})
    assert message in error.value.message
    assert not Article.objects.exists()


def test_a_body_at_the_limit_is_accepted():
    article = create(body_source="字" * BODY_MAX_LENGTH)
    assert len(article.body_source) == BODY_MAX_LENGTH


def test_an_edit_past_the_limit_changes_nothing():
    article = create()
    with pytest.raises(ApplicationError):
        article_update(
            article=article,
            data=ArticleInput.from_article(article, body_source="字" * (BODY_MAX_LENGTH + 1)),
            by=article.author.user,
        )
    article.refresh_from_db()
    assert article.body_source == "导语段落。"
    assert ArticleRevision.objects.filter(article=article).count() == 1
