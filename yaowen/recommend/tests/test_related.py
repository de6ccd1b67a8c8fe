"""Stored related lists: computed at publish and edit, offered to neighbours, read cheaply."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yaowen.core.tests.factories import CreatorFactory, UserFactory
from yaowen.jobs.delivery import deliver_pending
from yaowen.newsroom.models import Article
from yaowen.newsroom.services import (
    ArticleInput,
    article_remove,
    article_update,
    articles_import,
)
from yaowen.recommend.models import Posting, RelatedItem
from yaowen.recommend.selectors import article_list_related
from yaowen.recommend.services.related import PER_AUTHOR, related_rebuild

pytestmark = pytest.mark.django_db

FOOTBALL = [
    (
        "国足主场迎战日本队 主教练公布世预赛名单",
        "国足将在主场迎战日本队，主教练公布了世预赛二十三人名单，多名归化球员入选，球迷期待球队在比赛中取得胜利。",
    ),
    (
        "世预赛国足客场逼平韩国 门将扑出点球",
        "国足客场与韩国队战成平局，门将在下半场扑出点球，主教练赛后称赞球员的防守和拼搏精神。",
    ),
    (
        "中超联赛收官 上海海港夺得冠军",
        "中超联赛最后一轮比赛结束，上海海港队主场取胜夺得联赛冠军，球队主教练感谢球迷整个赛季的支持。",
    ),
    (
        "亚冠联赛 山东泰山主场战胜横滨水手",
        "亚冠联赛小组赛，山东泰山队主场二比一战胜横滨水手队，外援梅开二度，球队暂列小组第一。",
    ),
]
STOCKS = [
    (
        "沪指震荡收涨 券商股票领涨两市",
        "沪指今日震荡收涨，券商板块领涨两市，成交额突破一万亿元，分析师认为市场情绪有所回暖，投资者关注政策动向。",
    ),
    (
        "央行降准释放长期资金 银行股票走强",
        "央行宣布下调存款准备金率，释放长期资金约一万亿元，银行股午后走强，债券收益率小幅下行。",
    ),
    (
        "创业板指数大涨 新能源股票集体反弹",
        "创业板指数今日大涨，新能源板块股票集体反弹，机构资金净流入，分析师提示投资者注意追高风险。",
    ),
]


def _publish_all(publish, items, channel, author=None):
    return [
        publish(title=title, body=body, channel=channel, author=author or CreatorFactory())
        for title, body in items
    ]


def test_a_list_holds_articles_on_the_same_subject_and_says_why(publish):
    football = _publish_all(publish, FOOTBALL, "sports")
    stocks = _publish_all(publish, STOCKS, "finance")
    listed = [pick.id for pick in article_list_related(article=football[0])]
    assert listed, "a football article has related football articles"
    assert set(listed[:3]) <= {a.pk for a in football[1:]}
    assert not set(listed[:3]) & {a.pk for a in stocks}
    picks = article_list_related(article=stocks[0])
    assert {p.id for p in picks[:2]} <= {a.pk for a in stocks[1:]}
    # The reason names keywords both articles share, or the topic.
    assert all(p.reason for p in picks)
    assert any(p.words for p in picks)
    assert football[0].pk not in listed


def test_publishing_offers_the_new_article_to_its_neighbours(publish):
    first = publish(title=FOOTBALL[0][0], body=FOOTBALL[0][1], channel="sports")
    publish(title=STOCKS[0][0], body=STOCKS[0][1], channel="finance")
    assert RelatedItem.objects.filter(article=first).count() <= 1
    later = publish(title=FOOTBALL[1][0], body=FOOTBALL[1][1], channel="sports")
    stored = list(
        RelatedItem.objects.filter(article=first)
        .order_by("rank")
        .values_list("related_id", flat=True)
    )
    assert stored[0] == later.pk


def test_reading_a_stored_list_is_one_query(publish):
    football = _publish_all(publish, FOOTBALL, "sports")
    with CaptureQueriesContext(connection) as queries:
        picks = article_list_related(article=football[0])
    assert picks and len(queries) == 1
    with CaptureQueriesContext(connection) as queries:
        article_list_related(article=football[0])
    assert len(queries) == 0  # then a cache hit


def test_no_creator_appears_more_than_twice(publish):
    prolific = CreatorFactory()
    football = _publish_all(publish, FOOTBALL, "sports", author=prolific)
    reader = publish(
        title="国足世预赛名单公布 归化球员入选",
        body=FOOTBALL[0][1][::-1] + "主教练",
        channel="sports",
    )
    related_rebuild(article_ids=[reader.pk])
    authors = [
        Article.objects.get(pk=pick.id).author_id for pick in article_list_related(article=reader)
    ]
    assert authors.count(prolific.pk) <= PER_AUTHOR
    assert len(football) > PER_AUTHOR


def test_a_taken_down_article_leaves_the_index_and_every_list(publish):
    football = _publish_all(publish, FOOTBALL, "sports")
    gone = football[1]
    assert RelatedItem.objects.filter(related=gone).exists()
    article_remove(article=gone, by=UserFactory(is_staff=True), reason="违规")
    deliver_pending()
    assert not Posting.objects.filter(article=gone).exists()
    assert not RelatedItem.objects.filter(related=gone).exists()
    assert gone.pk not in [pick.id for pick in article_list_related(article=football[0])]


def test_an_edit_that_changes_the_subject_changes_the_list(publish):
    football = _publish_all(publish, FOOTBALL, "sports")
    stocks = _publish_all(publish, STOCKS, "finance")
    moved = football[3]
    article_update(
        article=moved,
        data=ArticleInput.from_article(
            moved,
            title="券商股票领涨 沪指创业板指数双双收涨",
            body_source=STOCKS[2][1] + STOCKS[0][1],
        ),
        by=moved.author.user,
    )
    deliver_pending()  # re-analysed, re-indexed and re-listed by the consumer
    listed = [pick.id for pick in article_list_related(article=moved)][:2]
    assert set(listed) <= {a.pk for a in stocks}


def test_near_duplicates_of_the_article_are_not_related(publish):
    original = publish(channel="society")
    copy = publish(channel="society", title="长江流域迎来今冬首场寒潮（转）")
    Article.objects.filter(pk=copy.pk).update(status=Article.Status.PUBLISHED)
    related_rebuild(article_ids=[original.pk])
    assert copy.pk not in [pick.id for pick in article_list_related(article=original)]


def test_imported_articles_are_indexed_and_offered_to_existing_lists(publish):
    first = publish(title=FOOTBALL[0][0], body=FOOTBALL[0][1], channel="sports")
    author = CreatorFactory()
    sports = first.channel
    items = [
        (number, ArticleInput(title=title, channel=sports, body_source=body))
        for number, (title, body) in enumerate(FOOTBALL[1:])
    ]
    result = articles_import(author=author, items=items, by=author.user, publish=True)
    deliver_pending()
    assert Posting.objects.filter(article_id__in=result.article_ids).exists()
    related_rebuild(article_ids=result.article_ids, neighbours=True)
    assert set(
        RelatedItem.objects.filter(article=first).values_list("related_id", flat=True)
    ) & set(result.article_ids)


def test_a_bulk_rebuild_in_memory_stores_the_same_lists(publish, monkeypatch):
    from yaowen.recommend.services import related

    _publish_all(publish, FOOTBALL, "sports")
    _publish_all(publish, STOCKS, "finance")

    def stored():
        return list(
            RelatedItem.objects.order_by("article_id", "rank").values_list(
                "article_id", "related_id", "reason"
            )
        )

    monkeypatch.setattr(related, "IN_MEMORY_MIN", 10**9)
    related_rebuild()
    one_by_one = stored()
    RelatedItem.objects.all().delete()
    monkeypatch.setattr(related, "IN_MEMORY_MIN", 1)
    assert related_rebuild() == len(FOOTBALL) + len(STOCKS)
    assert stored() == one_by_one and one_by_one
