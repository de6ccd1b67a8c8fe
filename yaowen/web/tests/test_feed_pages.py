"""/feed/ and the home page's 推荐 tab: pages, 不感兴趣, channel picks, reading history."""

import pytest

from yaowen.core.tests.factories import CreatorFactory, UserFactory
from yaowen.newsroom.models import Article, Channel
from yaowen.recommend.models import ChannelPick, FeedHide, Reading
from yaowen.recommend.services.hot import hot_scores_refresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles(publish):
    made = [
        publish(
            title=f"{name}新闻第{number}篇报道标题",
            body=f"{name}相关的正文内容，第{number}段。" * 5,
            channel=slug,
            author=CreatorFactory(),
        )
        for number in range(12)
        for slug, name in (("sports", "体育"), ("finance", "财经"))
    ]
    Article.objects.update(view_count=3)
    hot_scores_refresh()
    return made


def test_anonymous_readers_get_the_hot_feed_with_reasons(client, articles):
    page = client.get("/feed/").content.decode()
    assert "为你推荐" in page and "推荐理由" in page
    assert page.count('class="card feed-item"') == 20
    assert "不感兴趣" not in page  # only for readers who can be remembered


def test_more_pages_continue_without_repeats_with_and_without_javascript(client, articles):
    client.force_login(UserFactory())
    first = client.get("/feed/").content.decode()
    assert 'href="/feed/?page=2"' in first
    more = client.get("/feed/?page=2&fragment=1").content.decode()
    assert "<html" not in more
    ids = lambda html: {part.split('"')[0] for part in html.split('data-id="')[1:]}  # noqa: E731
    assert len(ids(first)) == 20 and len(ids(more)) == 4
    assert not ids(first) & ids(more)


def test_not_interested_posts_and_takes_effect_on_the_next_page(client, articles):
    reader = UserFactory()
    client.force_login(reader)
    finance = Channel.objects.get(slug="finance")
    response = client.post("/feed/hide/", {"kind": "channel", "target": "finance"})
    assert response.status_code == 302
    assert FeedHide.objects.filter(user=reader, kind="channel", target_id=finance.pk).exists()
    page = client.get("/feed/").content.decode()
    assert "财经新闻" not in page and "体育新闻" in page
    bad = client.post(
        "/feed/hide/", {"kind": "planet", "target": "1"}, HTTP_ACCEPT="application/json"
    )
    assert bad.status_code == 400 and "无法识别" in bad.json()["error"]
    ok = client.post(
        "/feed/hide/",
        {"kind": "article", "target": str(articles[0].pk)},
        HTTP_ACCEPT="application/json",
    )
    assert ok.json() == {"hidden": True}


def test_a_new_reader_picks_channels(client, articles):
    reader = UserFactory()
    client.force_login(reader)
    page = client.get("/feed/").content.decode()
    assert "选择你感兴趣的频道" in page
    sports = Channel.objects.get(slug="sports")
    client.post("/feed/channels/", {"channel": [str(sports.pk), "x"]})
    assert list(ChannelPick.objects.filter(user=reader).values_list("channel", flat=True)) == [
        sports.pk
    ]


def test_opening_an_article_adds_to_the_reading_history(client, articles):
    reader = UserFactory()
    client.force_login(reader)
    client.get(articles[0].get_absolute_url())
    client.get(articles[0].get_absolute_url())
    assert Reading.objects.filter(user=reader).count() == 1
    page = client.get("/feed/").content.decode()
    assert f'data-id="{articles[0].pk}"' not in page


def test_the_home_page_opens_on_the_feed_for_a_logged_in_reader(client, articles):
    assert "为你推荐" not in client.get("/").content.decode()
    client.force_login(UserFactory())
    home = client.get("/").content.decode()
    assert "为你推荐" in home and 'aria-current="page">推荐' in home
    assert "为你推荐" not in client.get("/?tab=news").content.decode()
