"""Creating, publishing and removing articles keeps authors' counters and pages true."""

import pytest

from yaowen.core.errors import ApplicationError
from yaowen.core.tests.factories import ArticleFactory, CreatorFactory, UserFactory
from yaowen.newsroom.models import Article, Channel
from yaowen.newsroom.selectors import author_recent_cards
from yaowen.newsroom.services import (
    BODY_REQUIRED,
    CANNOT_PUBLISH,
    REASON_REQUIRED,
    TITLE_REQUIRED,
    ReferenceInput,
    article_create,
    article_publish,
    article_remove,
)

pytestmark = pytest.mark.django_db


def make_draft(**kwargs):
    values = {
        "author": CreatorFactory(),
        "channel": Channel.objects.get(slug="sports"),
        "title": " 主队逆转取胜 ",
        "body_source": "导语段落。\n\n## 比赛回顾\n\n下半场连进两球。",
        "references": [ReferenceInput(source="体坛日报", title="赛后报道")],
    }
    values.update(kwargs)
    return article_create(**values)


def test_create_renders_sanitised_body_and_keeps_references_in_order():
    article = make_draft(body_source="导语<script>x()</script>\n\n## 小节\n\n正文")
    assert article.status == Article.Status.DRAFT
    assert article.title == "主队逆转取胜"
    assert "<h2>小节</h2>" in article.body_html
    assert "<script" not in article.body_html
    assert article.summary.startswith("导语")
    assert [r.source for r in article.references.all()] == ["体坛日报"]


@pytest.mark.parametrize(
    ("field", "message"), [("title", TITLE_REQUIRED), ("body_source", BODY_REQUIRED)]
)
def test_create_refuses_empty_title_or_body(field, message):
    with pytest.raises(ApplicationError) as error:
        make_draft(**{field: "  "})
    assert error.value.message == str(message)
    assert not Article.objects.exists()


def test_publish_sets_time_counts_the_article_and_refreshes_the_author_list(
    django_capture_on_commit_callbacks,
):
    article = make_draft()
    author = article.author
    assert author_recent_cards(author_id=author.pk) == []  # now cached as empty
    with django_capture_on_commit_callbacks(execute=True):
        published = article_publish(article=article)
    assert published.status == Article.Status.PUBLISHED
    assert published.published_at is not None
    author.refresh_from_db()
    assert author.article_count == 1
    assert [card.id for card in author_recent_cards(author_id=author.pk)] == [article.pk]


def test_publishing_twice_is_refused():
    article = make_draft()
    article_publish(article=article)
    with pytest.raises(ApplicationError) as error:
        article_publish(article=article)
    assert error.value.message == str(CANNOT_PUBLISH)


def test_remove_needs_a_reason_and_uncounts_the_article():
    article = ArticleFactory()
    article.author.article_count = 1
    article.author.save()
    with pytest.raises(ApplicationError) as error:
        article_remove(article=article, by=UserFactory(is_staff=True), reason=" ")
    assert error.value.message == str(REASON_REQUIRED)
    removed = article_remove(article=article, by=UserFactory(is_staff=True), reason="侵权投诉")
    assert removed.status == Article.Status.REMOVED
    article.author.refresh_from_db()
    assert article.author.article_count == 0
