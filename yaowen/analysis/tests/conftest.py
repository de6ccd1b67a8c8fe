"""Articles written and published through the real services, with realistic news text."""

import pytest

from yaowen.core.tests.factories import CreatorFactory
from yaowen.newsroom.models import Channel
from yaowen.newsroom.services import article_create, article_publish

STORY = [
    "11月27日，长江流域多地迎来今冬首场寒潮，武汉、南京等城市气温在一天之内下降超过十摄氏度。",
    "气象部门提前三天发布寒潮蓝色预警，提醒市民注意添衣保暖，农户做好越冬作物的防冻工作。",
    "记者在武汉汉口火车站看到，不少旅客已经换上羽绒服，车站为候车旅客准备了热水和姜茶。",
    "武汉市交通部门表示，寒潮期间公交地铁将适当加密班次，桥梁和高架路段安排人员巡查结冰情况。",
    "专家介绍，本次寒潮影响范围广、降温幅度大，部分地区还将出现雨夹雪和道路结冰。",
    "农业农村部门组织技术人员下乡，指导种植大户为油菜和蔬菜大棚加盖保温膜，减少冻害损失。",
    "电力公司加强电网巡检，储备应急抢修物资，确保寒潮期间居民用电和供暖稳定。",
    "气象台预计，这次寒潮过程将持续到月底，之后气温逐步回升，市民出行请关注最新预报。",
]


def story(paragraphs=STORY) -> str:
    return "\n\n".join(paragraphs)


@pytest.fixture
def publish():
    """publish(author=None, title=..., body=..., channel="society") -> a published article."""

    def make(*, author=None, title="长江流域迎来今冬首场寒潮", body=None, channel="society"):
        author = author or CreatorFactory()
        article = article_create(
            author=author,
            channel=Channel.objects.get(slug=channel),
            title=title,
            body_source=body if body is not None else story(),
        )
        return article_publish(article=article, by=author.user)

    return make
