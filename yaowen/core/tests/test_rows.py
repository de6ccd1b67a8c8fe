"""core.rows: the same model instances as the ORM's, converted values included."""

import datetime as dt

import pytest

from yaowen.core.rows import row_by_pk, rows_where
from yaowen.core.tests.factories import ArticleFactory
from yaowen.newsroom.models import Article, ArticleReference

pytestmark = pytest.mark.django_db


def test_a_row_by_primary_key_equals_the_orms_field_for_field():
    article = ArticleFactory()
    raw, orm = row_by_pk(Article, article.pk), Article.objects.get(pk=article.pk)
    for field in Article._meta.concrete_fields:
        assert getattr(raw, field.attname) == getattr(orm, field.attname), field.name
    assert isinstance(raw.created_at, dt.datetime) and raw.created_at.tzinfo is not None
    assert row_by_pk(Article, article.pk + 10_000) is None


def test_rows_come_in_the_given_order_and_only_the_asked_fields_are_loaded():
    article = ArticleFactory()
    for position, source in ((2, "乙"), (1, "甲")):
        ArticleReference.objects.create(article=article, position=position, source=source)
    rows = rows_where(ArticleReference, "article_id", article.pk, order_by="position")
    assert [row.source for row in rows] == ["甲", "乙"]
    lean = rows_where(Article, "id", article.pk, only=("title",))
    assert lean[0].title == article.title
    assert "body_html" in lean[0].get_deferred_fields()


def test_a_row_with_its_parent_is_what_select_related_gives_in_one_query(
    django_assert_num_queries,
):
    from yaowen.core.rows import row_with_parent

    article = ArticleFactory()
    orm = Article.objects.select_related("author").get(pk=article.pk)
    with django_assert_num_queries(1):
        raw = row_with_parent(Article, article.pk, "author")
        for field in Article._meta.concrete_fields:
            assert getattr(raw, field.attname) == getattr(orm, field.attname), field.name
        for field in orm.author._meta.concrete_fields:
            assert getattr(raw.author, field.attname) == getattr(orm.author, field.attname)
    assert row_with_parent(Article, article.pk + 10_000, "author") is None
