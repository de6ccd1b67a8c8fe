"""Related lists, reasons and tags on full articles (issue 18), on text generated here.

Articles of five subjects, each with a body of many words: a fifth of the words are the
subject's own, the rest are words every kind of article uses (明显, 新增, 数量, 迎来…);
gadget reviews and game patch notes say 明显 and 新增 over and over, as the reviews and
patch notes of the issue did. The subject must decide the list, and no reason or tag
shown may be one of the corpus's most common words.
"""

import random
from collections import Counter

import pytest

from yaowen.analysis.models import ArticleAnalysis
from yaowen.analysis.services import idf_refit
from yaowen.core.tests.factories import CreatorFactory
from yaowen.jobs.delivery import deliver_pending
from yaowen.newsroom.models import Channel
from yaowen.newsroom.services import ArticleInput, articles_import
from yaowen.recommend.models import RelatedItem
from yaowen.recommend.selectors import article_list_related
from yaowen.recommend.services.evaluation import TAGS_SHOWN
from yaowen.recommend.services.related import PER_AUTHOR
from yaowen.textkit.similarity import (
    GRAM_PREFIX,
    RAW_GRAM_PREFIX,
    related_articles,
    related_features,
    related_vector,
)
from yaowen.textkit.tokenize import default_tokenizer

SUBJECTS = {
    "wetland": "湿地 候鸟 越冬 鸟类 白鹭 保护区 栖息地 观鸟 迁徙 水鸟 丹顶鹤 芦苇 滩涂 鸟群",
    "gadget": "手机 屏幕 续航 处理器 摄像头 充电 机身 评测 像素 电池 芯片 耳机 平板 快充",
    "game": "玩家 版本 补丁 副本 装备 职业 技能 服务器 任务 角色 道具 公会 坐骑 地图",
    "football": "球队 主场 进球 教练 球员 联赛 门将 射门 后卫 点球 积分 冠军 半场 传球",
    "stocks": "股票 大盘 指数 板块 涨幅 成交 券商 基金 资金 投资者 行情 收盘 个股 市值",
}
GENERIC = [
    "明显",
    "新增",
    "数量",
    "迎来",
    "时间",
    "成为",
    "问题",
    "选择",
    "出现",
    "重要",
    "获得",
    "希望",
    "表现",
    "方式",
    "提供",
    "增加",
]
# The words the gadget reviews and patch notes matched on.
REPEATED = {"gadget": ["明显", "新增"], "game": ["新增", "明显"]}
BODY_WORDS = 120
SUBJECT_SHARE = 0.35
# The corpus's most common words, by document frequency: what no reason or tag may be.
COMMON = 16


def article(rng: random.Random, subject: str) -> tuple[str, str, list[str]]:
    """(title, body, the words used): words separated by punctuation, so the tokenizer
    returns them as written."""
    own = SUBJECTS[subject].split()
    title = [*rng.sample(own, 2), rng.choice(GENERIC)]
    words = [
        rng.choice(own) if rng.random() < SUBJECT_SHARE else rng.choice(GENERIC)
        for _ in range(BODY_WORDS)
    ]
    words += REPEATED.get(subject, []) * 8
    rng.shuffle(words)
    sentences = ["，".join(words[i : i + 8]) for i in range(0, len(words), 8)]
    return " ".join(title), "。".join(sentences) + "。", [*title, *words]


def corpus(seed: int = 18, per_subject: int = 10, wetland: int = 5):
    rng = random.Random(seed)
    items = [
        (subject, *article(rng, subject))
        for subject in SUBJECTS
        for _ in range(wetland if subject == "wetland" else per_subject)
    ]
    rng.shuffle(items)
    return items


def most_common(items, count: int = COMMON) -> set[str]:
    df = Counter(word for *_rest, words in items for word in set(words))
    return {word for word, _df in df.most_common(count)}


def test_the_generated_corpus_is_what_the_tests_say():
    items = corpus()
    common = most_common(items)
    assert {"明显", "新增"} <= common
    assert not common & {word for words in SUBJECTS.values() for word in words.split()}
    tok = default_tokenizer()
    for _subject, title, body, words in items:
        assert tok.tokens(title) + tok.tokens(body) == words


def test_a_long_article_is_found_by_its_subject_not_by_the_words_everyone_uses():
    tok = default_tokenizer()
    items = corpus()
    texts = [(tok.tokens(title), tok.tokens(body), title) for _s, title, body, _w in items]
    df: Counter = Counter()
    for title, body, raw in texts:
        df.update(related_features(title, body, title=raw))
    vectors = [related_vector(t, b, df, len(texts), title=raw) for t, b, raw in texts]
    lists: dict[str, list] = {}
    for article_id, vector in enumerate(vectors):
        for feature, weight in vector:
            lists.setdefault(feature, []).append((feature, article_id, weight))
    for number, (subject, *_rest) in enumerate(items):
        found = related_articles(
            number,
            vectors[number],
            postings=lambda features: [row for f in features for row in lists.get(f, ())],
            vectors=lambda ids: {i: vectors[i] for i in ids},
            topics=lambda ids: {},
            k=4,
        )
        assert [items[i][0] for i, _score in found] == [subject] * 4, (subject, found)
        # A long body's vector is its words: the title's grams step aside.
        words = [f for f, _w in vectors[number] if not f.startswith((GRAM_PREFIX, RAW_GRAM_PREFIX))]
        assert words[:3] and set(words[:3]) <= set(SUBJECTS[subject].split())


@pytest.mark.django_db
def test_a_new_wetland_article_lists_the_wetland_articles_with_specific_reasons_and_tags(
    publish,
):
    items = corpus()
    channel = Channel.objects.get(slug="society")
    subject_of: dict[int, str] = {}
    for start in range(0, len(items), PER_AUTHOR):  # the two-per-creator rule stays idle
        batch = items[start : start + PER_AUTHOR]
        author = CreatorFactory()
        result = articles_import(
            author=author,
            items=[
                (number, ArticleInput(title=title, channel=channel, body_source=body))
                for number, (_s, title, body, _w) in enumerate(batch)
            ],
            by=author.user,
            publish=True,
        )
        subject_of.update(zip(result.article_ids, (item[0] for item in batch), strict=True))
    deliver_pending()
    # As after any bulk import into an empty site (`manage.py keywords refit`): the first
    # batches were analysed before the rest was counted.
    idf_refit()

    title, body, words = article(random.Random(1), "wetland")
    new = publish(title=title, body=body, channel="society")
    common = most_common([*items, ("wetland", title, body, words)])

    picks = article_list_related(article=new)
    wetland = {pk for pk, subject in subject_of.items() if subject == "wetland"}
    assert {pick.id for pick in picks[:5]} == wetland
    wetland_words = set(SUBJECTS["wetland"].split())
    assert all(pick.words and set(pick.words) <= wetland_words for pick in picks[:5])
    # The new article entered the wetland articles' own lists, with a reason of its own.
    for holder in wetland:
        listed = dict(
            RelatedItem.objects.filter(article_id=holder).values_list("related_id", "reason")
        )
        assert listed.get(new.pk) and set(listed[new.pk]) <= wetland_words

    reasons = {
        word for reason in RelatedItem.objects.values_list("reason", flat=True) for word in reason
    }
    tags = {
        term
        for keywords in ArticleAnalysis.objects.values_list("keywords", flat=True)
        for term, _weight in keywords[:TAGS_SHOWN]
    }
    assert reasons and tags
    assert not reasons & common
    assert not tags & common
