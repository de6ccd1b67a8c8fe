"""The hot score: engagement weighs more than views, and time decays it."""

import pytest

from yaowen.recommend.scoring import HOT_WINDOW_HOURS, hot_score


def score(**kwargs):
    values = {"views": 100, "comments": 0, "likes": 0, "shares": 0, "age_hours": 1.0}
    values.update(kwargs)
    return hot_score(**values)


def test_older_articles_score_lower_with_the_same_engagement():
    assert score(age_hours=1) > score(age_hours=10) > score(age_hours=100)


def test_comments_likes_and_shares_count_more_than_views():
    base = score()
    assert score(comments=1) - base > score(views=101) - base
    assert score(shares=1) > score(likes=1) > score(views=101)


def test_formula_constants():
    # (100 + 8·2 + 4·3 + 10·1) / (4 + 2)^1.5
    assert hot_score(views=100, comments=2, likes=3, shares=1, age_hours=4) == pytest.approx(
        138 / 6**1.5
    )


def test_outside_the_window_the_score_is_zero_and_future_times_do_not_explode():
    assert score(age_hours=HOT_WINDOW_HOURS + 1) == 0
    assert score(age_hours=-5) == score(age_hours=0)
