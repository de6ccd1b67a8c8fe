"""A reader's interest profile from what they read, liked and commented on, decayed by age.

Each interaction adds its kind's weight (read 1, like 3, comment 4: a like or a comment says
more than a click), halved every half-life of its age. Channels and creators are lasting
tastes (21-day half-life); keywords follow the news and fade faster (7 days).
"""

from collections.abc import Iterable
from datetime import datetime

from .types import Interaction, Profile

KIND_WEIGHTS = {"read": 1.0, "like": 3.0, "comment": 4.0}
KEYWORD_HALF_LIFE_DAYS = 7.0
CHANNEL_HALF_LIFE_DAYS = 21.0
AUTHOR_HALF_LIFE_DAYS = 21.0
# An article's keywords arrive strongest first; later ones say less about why it was read.
KEYWORDS_PER_INTERACTION = 5
KEYWORD_POSITION_WEIGHTS = tuple(1.0 / (i + 1) ** 0.5 for i in range(KEYWORDS_PER_INTERACTION))
# A bounded profile keeps scoring a candidate at a handful of dict lookups.
PROFILE_KEYWORDS = 64
# A picked channel counts as this much decayed history in that channel, and never fades.
PICK_WEIGHT = 4.0
# Creator affinity saturates: w / (w + this), so 3 weighted reads of one creator give 0.5.
AUTHOR_HALF_AFFINITY = 3.0
# Weighted history at which the profile steers half of the personal part of the score.
CONFIDENCE_HALF_WEIGHT = 6.0


def _decay(age_days: float, half_life_days: float) -> float:
    return 0.5 ** (max(age_days, 0.0) / half_life_days)


def profile_build(
    interactions: Iterable[Interaction], *, now: datetime, picked_channels: Iterable[int] = ()
) -> Profile:
    """The reader's decayed channel shares, L2-normalised keyword vector and creator affinity.

    Unknown interaction kinds count as reads; picked channels join the channel shares.
    """
    channels: dict[int, float] = {}
    keywords: dict[str, float] = {}
    authors: dict[int, float] = {}
    history = 0.0
    for act in interactions:
        weight = KIND_WEIGHTS.get(act.kind, 1.0)
        age_days = (now - act.at).total_seconds() / 86400.0
        lasting = weight * _decay(age_days, CHANNEL_HALF_LIFE_DAYS)
        history += lasting
        channels[act.channel_id] = channels.get(act.channel_id, 0.0) + lasting
        authors[act.author_id] = authors.get(act.author_id, 0.0) + weight * _decay(
            age_days, AUTHOR_HALF_LIFE_DAYS
        )
        topical = weight * _decay(age_days, KEYWORD_HALF_LIFE_DAYS)
        for word, position_weight in zip(act.keywords, KEYWORD_POSITION_WEIGHTS, strict=False):
            keywords[word] = keywords.get(word, 0.0) + topical * position_weight

    picked = frozenset(picked_channels)
    for channel_id in picked:
        channels[channel_id] = channels.get(channel_id, 0.0) + PICK_WEIGHT
    total = sum(channels.values())
    if total:
        channels = {cid: value / total for cid, value in channels.items()}

    top = sorted(keywords.items(), key=lambda item: (-item[1], item[0]))[:PROFILE_KEYWORDS]
    norm = sum(value * value for _, value in top) ** 0.5
    keywords = {word: value / norm for word, value in top} if norm else {}

    authors = {aid: value / (value + AUTHOR_HALF_AFFINITY) for aid, value in authors.items()}
    return Profile(
        channels=channels, keywords=keywords, authors=authors, picked=picked, history=history
    )


def profile_confidence(profile: Profile) -> float:
    """How far the profile, rather than popularity, steers the feed: 0 for a new reader, < 1."""
    weight = profile.history + PICK_WEIGHT * len(profile.picked)
    return weight / (weight + CONFIDENCE_HALF_WEIGHT)
