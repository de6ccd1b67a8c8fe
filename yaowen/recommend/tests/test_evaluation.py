"""Related-list measurement: precision@k, coverage and the TF-IDF baseline."""

import pytest

from yaowen.recommend.evaluation import baseline_related, coverage, precision_at_k


def test_precision_counts_same_label_share_and_short_lists_count_misses():
    labels = ["体育", "体育", "股票", "股票"]
    related = [[1, 2], [0, 3], [3, 0], [2]]
    # Hits: 1 of 2, 1 of 2, 1 of 2, 1 of 2; with k=2 the short last list misses one place.
    assert precision_at_k(labels, related, k=2) == pytest.approx((1 + 1 + 1 + 1) / 8)
    assert precision_at_k(labels, [[1], [0], [3], [2]], k=1) == 1.0


def test_precision_looks_only_at_the_first_k():
    labels = ["a", "a", "b"]
    assert precision_at_k(labels, [[1, 2], [0, 2], [0, 1]], k=1) == pytest.approx(2 / 3)


def test_coverage_is_the_share_of_full_lists():
    assert coverage([[1, 2], [0], [], [0, 1, 2]], k=2) == 0.5
    assert coverage([], k=2) == 0.0
    assert precision_at_k([], [], k=2) == 0.0


def test_baseline_finds_the_obvious_neighbour_and_never_itself():
    texts = [
        "国足主场迎战伊拉克 足球世预赛关键战",
        "足球世预赛 国足主场力争取胜",
        "股票大盘今日上涨 基金加仓",
        "基金加仓股票 大盘有望继续上涨",
        "一些完全不同的文字内容",
    ]
    related = baseline_related(texts, k=1)
    assert related[0] == [1]
    assert related[2] == [3]
    assert all(i not in neighbours for i, neighbours in enumerate(related))


def test_baseline_lists_only_texts_that_share_a_word():
    related = baseline_related(["足球", "股票", "足球"], k=2)
    assert related == [[2], [], [0]]
    assert baseline_related([], k=3) == []


def test_baseline_works_across_chunks():
    texts = ["足球比赛", "股票基金", "足球联赛", "基金市场"]
    assert baseline_related(texts, k=1, chunk=1) == baseline_related(texts, k=1)
