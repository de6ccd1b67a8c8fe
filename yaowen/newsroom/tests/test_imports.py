"""Bulk import: the same published state as create + publish, a batch at a time."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from yaowen.analysis.models import ArticleAnalysis, TermStat
from yaowen.core.tests.factories import STORY, CreatorFactory, story
from yaowen.jobs.delivery import deliver_pending
from yaowen.newsroom.models import Article, ArticleRevision, Channel
from yaowen.newsroom.services import ArticleInput, articles_import
from yaowen.search.selectors import article_search

pytestmark = pytest.mark.django_db


def _items(count: int):
    society = Channel.objects.get(slug="society")
    return [
        (
            n,
            ArticleInput(
                title=f"寒潮快讯第{n}期", channel=society, body_source=story(STORY[n % 4 :])
            ),
        )
        for n in range(1, count + 1)
    ]


def test_imported_articles_are_published_indexed_counted_and_analysed():
    author = CreatorFactory()
    result = articles_import(
        author=author, items=_items(7), by=author.user, publish=True, batch_size=3
    )
    deliver_pending()  # the consumer analyses and indexes the batch
    assert (result.created, result.published, result.errors) == (7, 7, [])
    assert Article.objects.filter(author=author, status="published").count() == 7
    assert ArticleRevision.objects.filter(article__author=author, number=1).count() == 7
    author.refresh_from_db()
    assert author.article_count == 7
    assert TermStat.objects.get(term="").df == 7
    assert ArticleAnalysis.objects.filter(published_at__isnull=False).count() == 7
    assert all(a.keywords for a in ArticleAnalysis.objects.all())
    assert article_search(text="寒潮快讯").total == 7


def test_invalid_items_are_reported_and_the_rest_imported():
    author = CreatorFactory()
    items = _items(3)
    items.insert(1, (9, ArticleInput(title=" ", channel=items[0][1].channel, body_source="x")))
    result = articles_import(author=author, items=items, by=author.user)
    deliver_pending()  # the consumer analyses and indexes the batch
    assert result.created == 3 and result.published == 0
    assert result.errors == [(9, "标题不能为空。")]
    assert Article.objects.filter(author=author, status="draft").count() == 3
    assert article_search(text="寒潮快讯").total == 0  # drafts are not searchable


def test_an_import_copying_another_creators_article_is_flagged(publish):
    original = publish()
    author = CreatorFactory()
    society = Channel.objects.get(slug="society")
    items = [(1, ArticleInput(title="转载", channel=society, body_source=story(STORY[::-1])))]
    articles_import(author=author, items=items, by=author.user)
    deliver_pending()  # the consumer analyses and indexes the batch
    copy = ArticleAnalysis.objects.get(article__author=author)
    assert copy.duplicate_of_id == original.pk


def test_import_command(tmp_path, capsys):
    author = CreatorFactory(display_name="江城观察")
    body = "\\n\\n".join(STORY)
    path = tmp_path / "in.tsv"
    path.write_text(
        f"society\t寒潮来袭\t{body}\n社会\t寒潮之后\t{body}\n\nnowhere\t标题\t正文\nbroken\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="2 lines were not imported"):
        call_command("import_articles", str(path), "--author", "江城观察", "--publish")
    captured = capsys.readouterr()
    assert "Imported 2 articles for 江城观察 (2 published)" in captured.out
    assert "line 4: unknown channel 'nowhere'" in captured.err
    assert "line 5: expected channel<TAB>title<TAB>body" in captured.err
    article = Article.objects.get(title="寒潮来袭")
    assert article.body_source.count("\n\n") == len(STORY) - 1
    with pytest.raises(CommandError, match="no creator"):
        call_command("import_articles", str(path), "--author", "nobody")
    with pytest.raises(CommandError, match="cannot read"):
        call_command("import_articles", str(tmp_path / "missing.tsv"), "--author", str(author.pk))


def test_an_import_repeating_another_creators_title_is_flagged(publish):
    original = publish(title="武汉发布寒潮蓝色预警，市民注意保暖", body="简讯。")
    author = CreatorFactory()
    society = Channel.objects.get(slug="society")
    items = [
        (
            1,
            ArticleInput(
                title="武汉發佈寒潮藍色預警！市民注意保暖", channel=society, body_source="转发。"
            ),
        )
    ]
    articles_import(author=author, items=items, by=author.user)
    deliver_pending()  # the consumer analyses and indexes the batch
    copy = ArticleAnalysis.objects.get(article__author=author)
    assert (copy.duplicate_of_id, copy.duplicate_kind) == (original.pk, "title")
