"""The creator standing (创作者指数) formula: five parts, their weights, levels and the cap.

Pure Python, no Django: callers count the facts (`Inputs`), `standing_score` turns them
into a score of 0-100, and `level_for` into a level. docs/standing.md explains each number.
"""

import math
from dataclasses import dataclass, field

PARTS = ("health", "originality", "activity", "expertise", "interaction")
WEIGHTS = {
    "health": 0.30,
    "originality": 0.25,
    "activity": 0.15,
    "expertise": 0.15,
    "interaction": 0.15,
}

# Health: what one violation costs when new, by kind (other kinds cost DEFAULT_COST).
VIOLATION_COST = {
    "takedown": 30.0,
    "false_original": 25.0,
    "suspension": 50.0,
    "word_block": 10.0,
}
DEFAULT_COST = 20.0
# A violation's cost falls linearly from full to RESIDUAL of it over DECAY_DAYS, stays
# there until FORGET_DAYS, and is then forgotten.
DECAY_DAYS = 90
RESIDUAL = 0.2
FORGET_DAYS = 365

# Originality and expertise are shares smoothed towards PRIOR_SHARE by PRIOR_ARTICLES
# imaginary articles, so one article cannot make a perfect score and a creator without
# articles sits in the middle.
PRIOR_ARTICLES = 3
PRIOR_SHARE = 0.5
# Each confirmed false 原创 claim in the last FORGET_DAYS costs originality this much.
FALSE_CLAIM_COST = 20.0

# Activity: published articles in the last ACTIVITY_DAYS; 100 * (1 - e^(-n / scale)).
ACTIVITY_DAYS = 30
ACTIVITY_SCALE = 6.0

# Interaction: (likes + 2 x comments + 3 x shares) per published article, log-scaled so
# that FULL_INTERACTION per article scores 100.
COMMENT_WEIGHT = 2
SHARE_WEIGHT = 3
FULL_INTERACTION = 100.0

# Levels: the lowest score of each level, from 1 (新手) to 4 (权威).
LEVEL_THRESHOLDS = (0, 60, 75, 90)
# From this level on a creator publishes without prior review.
TRUST_LEVEL = 3
# A violation in the last CAP_DAYS keeps the level below TRUST_LEVEL.
CAP_DAYS = 30


@dataclass(frozen=True)
class Inputs:
    """What the formula reads about one creator, counted by the caller."""

    # Age in days of each violation (any age; old ones are ignored here).
    violations: tuple[tuple[str, float], ...] = ()
    published: int = 0
    # Published articles that nearly copy an earlier article by another creator.
    duplicates: int = 0
    # Confirmed false 原创 claims in the last FORGET_DAYS.
    false_claims: int = 0
    # Published in the last ACTIVITY_DAYS.
    recent: int = 0
    # Published articles in the creator's declared field; None: no field declared.
    in_field: int | None = None
    likes: int = 0
    comments: int = 0
    shares: int = 0
    # A suspended creator is kept below TRUST_LEVEL like one with a recent violation.
    suspended: bool = False


@dataclass(frozen=True)
class Result:
    score: int
    level: int
    parts: dict[str, int] = field(default_factory=dict)


def _clamp(value: float) -> float:
    return max(0.0, min(100.0, value))


def violation_weight(age_days: float) -> float:
    """How much of a violation's cost still counts `age_days` after it."""
    age = max(0.0, age_days)
    if age >= FORGET_DAYS:
        return 0.0
    if age >= DECAY_DAYS:
        return RESIDUAL
    return 1.0 - (1.0 - RESIDUAL) * age / DECAY_DAYS


def health(violations: tuple[tuple[str, float], ...]) -> float:
    """100 without violations; each costs by its kind, recent ones more."""
    cost = sum(
        VIOLATION_COST.get(kind, DEFAULT_COST) * violation_weight(age) for kind, age in violations
    )
    return _clamp(100.0 - cost)


def _smoothed_share(hits: int, total: int) -> float:
    hits = max(0, min(hits, total))
    return 100.0 * (hits + PRIOR_SHARE * PRIOR_ARTICLES) / (max(0, total) + PRIOR_ARTICLES)


def originality(published: int, duplicates: int, false_claims: int = 0) -> float:
    """The smoothed share of published articles that copy nobody, less false claims."""
    share = _smoothed_share(published - max(0, duplicates), published)
    return _clamp(share - FALSE_CLAIM_COST * max(0, false_claims))


def activity(recent: int) -> float:
    """Saturating: 1 recent article ≈ 15, 4 ≈ 49, 8 ≈ 74, 15 ≈ 92."""
    return _clamp(100.0 * (1.0 - math.exp(-max(0, recent) / ACTIVITY_SCALE)))


def expertise(published: int, in_field: int | None) -> float:
    """The smoothed share of published articles in the declared field (neutral without one)."""
    if in_field is None:
        return 100.0 * PRIOR_SHARE
    return _clamp(_smoothed_share(in_field, published))


def interaction(published: int, likes: int, comments: int, shares: int) -> float:
    """Weighted reactions per published article, log-scaled; 0 without articles."""
    if published <= 0:
        return 0.0
    total = max(0, likes) + COMMENT_WEIGHT * max(0, comments) + SHARE_WEIGHT * max(0, shares)
    per_article = total / published
    return _clamp(100.0 * math.log1p(per_article) / math.log1p(FULL_INTERACTION))


def level_for(score: float, *, recent_violation: bool = False) -> int:
    """The level a score reaches; a recent violation keeps it below TRUST_LEVEL."""
    level = sum(1 for threshold in LEVEL_THRESHOLDS if score >= threshold)
    if recent_violation:
        level = min(level, TRUST_LEVEL - 1)
    return max(1, level)


def capped(inputs: Inputs) -> bool:
    """Whether the level is held below TRUST_LEVEL: a recent violation or a suspension."""
    return inputs.suspended or any(age < CAP_DAYS for _kind, age in inputs.violations)


def standing_score(inputs: Inputs) -> Result:
    """The weighted sum of the five parts, rounded, with its level."""
    parts = {
        "health": health(inputs.violations),
        "originality": originality(inputs.published, inputs.duplicates, inputs.false_claims),
        "activity": activity(inputs.recent),
        "expertise": expertise(inputs.published, inputs.in_field),
        "interaction": interaction(inputs.published, inputs.likes, inputs.comments, inputs.shares),
    }
    score = round(sum(WEIGHTS[name] * value for name, value in parts.items()))
    return Result(
        score=score,
        level=level_for(score, recent_violation=capped(inputs)),
        parts={name: round(value) for name, value in parts.items()},
    )
