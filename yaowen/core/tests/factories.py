"""factory_boy factories shared by every app's tests."""

import datetime as dt

import factory
from django.utils import timezone

from yaowen.accounts.models import CreatorProfile, User
from yaowen.engagement.models import Comment
from yaowen.newsroom.models import Article, ArticleReference, Channel
from yaowen.newsroom.rendering import render_body

BODY = (
    "第一段导语，讲清楚发生了什么。\n\n"
    "## 第一节小标题\n\n"
    "第一节的正文段落。\n\n"
    '![会场全景](/media/demo/figures/00.webp "发布会现场")\n\n'
    "## 结语\n\n"
    "最后一段。"
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    nickname = factory.Sequence(lambda n: f"网友{n}")
    password = factory.django.Password("pass-word-123")


class CreatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CreatorProfile

    user = factory.SubFactory(UserFactory)
    display_name = factory.Sequence(lambda n: f"创作者{n}")
    bio = "专注报道，一句话简介。"
    field = factory.LazyFunction(lambda: Channel.objects.get(slug="tech"))


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    author = factory.SubFactory(CreatorFactory)
    channel = factory.LazyFunction(lambda: Channel.objects.get(slug="tech"))
    title = factory.Sequence(lambda n: f"测试文章标题第{n}篇")
    summary = "摘要。"
    body_source = BODY
    body_html = factory.LazyAttribute(lambda o: render_body(o.body_source))
    status = Article.Status.PUBLISHED
    published_at = factory.Sequence(lambda n: timezone.now() - dt.timedelta(minutes=n + 1))


class ReferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ArticleReference

    article = factory.SubFactory(ArticleFactory)
    position = factory.Sequence(int)
    source = "新华社"
    title = "一篇参考报道"
    published_on = dt.date(2026, 11, 1)


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    article = factory.SubFactory(ArticleFactory)
    user = factory.SubFactory(UserFactory)
    body = "说得有道理。"


# A real-looking news story: near-duplicate, keyword and search tests edit it.
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
