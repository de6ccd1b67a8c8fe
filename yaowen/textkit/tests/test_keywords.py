"""IDF model and TF-IDF keywords."""

import datetime as dt
import random

import pytest

from yaowen.demo.compose import CHANNELS, compose_article
from yaowen.textkit.keywords import IdfModel, idf_fit, idf_update, keywords
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
    docs = [["市场", "经济", "发展"], ["市场", "发展", "政策"], ["市场", "经济", "政策"]] * 5
    model = idf_fit(docs + [["市场", "量子计算", "发展"]] * 2)
    ranked = keywords(["市场", "市场", "发展", "量子计算"], model)
    assert ranked[0][0] == "量子计算"
    assert [term for term, _ in ranked] == ["量子计算", "市场", "发展"]


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
