"""Related-article similarity: bounded vectors, capped-index scoring, expansion and topic votes."""

import math
from collections import Counter

import pytest

from yaowen.textkit.similarity import (
    EXPANSION_TERMS,
    GRAM_PREFIX,
    HAPAX_WEIGHT,
    POSTING_CAP,
    RAW_GRAM_PREFIX,
    VECTOR_TERMS,
    expansion_query,
    raw_title_grams,
    related_articles,
    related_features,
    related_vector,
    scores_from_postings,
    title_share,
    topic_fit,
    topic_ids,
    topic_rerank,
)

TITLES = [
    ["国足", "世预赛", "足球", "比赛", "主场"],  # 0 football
    ["足球", "联赛", "国足", "球迷", "比赛"],  # 1 football
    ["足球", "教练", "比赛", "球队"],  # 2 football
    ["股票", "大盘", "上涨", "基金"],  # 3 stocks
    ["股票", "基金", "市场", "下跌"],  # 4 stocks
    ["大盘", "股票", "成交", "上涨", "市场"],  # 5 stocks
]


def corpus(titles=TITLES):
    df = Counter()
    for title in titles:
        df.update(related_features(title, []))
    return [related_vector(title, [], df, len(titles)) for title in titles]


def postings_of(vectors, cap=POSTING_CAP):
    lists = {}
    for article_id, vector in enumerate(vectors):
        for feature, weight in vector:
            lists.setdefault(feature, []).append((weight, article_id))

    def postings(features):
        return [
            (feature, article_id, weight)
            for feature in features
            for weight, article_id in sorted(lists.get(feature, []), reverse=True)[:cap]
        ]

    return postings


def test_features_are_distinct_and_grams_cannot_collide_with_words():
    features = related_features(["足球", "足球", "比赛"], ["足"])
    assert len(features) == len(set(features))
    assert {"足球", "比赛", "足"} <= set(features)
    grams = [f for f in features if f.startswith(GRAM_PREFIX)]
    # Grams span token boundaries of the title: 球比 comes from 足球|比赛.
    assert GRAM_PREFIX + "球比" in grams
    assert "球比" not in features


def test_raw_title_grams_keep_punctuation_and_stopwords_under_their_own_prefix():
    grams = raw_title_grams("谁是冠军：我们  看看")
    assert all(gram.startswith(RAW_GRAM_PREFIX) for gram in grams)
    assert {RAW_GRAM_PREFIX + "谁是", RAW_GRAM_PREFIX + "：我", RAW_GRAM_PREFIX + "们 "} <= set(
        grams
    )
    # Whitespace runs count as one space.
    assert RAW_GRAM_PREFIX + "  " not in grams
    assert raw_title_grams("") == []


def test_raw_title_adds_its_grams_and_without_it_nothing_changes():
    tokens = ["国足", "出局"]
    assert related_features(tokens, []) == related_features(tokens, [], title="")
    features = related_features(tokens, [], title="国足：出局")
    assert RAW_GRAM_PREFIX + "：出" in features
    assert set(related_features(tokens, [])) < set(features)
    assert related_vector(tokens, [], {}, 10) == related_vector(tokens, [], {}, 10, title="")
    vector = dict(related_vector(tokens, [], {}, 10, title="国足：出局"))
    assert RAW_GRAM_PREFIX + "：出" in vector and "国足" in vector
    assert math.isclose(sum(w * w for w in vector.values()), 1.0)


def test_tokens_that_look_like_grams_are_not_words():
    assert related_features([], ["%足球", "#足球", "足球"]) == ["足球"]


def test_vector_is_bounded_normalised_and_strongest_first():
    title = [f"词{i}号" for i in range(80)]
    vector = related_vector(title, ["正文"] * 5, {}, 1000, title="".join(title))
    weights = [weight for _, weight in vector]
    assert len(vector) == VECTOR_TERMS
    assert math.isclose(sum(w * w for w in weights), 1.0)
    assert weights == sorted(weights, reverse=True)
    assert all(w > 0 for w in weights)


def test_rarer_features_weigh_more_and_unseen_ones_count_as_seen_once():
    vector = dict(related_vector(["常见", "罕见"], [], {"常见": 900, "罕见": 2}, 1000))
    assert vector["罕见"] > vector["常见"]
    once = dict(related_vector(["常见", "新词"], [], {"常见": 900, "新词": 1}, 1000))
    unseen = dict(related_vector(["常见", "新词"], [], {"常见": 900}, 1000))
    assert unseen == once


def test_a_word_no_other_article_has_keeps_only_a_fraction_of_its_weight():
    df = {"湿地": 2, "新词": 1}
    vector = dict(related_vector([], ["湿地", "新词"], df, 1000))
    assert vector["新词"] == pytest.approx(HAPAX_WEIGHT * vector["湿地"], rel=0.05)


