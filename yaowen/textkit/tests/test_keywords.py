"""IDF model and TF-IDF keywords."""

import datetime as dt
import random

import pytest

from yaowen.demo.compose import CHANNELS, compose_article
from yaowen.textkit.keywords import (
    GENERIC_MIN_DF,
    GENERIC_SHARE,
    IdfModel,
    idf_fit,
    idf_from_counts,
    idf_update,
    is_generic,
    keywords,
)
from yaowen.textkit.tokenize import Tokenizer


@pytest.fixture(scope="module")
def corpus():
    tok = Tokenizer(engine="rjieba")
    rng = random.Random(5)
    day = dt.date(2025, 6, 1)
    return [
        tok.tokens(compose_article(rng, CHANNELS[i % len(CHANNELS)], [], day).body_markdown)
        for i in range(60)
    ]


def test_distinctive_term_outranks_common_ones():
    model = idf_from_counts({"市场": 15, "发展": 12, "量子计算": 2}, 1000)
    ranked = keywords(["市场", "发展", "量子计算"], model)
    assert [term for term, _ in ranked] == ["量子计算", "发展", "市场"]


def test_generic_words_are_never_keywords_however_often_repeated():
    # 明显 is in 30 % of the documents, 迎来 in 5 %: generic, whatever the article says.
    model = idf_from_counts({"明显": 300, "迎来": 50, "候鸟": 8, "湿地": 12}, 1000)
    ranked = keywords(["明显"] * 9 + ["迎来"] * 5 + ["候鸟", "湿地"], model)
    assert [term for term, _ in ranked] == ["候鸟", "湿地"]


def test_a_word_said_often_does_not_push_out_the_subject():
    # Raw counts: 3 x 5.1 for 数量 against 2 x 6.5 for 湿地; sublinear counts put 湿地 first.
    model = idf_from_counts({"数量": 15, "湿地": 3}, 1000)
    assert keywords(["数量"] * 3 + ["湿地"] * 2, model)[0][0] == "湿地"


def test_generic_needs_both_the_share_and_a_few_documents():
    assert is_generic(GENERIC_MIN_DF, 10) and not is_generic(GENERIC_MIN_DF - 1, 10)
    share = int(GENERIC_SHARE * 10_000)
    assert is_generic(share + 1, 10_000) and not is_generic(share, 10_000)
    assert not idf_fit([["市场"]] * (GENERIC_MIN_DF - 1)).is_generic("市场")
    assert idf_fit([["市场"]] * GENERIC_MIN_DF).is_generic("市场")


def test_weights_are_l2_normalised_and_ties_sorted(corpus):
    model = idf_fit(corpus)
    ranked = keywords(corpus[0], model, top=1000)
    assert sum(w * w for _, w in ranked) == pytest.approx(1.0)
    assert ranked == sorted(ranked, key=lambda item: (-item[1], item[0]))
    assert len(keywords(corpus[0], model, top=8)) == 8


def test_single_characters_and_numbers_are_never_keywords():
    model = idf_fit([["a"]])
    assert keywords(["国", "2025", "3.5%", "5g", "经济"], model) == [
        ("5g", pytest.approx(2**-0.5)),
        ("经济", pytest.approx(2**-0.5)),
    ]


def test_incremental_update_equals_refit_on_the_union(corpus):
    updated = idf_update(idf_fit(corpus[:25], min_df=2), corpus[25:])
    assert updated == idf_fit(corpus, min_df=2)


def test_update_leaves_the_old_model_unchanged(corpus):
    model = idf_fit(corpus[:10])
    before = IdfModel.from_dict(model.as_dict())
    idf_update(model, corpus[10:])
    assert model == before


def test_terms_below_min_df_weigh_the_default():
    model = idf_fit([["甲乙", "丙丁"], ["甲乙"]], min_df=2)
    assert "丙丁" not in model.idf
    assert model.df["丙丁"] == 1
    assert model.default_idf >= max(model.idf.values())


def test_empty_input():
    model = idf_fit([])
    assert model.documents == 0
    assert keywords([], model) == []
