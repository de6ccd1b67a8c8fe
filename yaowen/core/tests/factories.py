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
