"""The classifier's channel for each new article, and the mismatch reviewers see."""

import pytest
from django.contrib.auth.models import Permission

from yaowen.analysis.models import ArticleAnalysis
from yaowen.core.tests.factories import CreatorFactory, UserFactory
from yaowen.jobs.delivery import deliver_pending
from yaowen.newsroom.models import Channel
from yaowen.newsroom.services import article_create, article_submit
from yaowen.textkit.classifier import ChannelClassifier, Example

pytestmark = pytest.mark.django_db

TITLES = {
    "sports": [
        "{}队主场击败对手晋级四强",
        "{}联赛第十轮：球队客场逆转取胜",
        "{}选手夺得世锦赛男子百米冠军",
    ],
    "finance": ["{}央行下调存款准备金率", "{}股市三大指数集体收涨", "{}季度居民消费价格同比上涨"],
    "tech": ["{}发布新一代人工智能芯片", "{}手机厂商推出折叠屏新机", "{}卫星互联网完成组网试验"],
}
PLACES = ["北京", "上海", "广州", "深圳", "武汉", "成都", "杭州", "南京", "西安", "重庆"]


def _train(path) -> None:
    examples = [
        Example(label=slug, title=pattern.format(place))
        for slug, patterns in TITLES.items()
        for pattern in patterns
        for place in PLACES
    ]
    ChannelClassifier(c=1.0).fit(examples).save(path)


def test_a_new_article_gets_a_predicted_channel_and_reviewers_see_a_mismatch(client, settings):
    _train(settings.CLASSIFIER_PATH)
    author = CreatorFactory()
    article = article_create(
        author=author,
        channel=Channel.objects.get(slug="tech"),
        title="苏州队主场击败对手晋级四强",
        body_source="苏州队在联赛中主场取胜，球队晋级四强。",
    )
    deliver_pending()
    analysis = ArticleAnalysis.objects.get(article=article)
    assert analysis.predicted_channel.slug == "sports"
    article_submit(article=article, by=author.user)

    editor = UserFactory()
    editor.user_permissions.add(Permission.objects.get(codename="review_article"))
    client.force_login(editor)
    queue = client.get("/review/").content.decode()
    assert "频道可能不符：作者选择“科技”，分类器判断为“体育”" in queue
    review = client.get(f"/review/articles/{article.pk}/").content.decode()
    assert "分类器判断为“体育”" in review


def test_the_predicted_channel_follows_channel_edits_made_elsewhere(settings):
    _train(settings.CLASSIFIER_PATH)
    sports, tech = Channel.objects.get(slug="sports"), Channel.objects.get(slug="tech")
    author = CreatorFactory()

    def predicted() -> int | None:
        article = article_create(
            author=author,
            channel=tech,
            title="苏州队主场击败对手晋级四强",
            body_source="苏州队在联赛中主场取胜，球队晋级四强。",
        )
        deliver_pending()
        return ArticleAnalysis.objects.get(article=article).predicted_channel_id

    assert predicted() == sports.pk
    # Edited in bulk or by another process: no signal reaches this one.
    Channel.objects.filter(pk=sports.pk).update(slug="sports-archive")
    Channel.objects.filter(pk=tech.pk).update(slug="sports")
    assert predicted() == tech.pk


def test_without_a_trained_model_there_is_no_prediction_and_no_flag():
    article = article_create(
        author=CreatorFactory(),
        channel=Channel.objects.get(slug="tech"),
        title="苏州队主场击败对手晋级四强",
        body_source="苏州队在联赛中主场取胜。",
    )
    deliver_pending()
    assert ArticleAnalysis.objects.get(article=article).predicted_channel is None


def test_training_reads_the_newest_published_articles(publish):
    from yaowen.analysis.selectors import training_examples

    older = publish(title="较早的一篇")
    newer = publish(title="较新的一篇")
    assert [e.title for e in training_examples(limit=1)] == [newer.title]
    assert {e.title for e in training_examples()} == {older.title, newer.title}
    assert all(e.label == "society" for e in training_examples())
