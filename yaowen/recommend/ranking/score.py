"""Scoring feed candidates against a profile, and the reason each one is shown.

    score = c·(1.5·topic + 0.5·channel + 0.3·creator) + 0.6·followed
            + 0.4·hot + 0.1·fresh + 0.15·pinned

`c` is the profile's confidence (0 for a new reader), `topic` the cosine of the profile's
keywords and the article's, `channel` the channel's share of the reader's attention relative
to their top channel, `creator` the affinity from past interactions, `hot` the candidate's
hot-score percentile in the pool (scale-free: hot scores span orders of magnitude), `fresh`
halves every 12 hours of age. All terms lie in [0, 1].
"""

import math
from collections.abc import Iterable
from datetime import datetime

from .duplicates import DuplicateIndex
from .profile import profile_confidence
from .types import Candidate, Hidden, Profile, Ranked, Reason

TOPIC_WEIGHT = 1.5
CHANNEL_WEIGHT = 0.5
AUTHOR_WEIGHT = 0.3
FOLLOW_WEIGHT = 0.6
HOT_WEIGHT = 0.4
FRESH_WEIGHT = 0.1
EDITOR_WEIGHT = 0.15
FRESH_HALF_LIFE_HOURS = 12.0
# Without history, each further article of one channel keeps this share of its hot term, so a
# new reader's feed interleaves channels instead of opening on one busy channel's top ten.
COLD_CHANNEL_DECAY = 0.7
# A keyword reason needs a match that carries real weight, not one shared common word.
KEYWORD_REASON_MIN = 0.05
NO_HIDDEN = Hidden()


def _hot_percentiles(candidates: list[Candidate]) -> list[float]:
    """Each candidate's hot-score rank in the pool as a fraction; equal scores share one."""
    order = sorted(range(len(candidates)), key=lambda i: candidates[i].hot_score)
    span = max(len(candidates) - 1, 1)
    percentiles = [0.0] * len(candidates)
    start = 0
    while start < len(order):
        end = start
        value = candidates[order[start]].hot_score
        while end + 1 < len(order) and candidates[order[end + 1]].hot_score == value:
            end += 1
        for rank in range(start, end + 1):
            percentiles[order[rank]] = (start + end) / 2 / span
        start = end + 1
    return percentiles


def _kept(
    candidates: Iterable[Candidate], *, hidden: Hidden, read: frozenset[int]
) -> list[Candidate]:
    """Candidates minus read and hidden ones, and minus copies of what was read or hidden."""
    pool: dict[int, Candidate] = {}
    for candidate in candidates:
        pool.setdefault(candidate.id, candidate)
    gone_articles = hidden.articles
    gone_authors, gone_channels = hidden.authors, hidden.channels
    # Read or hidden articles still in the pool: their near-duplicates go with them.
    copied = DuplicateIndex()
    for candidate in pool.values():
        if candidate.id in read or candidate.id in gone_articles:
            copied.add(candidate)
    kept = []
    for candidate in pool.values():
        original = candidate.duplicate_of
        if (
            candidate.id in read
            or candidate.id in gone_articles
            or candidate.author_id in gone_authors
            or candidate.channel_id in gone_channels
            or (original is not None and (original in read or original in gone_articles))
            or (copied and copied.hits(candidate))
        ):
            continue
        kept.append(candidate)
    return kept


def feed_rank(
    profile: Profile,
    candidates: Iterable[Candidate],
    *,
    now: datetime,
    followed: frozenset[int] = frozenset(),
    hidden: Hidden = NO_HIDDEN,
    read: frozenset[int] = frozenset(),
) -> list[Ranked]:
    """Candidates scored for this reader, best first (ties by id), each with its reason.

    Read and hidden articles, hidden creators and channels, and copies of read or hidden
    articles are dropped. With no history the order is hot and channel-balanced.
    """
    kept = _kept(candidates, hidden=hidden, read=read)
    if not kept:
        return []
    confidence = profile_confidence(profile)
    top_share = max(profile.channels.values(), default=0.0)
    hot = _hot_percentiles(kept)
    if profile.history == 0.0:
        seen_in_channel: dict[int, int] = {}
        for index in sorted(range(len(kept)), key=lambda i: -hot[i]):
            channel_id = kept[index].channel_id
            nth = seen_in_channel.get(channel_id, 0)
            seen_in_channel[channel_id] = nth + 1
            hot[index] *= COLD_CHANNEL_DECAY**nth

    profile_keywords = profile.keywords
    channel_affinity = {
        cid: confidence * CHANNEL_WEIGHT * share / top_share
        for cid, share in profile.channels.items()
    }
    author_affinity = {
        aid: confidence * AUTHOR_WEIGHT * value for aid, value in profile.authors.items()
    }
    topic_weight = confidence * TOPIC_WEIGHT
    fresh_rate = math.log(2) / (FRESH_HALF_LIFE_HOURS * 3600.0)
    reasons: dict[tuple[int, int | None], Reason] = {}  # equal reasons shared: fewer objects
    ranked = []
    for candidate, hot_term in zip(kept, hot, strict=True):
        topic = 0.0
        for word, weight in candidate.keywords:
            if word in profile_keywords:
                topic += profile_keywords[word] * weight
        parts = (
            FOLLOW_WEIGHT if candidate.author_id in followed else 0.0,
            EDITOR_WEIGHT if candidate.pinned else 0.0,
            topic_weight * topic,
            channel_affinity.get(candidate.channel_id, 0.0),
            HOT_WEIGHT * hot_term,
        )
        age = (now - candidate.published_at).total_seconds()
        score = (
            sum(parts)
            + author_affinity.get(candidate.author_id, 0.0)
            + FRESH_WEIGHT * math.exp(-fresh_rate * max(age, 0.0))
        )
        ranked.append(
            Ranked(candidate, score, _reason(candidate, parts, profile_keywords, reasons))
        )
    ranked.sort(key=lambda r: (-r.score, r.candidate.id))
    return ranked


def _reason(
    candidate: Candidate,
    parts: tuple[float, ...],
    profile_keywords: dict[str, float],
    cache: dict[tuple[int, int | None], Reason],
) -> Reason:
    """The largest contribution names the reason; ties go to the kind listed first."""
    best, best_value = 4, parts[4]  # hot, when nothing personal stands out
    for index in range(4):
        value = parts[index]
        if index == 2 and value < KEYWORD_REASON_MIN:
            continue
        if value > best_value or (best == 4 and value == best_value and value > 0.0):
            best, best_value = index, value
    if best == 2:
        matches = sorted(
            (
                (profile_keywords.get(word, 0.0) * weight, word)
                for word, weight in candidate.keywords
            ),
            reverse=True,
        )
        return Reason("keywords", keywords=tuple(word for value, word in matches[:2] if value))
    key = candidate.author_id if best == 0 else candidate.channel_id if best == 3 else None
    reason = cache.get((best, key))
    if reason is None:
        reason = cache[best, key] = (
            Reason("follow", author_id=key)
            if best == 0
            else Reason("channel", channel_id=key)
            if best == 3
            else Reason(_KINDS[best])
        )
    return reason


# Indexed like the parts of a score in feed_rank.
_KINDS = ("follow", "editor", "keywords", "channel", "hot")
