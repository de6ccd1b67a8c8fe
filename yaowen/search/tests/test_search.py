"""Search over published articles, on whichever database the suite runs (SQLite or PostgreSQL)."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from yaowen.analysis.models import ArticleAnalysis
from yaowen.core.jinja import render_fragment
from yaowen.core.tests.factories import STORY, CreatorFactory, story
from yaowen.jobs.delivery import deliver_pending
from yaowen.newsroom.models import Channel
from yaowen.newsroom.services import ArticleInput, article_create, article_remove, article_update
from yaowen.search.selectors import Filters, article_search

pytestmark = pytest.mark.django_db

FILLER = "本报讯 记者从有关部门获悉，相关工作正在有序推进，各项准备已经就绪。"


def ids(results) -> list[int]:
    return [hit.card.id for hit in results.page]


def marked(parts) -> str:
    """A highlighted text as the results page shows it."""
    return render_fragment("search/marked.html", {"parts": parts})


def test_a_two_character_word_inside_a_long_article_is_found(publish):
    body = "\n\n".join(
        [FILLER * 40, "值得一提的是，当地还新建了一座熊猫馆，吸引了大批游客。", FILLER * 40]
    )
    article = publish(title="城市公园改造完成", body=body)
    publish(title="另一篇无关报道", body=FILLER * 10)
    for word in ("熊猫", "熊猫馆", "猫"):
        assert ids(article_search(text=word)) == [article.pk], word


def test_search_finds_traditional_and_full_width_forms(publish):
    article = publish(title="國際航運會議在上海舉行", body=story())
    assert ids(article_search(text="国际航运")) == [article.pk]
    assert ids(article_search(text="國際")) == [article.pk]
    gdp = publish(title="前三季度GDP增长", body=story())
    assert ids(article_search(text="ＧＤＰ")) == [gdp.pk]
    hit = article_search(text="国际").page[0]
    assert marked(hit.title_parts).startswith("<mark>國際</mark>")


def test_every_term_must_match_unless_none_does(publish):
    cold = publish(title="寒潮来袭", body=story())
    plane = publish(
        title="国产大飞机高原试飞", body="大飞机完成高原试飞，各项数据达到设计要求。" * 5
    )
    both = article_search(text="寒潮 试飞")
    assert set(ids(both)) == {cold.pk, plane.pk} and both.any_term
    only = article_search(text="寒潮 武汉")
    assert ids(only) == [cold.pk] and not only.any_term


def test_snippets_highlight_the_terms_and_escape_html(publish):
    publish(
        title="标题", body="前文。" * 60 + "市民注意<b>防寒</b>保暖，关注寒潮预报。" + "后文。" * 60
    )
    hit = article_search(text="寒潮").page[0]
    html = marked(hit.snippet_parts)
    assert "<mark>寒潮</mark>" in html
    assert "<b>" not in html
    assert html.startswith("…") and html.endswith("…")


def test_the_index_follows_publish_edit_and_takedown(publish):
    author = CreatorFactory()
    draft = article_create(
        author=author,
        channel=Channel.objects.get(slug="society"),
        title="寒潮来袭",
        body_source=story(),
    )
    assert article_search(text="寒潮").total == 0  # drafts are not searchable
    article = publish(author=author, title="寒潮来袭", body=story())
    assert ids(article_search(text="羽绒服")) == [article.pk]
    assert draft.pk not in ids(article_search(text="寒潮"))

    edited = ArticleInput.from_article(
        article, body_source=story(STORY[4:]) + "\n\n新增了暖气片的内容。"
    )
    article_update(article=article, data=edited, by=author.user)
    deliver_pending()
    assert ids(article_search(text="暖气片")) == [article.pk]
    assert ids(article_search(text="羽绒服")) == []

    article_remove(article=article, by=author.user, reason="侵权")
    deliver_pending()
    assert ids(article_search(text="暖气片")) == []


def test_filters_by_channel_author_and_time(publish):
    writer = CreatorFactory()
    society = publish(author=writer, title="寒潮来袭", channel="society")
    tech = publish(title="寒潮中的数据中心", channel="tech")
    assert ids(article_search(text="寒潮", filters=Filters(channel_id=tech.channel_id))) == [
        tech.pk
    ]
    assert ids(article_search(text="寒潮", filters=Filters(author_id=writer.pk))) == [society.pk]
    ArticleAnalysis.objects.filter(article=tech).update(
        published_at=timezone.now() - dt.timedelta(days=40)
    )
    recent = Filters(since=timezone.now() - dt.timedelta(days=7))
    assert ids(article_search(text="寒潮", filters=recent)) == [society.pk]


def test_title_matches_rank_first_and_time_sort_puts_newest_first(publish):
    body_only = publish(title="城市新闻汇总", body=FILLER + "\n\n今天寒潮来了。")
    in_title = publish(title="寒潮来袭，气温骤降", body=FILLER * 3)
    assert ids(article_search(text="寒潮")) == [in_title.pk, body_only.pk]
    ArticleAnalysis.objects.filter(article=in_title).update(
        published_at=timezone.now() - dt.timedelta(days=3)
    )
    assert ids(article_search(text="寒潮", sort="time")) == [body_only.pk, in_title.pk]


def test_results_are_paginated(publish):
    author = CreatorFactory()
    for n in range(23):
        publish(author=author, title=f"寒潮快讯第{n}期", body=FILLER)
    first = article_search(text="寒潮快讯")
    assert first.total == 23 and len(first.page.object_list) == 20
    second = article_search(text="寒潮快讯", page=2)
    assert len(second.page.object_list) == 3
    assert not set(ids(first)) & set(ids(second))
    assert len(article_search(text="寒潮快讯", page="x").page.object_list) == 20


def test_rebuild_restores_a_damaged_index(publish, capsys):
    article = publish()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts (search_fts) VALUES ('delete-all')")
        assert article_search(text="寒潮").total == 0
    call_command("search", "rebuild")
    assert ids(article_search(text="寒潮")) == [article.pk]
    call_command("search", "rebuild", "--resegment")
    assert ids(article_search(text="寒潮")) == [article.pk]
    assert "rebuilt" in capsys.readouterr().out


def test_the_search_page(client, publish):
    article = publish()
    page = client.get("/search/", {"q": "寒潮"})
    assert page.status_code == 200
    html = page.content.decode()
    assert article.get_absolute_url() in html and "<mark>寒潮</mark>" in html
    assert "找到 1 条结果" in html
    empty = client.get("/search/", {"q": "不存在的词语组合"}).content.decode()
    assert "没有找到" in empty


def test_bad_search_input_gets_a_400_with_a_message(client):
    response = client.get("/search/", {"q": "寒潮", "channel": "nope"})
    assert response.status_code == 400 and "没有这个频道" in response.content.decode()
    response = client.get("/search/", {"q": "长" * 61})
    assert response.status_code == 400 and "最多 60 个字" in response.content.decode()
    response = client.get("/search/", {"q": "寒潮", "author": "abc", "time": "century"})
    assert response.status_code == 400


def test_pagination_links_keep_the_query(client, publish):
    author = CreatorFactory()
    for n in range(21):
        publish(author=author, title=f"寒潮快讯第{n}期", body=FILLER)
    html = client.get("/search/", {"q": "寒潮", "channel": "society"}).content.decode()
    assert "?q=%E5%AF%92%E6%BD%AE&amp;channel=society&amp;page=2" in html


def test_every_page_has_the_search_box(client, publish):
    article = publish()
    for url in ("/", "/latest/", article.get_absolute_url(), "/search/"):
        html = client.get(url).content.decode()
        assert 'role="search"' in html and 'name="q"' in html, url


def test_filter_tokens_are_not_searchable_words(publish):
    article = publish()
    analysis = ArticleAnalysis.objects.get(article=article)
    for token in analysis.facets.split():
        assert article_search(text=token).total == 0, token


def test_query_syntax_characters_are_searched_as_text(client, publish):
    publish()
    for text in ['"', 'a"b', "NEAR(寒潮", "寒潮*", "-寒潮", "title_terms:寒潮", "{facets}:c1", "^"]:
        response = client.get("/search/", {"q": text})
        assert response.status_code == 200, text
    assert article_search(text='寒潮"').total == 1
