"""The personal feed: cold start, profile, follows, hides, reads and paging."""

import pytest

from yaowen.accounts.services import follow_create
from yaowen.core.tests.factories import CreatorFactory, UserFactory
from yaowen.newsroom.models import Article, Channel
from yaowen.recommend.feed import feed_page, reader_signals
from yaowen.recommend.models import FeedHide
from yaowen.recommend.reasons import Why
from yaowen.recommend.services.feed import channel_picks_set, feed_hide, reading_record
from yaowen.recommend.services.hot import hot_scores_refresh

pytestmark = pytest.mark.django_db

TOPICS = {
    "sports": [
        "国足世预赛主场迎战日本队",
        "中超联赛收官海港夺冠",
        "亚冠联赛泰山主场取胜",
        "女排联赛天津队卫冕",
    ],
    "finance": [
        "沪指震荡收涨券商领涨",
        "央行降准释放长期资金",
        "创业板指数大涨新能源反弹",
        "银行理财收益率下行",
    ],
    "tech": [
        "国产芯片量产良率提升",
        "大模型开源社区发布新版本",
        "手机厂商发布折叠屏新机",
        "卫星互联网完成组网试验",
    ],
}


@pytest.fixture
def site(publish):
    """Four articles in each of three channels, each by its own creator, all a bit hot."""
    made = {}
    for slug, titles in TOPICS.items():
        made[slug] = [
            publish(title=title, body=f"{title}。" * 6, channel=slug, author=CreatorFactory())
            for title in titles
        ]
    Article.objects.update(view_count=5)
    hot_scores_refresh()
    return made


def _channels(page):
    return [Article.objects.get(pk=pick.id).channel.slug for pick in page.items]


def test_a_new_reader_gets_a_hot_feed_balanced_across_channels(site):
    page = feed_page(signals=reader_signals(UserFactory()))
    ids = [pick.id for pick in page.items]
    assert len(ids) == len(set(ids)) == 12
    assert set(_channels(page)[:6]) == set(TOPICS)
    assert all(pick.reason for pick in page.items)


def test_reading_shapes_the_feed_and_read_articles_are_dropped(site):
    reader = UserFactory()
    for article in site["sports"][:3]:
        assert reading_record(user=reader, article_id=article.pk)
    page = feed_page(signals=reader_signals(reader))
    ids = [pick.id for pick in page.items]
    assert not {a.pk for a in site["sports"][:3]} & set(ids)
    # The one sports article left moves up against a new reader's feed, and says why.
    cold = [pick.id for pick in feed_page(signals=reader_signals(UserFactory())).items]
    left = site["sports"][3].pk
    assert ids.index(left) < cold.index(left) and ids.index(left) <= 2
    assert page.items[ids.index(left)].why in (Why.INTEREST, Why.CHANNEL)


def test_followed_creators_come_first_with_the_reason(site):
    reader = UserFactory()
    followed = site["tech"][2].author
    follow_create(follower=reader, creator=followed)
    first = feed_page(signals=reader_signals(reader)).items[0]
    assert first.id == site["tech"][2].pk
    assert first.why == Why.FOLLOW and followed.display_name in first.reason


def test_not_interested_is_honoured_by_article_creator_and_channel(site):
    reader = UserFactory()
    feed_hide(
        user=reader, kind=FeedHide.Kind.CHANNEL, target_id=Channel.objects.get(slug="finance").pk
    )
    feed_hide(user=reader, kind=FeedHide.Kind.AUTHOR, target_id=site["tech"][0].author_id)
    feed_hide(user=reader, kind=FeedHide.Kind.ARTICLE, target_id=site["sports"][0].pk)
    page = feed_page(signals=reader_signals(reader))
    ids = {pick.id for pick in page.items}
    assert "finance" not in _channels(page)
    assert site["tech"][0].pk not in ids and site["sports"][0].pk not in ids
    assert len(ids) == 12 - 4 - 1 - 1


def test_later_pages_continue_without_repeats(site):
    reader = reader_signals(UserFactory())
    first = feed_page(signals=reader, size=5)
    second = feed_page(signals=reader, size=5, shown=[p.id for p in first.items])
    assert first.has_more
    assert not {p.id for p in first.items} & {p.id for p in second.items}
    assert len(second.items) == 5


def test_picked_channels_lead_a_new_readers_feed(site):
    reader = UserFactory()
    channel_picks_set(user=reader, channels=[Channel.objects.get(slug="tech")])
    page = feed_page(signals=reader_signals(reader))
    assert _channels(page)[0] == "tech"
    assert _channels(page).count("tech") == 4
