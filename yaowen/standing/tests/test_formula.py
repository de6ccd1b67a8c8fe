"""The standing formula, part by part and as a whole, without a database."""

import pytest

from yaowen.standing import formula
from yaowen.standing.formula import Inputs, standing_score


def test_weights_add_up_to_one_and_cover_every_part():
    assert set(formula.WEIGHTS) == set(formula.PARTS)
    assert sum(formula.WEIGHTS.values()) == pytest.approx(1.0)


# Health


def test_health_is_full_without_violations():
    assert formula.health(()) == 100


def test_a_new_violation_costs_its_full_price_by_kind():
    assert formula.health((("takedown", 0),)) == 70
    assert formula.health((("suspension", 0),)) == 50
    assert formula.health((("word_block", 0),)) == 90
    assert formula.health((("something_else", 0),)) == 80


def test_recent_violations_cost_more_than_old_ones_and_old_ones_are_forgotten():
    costs = [100 - formula.health((("takedown", age),)) for age in (0, 30, 60, 89, 200, 364)]
    assert costs == sorted(costs, reverse=True)
    assert costs[0] == 30 and costs[4] == pytest.approx(30 * formula.RESIDUAL)
    assert formula.health((("takedown", 365),)) == 100
    assert formula.violation_weight(45) == pytest.approx(0.6)


def test_health_never_goes_below_zero():
    assert formula.health(tuple(("suspension", 1) for _ in range(5))) == 0


# Originality


def test_originality_is_neutral_without_articles_and_grows_with_original_work():
    assert formula.originality(0, 0) == 50
    one, ten = formula.originality(1, 0), formula.originality(10, 0)
    assert 50 < one < ten < 100


def test_near_duplicates_and_false_claims_lower_originality():
    assert formula.originality(10, 5) < formula.originality(10, 0)
    assert formula.originality(10, 0, 1) == pytest.approx(
        formula.originality(10, 0) - formula.FALSE_CLAIM_COST
    )
    assert formula.originality(2, 2, 5) == 0


def test_originality_ignores_impossible_counts():
    assert formula.originality(3, 10) == formula.originality(3, 3)
    assert formula.originality(3, -1) == formula.originality(3, 0)


# Activity


def test_activity_saturates():
    values = [formula.activity(n) for n in (0, 1, 4, 8, 15, 60)]
    assert values[0] == 0 and values == sorted(values)
    assert round(values[1]) == 15 and round(values[2]) == 49
    assert 99 < values[-1] <= 100


# Expertise


def test_expertise_is_the_smoothed_share_in_the_field():
    assert formula.expertise(0, 0) == 50
    assert formula.expertise(9, 9) == pytest.approx(100 * (9 + 1.5) / 12)
    assert formula.expertise(9, 0) == pytest.approx(100 * 1.5 / 12)


def test_expertise_is_neutral_without_a_declared_field():
    assert formula.expertise(9, None) == 50


# Interaction


def test_interaction_is_log_scaled_per_article():
    assert formula.interaction(0, 100, 100, 100) == 0
    assert formula.interaction(5, 0, 0, 0) == 0
    assert formula.interaction(1, 100, 0, 0) == pytest.approx(100)
    ten = formula.interaction(1, 10, 0, 0)
    assert 45 < ten < 55
    # Per article: the same reactions spread over twice the articles score less.
    assert formula.interaction(2, 10, 0, 0) < ten
    # Comments and shares weigh more than likes.
    assert formula.interaction(1, 0, 5, 0) == formula.interaction(1, 10, 0, 0)
    assert formula.interaction(1, 0, 0, 1000) == 100


# Levels


def test_levels_follow_the_thresholds():
    assert [formula.level_for(s) for s in (0, 59, 60, 74, 75, 89, 90, 100)] == [
        1,
        1,
        2,
        2,
        3,
        3,
        4,
        4,
    ]


def test_a_recent_violation_caps_the_level_below_trust():
    assert formula.level_for(95, recent_violation=True) == formula.TRUST_LEVEL - 1
    assert formula.level_for(10, recent_violation=True) == 1


# The whole

STRONG = {"published": 12, "recent": 10, "in_field": 12, "likes": 120, "comments": 30, "shares": 10}


def test_a_new_creator_starts_as_a_novice():
    result = standing_score(Inputs())
    assert result.parts == {
        "health": 100,
        "originality": 50,
        "activity": 0,
        "expertise": 50,
        "interaction": 0,
    }
    assert result.score == 50 and result.level == 1


def test_a_creator_with_only_violations_scores_low():
    result = standing_score(
        Inputs(violations=(("takedown", 1), ("suspension", 2), ("word_block", 3)))
    )
    assert result.parts["health"] < 15
    assert result.score < 25 and result.level == 1


def test_a_steady_original_focused_creator_earns_trust():
    inputs = Inputs(**STRONG)
    result = standing_score(inputs)
    assert result.score >= formula.LEVEL_THRESHOLDS[formula.TRUST_LEVEL - 1]
    assert result.level >= formula.TRUST_LEVEL
    assert result.score == round(
        sum(formula.WEIGHTS[name] * value for name, value in _raw_parts(inputs).items())
    )


def test_the_same_creator_loses_trust_with_a_recent_violation_and_regains_it_later():
    base = STRONG
    recent = standing_score(Inputs(violations=(("word_block", 3),), **base))
    assert recent.level == formula.TRUST_LEVEL - 1
    later = standing_score(Inputs(violations=(("word_block", 200),), **base))
    assert later.level >= formula.TRUST_LEVEL


def test_a_suspended_creator_is_capped():
    base = STRONG
    assert standing_score(Inputs(suspended=True, **base)).level == formula.TRUST_LEVEL - 1


def _raw_parts(inputs: Inputs) -> dict[str, float]:
    return {
        "health": formula.health(inputs.violations),
        "originality": formula.originality(inputs.published, inputs.duplicates),
        "activity": formula.activity(inputs.recent),
        "expertise": formula.expertise(inputs.published, inputs.in_field),
        "interaction": formula.interaction(
            inputs.published, inputs.likes, inputs.comments, inputs.shares
        ),
    }