def test_title_grams_carry_a_headline_and_step_aside_for_a_long_body():
    title = ["湿地", "候鸟", "越冬"]
    body = [f"正文{i}" for i in range(3 * len(title))]

    def gram_mass(vector):
        return sum(w * w for f, w in vector if f.startswith((GRAM_PREFIX, RAW_GRAM_PREFIX)))

    headline = related_vector(title, title, {}, 1000, title="湿地候鸟越冬")
    article = related_vector(title, body, {}, 1000, title="湿地候鸟越冬")
    assert title_share(title, title) == 1.0 and title_share(title, body) == pytest.approx(1 / 3)
    assert title_share(title, []) == 1.0
    assert gram_mass(article) < gram_mass(headline) / 2
    assert {"湿地", "候鸟", "越冬"} <= {f for f, _w in article[:3]}


def test_empty_article_has_an_empty_vector():
    assert related_vector([], [], {}, 0) == []
    assert related_features([], []) == []


def test_scores_are_dot_products_over_the_rows_given():
    rows = [("a", 1, 0.5), ("b", 1, 0.5), ("a", 2, 1.0), ("z", 3, 1.0)]
    scores = scores_from_postings([("a", 0.6), ("b", 0.8)], rows)
    assert scores == pytest.approx({1: 0.6 * 0.5 + 0.8 * 0.5, 2: 0.6})


def test_a_football_article_ranks_football_above_stocks():
    vectors = corpus()
    scores = scores_from_postings(vectors[0], postings_of(vectors)([f for f, _ in vectors[0]]))
    assert scores.get(1, 0) > scores.get(3, 0)
    assert scores.get(2, 0) > scores.get(4, 0)


def test_posting_cap_limits_the_candidates_seen():
    vectors = corpus()
    rows = postings_of(vectors, cap=1)(["足球"])
    assert len(rows) == 1


def test_expansion_adds_neighbour_terms_but_stays_bounded():
    vector = [("足球", 1.0)]
    neighbours = [(0.9, [("足球", 0.6), ("联赛", 0.8)]), (0.0, [("股票", 1.0)])]
    query = dict(expansion_query(vector, neighbours))
    assert "联赛" in query and "股票" not in query
    assert math.isclose(sum(w * w for w in query.values()), 1.0)
    many = [(0.5, [(f"词{i}", 1.0)]) for i in range(200)]
    assert len(expansion_query(vector, many)) <= EXPANSION_TERMS


def test_expansion_without_neighbours_returns_the_vector():
    assert expansion_query([("足球", 1.0)], []) == [("足球", 1.0)]


def test_topic_vote_lifts_candidates_sharing_the_neighbourhoods_topic():
    # 9 is a strong keyword match from another topic; the neighbourhood is topic 0.
    scores = {1: 0.50, 2: 0.45, 3: 0.40, 9: 0.55, 4: 0.42}
    topics = {1: [0], 2: [0], 3: [0], 4: [0], 9: [1]}
    ranked = topic_rerank(scores, topics, boost=4.0)
    assert ranked[0][0] != 9
    assert [i for i, _ in topic_rerank(scores, topics, boost=0.0)][0] == 9


def test_topic_rerank_without_topics_keeps_score_order_and_drops_non_positive():
    ranked = topic_rerank({1: 0.2, 2: 0.5, 3: 0.0}, {}, boost=4.0)
    assert [i for i, _ in ranked] == [2, 1]


def test_topics_separate_football_from_stocks():
    vectors = corpus()
    models = [topic_fit(vectors, clusters=2, seed=seed) for seed in range(3)]
    ids = [topic_ids(vector, models) for vector in vectors]
    assert ids[0] == ids[1] == ids[2]
    assert ids[3] == ids[4] == ids[5]
    assert ids[0] != ids[3]


def test_topic_fit_is_reproducible_and_centroids_are_bounded():
    vectors = corpus()
    assert topic_fit(vectors, clusters=2, seed=3) == topic_fit(vectors, clusters=2, seed=3)
    assert all(len(c) <= 5 for c in topic_fit(vectors, clusters=2, centroid_terms=5))
    assert topic_fit([], clusters=2) == []


def test_related_articles_excludes_itself_and_finds_its_topic():
    vectors = corpus()
    models = [topic_fit(vectors, clusters=2, seed=seed) for seed in range(3)]
    topics = [topic_ids(vector, models) for vector in vectors]
    read = []
    postings = postings_of(vectors)

    def counted(features):
        rows = postings(features)
        read.append(len(rows))
        return rows

    found = related_articles(
        0,
        vectors[0],
        postings=counted,
        vectors=lambda ids: {i: vectors[i] for i in ids},
        topics=lambda ids: {i: topics[i] for i in ids},
        k=2,
    )
    assert [i for i, _ in found] in ([1, 2], [2, 1])
    # Stage 1 and the expansion's new features: two bounded reads, no more.
    assert len(read) == 2
    assert sum(read) <= POSTING_CAP * (VECTOR_TERMS + EXPANSION_TERMS)
