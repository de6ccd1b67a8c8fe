"""Copy detection: what shingling ignores, whole and partial copies, unrelated texts, anchors,
paragraph matches."""

import datetime as dt
import random

import numpy as np
import opencc
import pytest

from yaowen.demo.compose import CHANNELS, compose_article
from yaowen.textkit import copies

STORIES = [
    "11月27日，长江流域多地迎来今冬首场寒潮，武汉、南京等城市气温在一天之内下降超过十摄氏度。"
    "\n\n气象部门提前三天发布寒潮蓝色预警，提醒市民注意添衣保暖，农户做好越冬作物的防冻工作。"
    "\n\n记者在武汉汉口火车站看到，不少旅客已经换上羽绒服，车站为候车旅客准备了热水和姜茶。"
    "\n\n专家介绍，本次寒潮影响范围广、降温幅度大，部分地区还将出现雨夹雪和道路结冰。",
    "国产大型客机近日在青海完成高原机场试飞，验证了飞机在高海拔条件下的起降性能。"
    "\n\n试飞团队表示，高原试飞是适航取证的重要科目，需要在低气压、强紫外线环境中检验发动机。"
    "\n\n此次试飞历时两周，累计完成四十余个架次，各项数据达到设计要求。",
    "今年以来，本市新建商品住宅成交量同比回升，改善型需求成为市场主力。"
    "\n\n多家房企推出优惠活动，部分楼盘首付比例下调，带看量明显增加。"
    "\n\n业内人士分析，随着信贷政策优化，购房者入市意愿有所增强，但观望情绪仍然存在。",
]


@pytest.fixture(scope="module")
def articles() -> list[str]:
    rng = random.Random(2026)
    day = dt.date(2026, 3, 1)
    return [
        compose_article(rng, CHANNELS[i % len(CHANNELS)], [], day).body_markdown for i in range(40)
    ]


def sentences(text: str) -> list[str]:
    return [s + "。" for s in text.replace("\n\n", "").split("。") if s]


def test_punctuation_spacing_width_case_and_traditional_characters_change_nothing():
    text = "长江流域迎来今冬首场寒潮，武汉气温下降超过10摄氏度。市民注意保暖！"
    disguised = opencc.OpenCC("s2t").convert(
        "长江流域 迎来今冬首场寒潮 武汉气温\n\n下降超过１０摄氏度……市民「注意」保暖"
    )
    assert disguised != text
    assert np.array_equal(copies.sketch(disguised).shingles, copies.sketch(text).shingles)
    # A lone surrogate (a broken escape in imported JSON) is dropped, not an error.
    broken = text.replace("首场", "首\ud800场")
    assert np.array_equal(copies.sketch(broken).shingles, copies.sketch(text).shingles)


def test_shingle_hashes_are_the_same_in_every_process():
    # Fixed values: the index is written by some processes and read by others, for years.
    assert copies.shingles(copies.characters("寒潮来袭")).tolist() == []  # shorter than 5
    assert copies.to_signed(copies.shingles(copies.characters("寒潮来袭了吗"))) == [
        6538023586985201426,
        -7896172720301147009,
    ]


def test_an_edited_copy_holds_most_of_its_original(articles):
    rng = random.Random(1)
    original = articles[0]
    paragraphs = original.split("\n\n")
    rng.shuffle(paragraphs)
    parts = sentences("\n\n".join(paragraphs))
    for index in rng.sample(range(len(parts)), len(parts) // 5):  # 20 % replaced
        parts[index] = rng.choice(sentences(articles[1]))
    copy = "".join(parts)
    copy = copy[:40] + "据报道" + copy[43:]
    found = copies.overlap(copies.sketch(copy), copies.sketch(original))
    assert found.is_copy and found.of_earlier > 0.6, found


def test_a_partial_copy_inside_new_text_is_a_copy_though_it_resembles_little(articles):
    original, other = articles[2], articles[3] + articles[5]
    parts = sentences(original)
    kept = parts[: int(len(parts) * 0.6)]
    mixed = "".join(sentences(other)[:6] + kept + sentences(other)[6:])
    a, b = copies.sketch(mixed), copies.sketch(original)
    found = copies.overlap(a, b)
    jaccard = found.shared / len(np.union1d(a.shingles, b.shingles))
    assert found.is_copy and found.of_earlier > 0.5 and jaccard < 0.4, (found, jaccard)


def test_unrelated_articles_are_no_copies(articles):
    # One article of each channel: the composer's articles of one channel share whole
    # template sentences, which by this measure makes them partial copies of each other.
    sketches = [copies.sketch(text) for text in [*articles[: len(CHANNELS)], *STORIES]]
    for i in range(len(sketches)):
        for j in range(i + 1, len(sketches)):
            assert not copies.overlap(sketches[i], sketches[j]).is_copy, (i, j)


def test_a_short_common_passage_is_no_copy():
    sign_off = "本文来源于网络，版权归原作者所有，如有侵权请联系删除。"
    a = copies.sketch("今天上午，市区主干道车流平稳，部分路口有短时拥堵。" + sign_off)
    b = copies.sketch("周末两天，郊区景点游客增多，景区提醒错峰出行。" + sign_off)
    found = copies.overlap(a, b)
    assert found.of_new > 0.4 and not found.is_copy
    assert not copies.sketch(sign_off).comparable


def test_anchors_are_a_consistent_sample_that_follows_containment(articles):
    original = copies.sketch(articles[6])
    kept = original.kept_anchors()
    assert len(kept) == copies.ANCHORS_KEPT
    assert np.array_equal(kept, np.sort(kept)) and kept[-1] <= original.anchors[-1]
    # Half of the text, inside other text: about half of the kept anchors are looked up.
    half = copies.sketch(articles[7] + articles[6][: len(articles[6]) // 2])
    shared = np.intersect1d(kept, half.lookup_anchors())
    assert 0.3 <= len(shared) / len(kept) <= 0.7
    # Common anchors are skipped and replaced by the next smallest ones.
    common = set(copies.to_signed(kept[:3]))
    replaced = original.kept_anchors(common=common)
    assert len(replaced) == copies.ANCHORS_KEPT
    assert not set(copies.to_signed(replaced)) & common


def test_paragraph_matches_say_which_paragraph_came_from_which():
    original = STORIES[0].split("\n\n")
    new = [STORIES[1].split("\n\n")[0], original[2], original[0] + "记者补充了现场的情况。"]
    matches = copies.paragraph_matches(new, original)
    assert [(m.paragraph, m.source) for m in matches] == [(1, 2), (2, 0)]
    assert matches[0].share == 1.0 and 0.5 < matches[1].share < 1.0
