"""The personal feed's ranking: profile decay, scoring, reasons, diversity and no duplicates."""

import random
from datetime import UTC, datetime, timedelta

import pytest

from yaowen.recommend.ranking import (
    Candidate,
    Hidden,
    Interaction,
    Profile,
    Ranked,
    Reason,
    feed_diversify,
    feed_rank,
    near_duplicate,
    profile_build,
    profile_confidence,
)

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def act(kind="read", *, article=1, channel=1, author=1, keywords=("k",), days=0.0):
    return Interaction(kind, article, channel, author, tuple(keywords), NOW - timedelta(days=days))


def cand(id, *, channel=1, author=None, keywords=(("x", 1.0),), hot=1.0, hours=1.0, **kwargs):
    return Candidate(
        id=id,
        channel_id=channel,
        author_id=id if author is None else author,
        keywords=keywords,
        published_at=NOW - timedelta(hours=hours),
        hot_score=hot,
        **kwargs,
    )


def ranked(*candidates, scores=None):
    scores = scores or [10.0 - i * 0.01 for i in range(len(candidates))]
    return [Ranked(c, s, Reason("hot")) for c, s in zip(candidates, scores, strict=True)]


def ids(items):
    return [r.candidate.id for r in items]


# Profile and decay


def test_a_like_or_comment_weighs_more_than_a_read():
    profile = profile_build(
        [act("read", channel=1), act("like", channel=2), act("comment", channel=3)], now=NOW
    )
    assert profile.channels[3] > profile.channels[2] > profile.channels[1]


def test_keyword_interest_halves_every_seven_days():
    profile = profile_build(
        [act(keywords=["fresh"], days=0), act(keywords=["old"], days=7)], now=NOW
    )
    assert profile.keywords["old"] / profile.keywords["fresh"] == pytest.approx(0.5)


def test_channel_and_creator_tastes_fade_more_slowly_than_keywords():
    profile = profile_build(
        [act(channel=1, author=1, days=0), act(channel=2, author=2, days=21)], now=NOW
    )
    assert profile.channels[2] / profile.channels[1] == pytest.approx(0.5)
    assert 0 < profile.authors[2] < profile.authors[1] < 1


def test_profile_maps_are_normalised():
    profile = profile_build(
        [act(channel=c, keywords=[f"w{c}", "common"], days=c) for c in range(5)], now=NOW
    )
    assert sum(profile.channels.values()) == pytest.approx(1.0)
    assert sum(v * v for v in profile.keywords.values()) == pytest.approx(1.0)


def test_earlier_keywords_of_an_article_count_more():
    profile = profile_build([act(keywords=["first", "second", "third"])], now=NOW)
    assert profile.keywords["first"] > profile.keywords["second"] > profile.keywords["third"]


def test_a_new_reader_has_no_confidence_and_picked_channels_give_some():
    assert profile_confidence(profile_build([], now=NOW)) == 0.0
    picked = profile_build([], now=NOW, picked_channels=[4, 5])
    assert picked.channels == {4: 0.5, 5: 0.5}
    assert (
        0
        < profile_confidence(picked)
        < profile_confidence(
            profile_build([act() for _ in range(30)], now=NOW, picked_channels=[4, 5])
        )
    )


# Scoring and reasons


def reader(**kwargs):
    """A reader who has read a lot about "rocket" and "orbit" in channel 1."""
    history = [act(channel=1, author=50, keywords=["rocket", "orbit"]) for _ in range(20)]
    return profile_build(history, now=NOW, **kwargs)


def test_articles_matching_the_readers_keywords_rank_above_equally_hot_others():
    topical = cand(1, channel=2, keywords=(("rocket", 0.8), ("orbit", 0.6)))
    other = cand(2, channel=2, keywords=(("football", 1.0),))
    result = feed_rank(reader(), [other, topical], now=NOW)
    assert ids(result) == [1, 2]
    assert result[0].reason == Reason("keywords", keywords=("rocket", "orbit"))


def test_followed_creators_rank_higher_and_say_so():
    result = feed_rank(
        reader(), [cand(1, channel=3), cand(2, channel=3, author=77)], now=NOW, followed={77}
    )
    assert result[0].candidate.id == 2
    assert result[0].reason == Reason("follow", author_id=77)


def test_the_readers_channel_counts_and_is_a_reason_when_no_keyword_matches():
    result = feed_rank(reader(), [cand(1, channel=9), cand(2, channel=1)], now=NOW)
    assert result[0].candidate.id == 2
    assert result[0].reason == Reason("channel", channel_id=1)


def test_hot_and_editor_reasons_when_nothing_personal_stands_out():
    result = feed_rank(
        Profile(), [cand(1, hot=50.0), cand(2, hot=1.0, pinned=True), cand(3, hot=0.0)], now=NOW
    )
    reasons = {r.candidate.id: r.reason.kind for r in result}
    assert reasons == {1: "hot", 2: "editor", 3: "hot"}


def test_hot_counts_by_rank_so_its_scale_does_not_matter():
    pool = [cand(i, channel=i % 3, hot=float(i * i)) for i in range(1, 12)]
    scaled = [cand(i, channel=i % 3, hot=float(i * i) * 1000) for i in range(1, 12)]
    assert ids(feed_rank(reader(), pool, now=NOW)) == ids(feed_rank(reader(), scaled, now=NOW))


def test_read_and_hidden_articles_creators_and_channels_are_dropped():
    pool = [cand(1), cand(2), cand(3, author=30), cand(4, channel=40), cand(5)]
    hidden = Hidden(articles=frozenset({2}), authors=frozenset({30}), channels=frozenset({40}))
    result = feed_rank(reader(), pool, now=NOW, hidden=hidden, read=frozenset({1}))
    assert ids(result) == [5]


def test_copies_of_read_articles_are_dropped_by_link_and_by_fingerprint():
    original = cand(1, prints=(0b1111 << 40, 5, 6))
    pool = [
        original,
        cand(2, duplicate_of=1),  # a known copy
        cand(3, prints=(0b1110 << 40 | 1, 99, 98)),  # 2 bits from the original's first print
        cand(4, prints=(0b1111 << 40 | 0b111, 99, 98)),  # 3 bits: still the same story
        cand(5, prints=(0b1111 << 40 | 0b1111, 0xFFFF << 20, 0xFFFF << 40)),  # 4 bits: another
        cand(6, duplicate_of=70),  # a copy of an article read outside the pool
    ]
    result = feed_rank(reader(), pool, now=NOW, read=frozenset({1, 70}))
    assert ids(result) == [5]


def test_the_same_article_offered_twice_is_ranked_once():
    assert ids(feed_rank(reader(), [cand(1), cand(1), cand(2)], now=NOW)) in ([1, 2], [2, 1])


def test_a_new_reader_gets_a_hot_channel_balanced_order():
    busy = [cand(i, channel=0, hot=100.0 - i) for i in range(10)]
    quiet = [cand(100 + i, channel=1 + i % 4, hot=50.0 - i) for i in range(40)]
    order = feed_rank(Profile(), quiet + busy, now=NOW)
    assert ids(order)[0] == 0  # still the hottest first
    assert {r.candidate.channel_id for r in order[:5]} == {0, 1, 2, 3, 4}
    assert all(r.reason.kind == "hot" for r in order)


def test_a_new_reader_who_picked_channels_sees_them_first():
    pool = [cand(i, channel=i % 4, hot=float(i)) for i in range(1, 40)]
    profile = profile_build([], now=NOW, picked_channels=[1])
    top = [r.candidate.channel_id for r in feed_rank(profile, pool, now=NOW)[:4]]
    assert top[0] == 1  # though channel 3 has the hottest article
    assert top.count(1) >= 2


# Diversity and duplicates


def test_near_duplicates_by_link_or_within_three_bits_at_any_position():
    base = cand(1, prints=(0xFFFF, 0xFFFF << 16, 0b1111))
    far = 0xFF << 40
    assert near_duplicate(base, cand(2, duplicate_of=1))
    assert near_duplicate(cand(3, duplicate_of=9), cand(4, duplicate_of=9))
    assert near_duplicate(base, cand(5, prints=(far, far, 0b1000)))
    assert not near_duplicate(base, cand(6, prints=(far, far, 0)))
    assert not near_duplicate(base, cand(7, prints=(0, 0, 0)))
    assert not near_duplicate(cand(8), cand(9))


def test_a_page_never_holds_two_near_duplicates():
    rng = random.Random(3)
    stories = [rng.getrandbits(64) for _ in range(30)]
    pool = []
    for i in range(300):
        story = stories[i % 30]
        bit = 1 << rng.randrange(64) if i % 2 else 0
        pool.append(cand(i, channel=i % 7, prints=(story ^ bit, rng.getrandbits(64), 0)))
    page = feed_diversify(ranked(*pool), limit=40, per_author=40)
    assert len(page) == 30
    pairs = [(a, b) for i, a in enumerate(page) for b in page[i + 1 :]]
    assert not any(near_duplicate(a.candidate, b.candidate) for a, b in pairs)


def test_duplicate_detection_holds_past_the_direct_comparison_limit():
    prints = [random.Random(i).getrandbits(64) for i in range(60)]
    pool = [cand(i, channel=i % 9, prints=(prints[i % 20] ^ (i // 20), 0, 0)) for i in range(60)]
    page = feed_diversify(ranked(*pool), limit=60, per_author=60, max_run=60)
    assert sorted(ids(page)) == list(range(20))


def test_at_most_per_author_items_from_one_creator_on_each_page():
    pool = [cand(i, channel=i, author=1 if i < 10 else i) for i in range(30)]
    page = feed_diversify(ranked(*pool), limit=20, per_author=2, page_size=10)
    authors = [r.candidate.author_id for r in page]
    assert authors[:10].count(1) == 2
    assert authors[10:].count(1) == 2
    assert ids(page)[:2] == [0, 1]


def test_no_more_than_two_in_a_row_from_one_channel_while_others_remain():
    pool = [cand(i, channel=1) for i in range(9)] + [cand(10 + i, channel=2) for i in range(3)]
    page = feed_diversify(ranked(*pool), limit=12, channel_penalty=0.0)
    channels = [r.candidate.channel_id for r in page]
    assert channels == [1, 1, 2, 1, 1, 2, 1, 1, 2, 1, 1, 1]  # bends rather than end early


def test_keyword_twins_are_spread_apart():
    twin = (("rocket", 0.8), ("orbit", 0.6))
    pool = [
        cand(1, channel=1, keywords=twin),
        cand(2, channel=2, keywords=twin),
        cand(3, channel=3, keywords=(("football", 1.0),)),
    ]
    assert ids(feed_diversify(ranked(*pool, scores=[1.0, 0.95, 0.9]), limit=3)) == [1, 3, 2]


def test_diversifying_is_deterministic_whatever_the_input_order():
    pool = [cand(i, channel=i % 5, author=i % 7) for i in range(60)]
    items = ranked(*pool, scores=[round(1 - (i % 13) * 0.05, 2) for i in range(60)])
    first = feed_diversify(items, limit=25)
    shuffled = list(items)
    random.Random(1).shuffle(shuffled)
    assert ids(feed_diversify(shuffled, limit=25)) == ids(first)


def test_the_first_page_does_not_change_when_more_pages_are_asked_for():
    pool = [cand(i, channel=i % 4, author=i % 9) for i in range(80)]
    items = ranked(*pool)
    one = feed_diversify(items, limit=10, page_size=10)
    three = feed_diversify(items, limit=30, page_size=10)
    assert ids(three)[:10] == ids(one)


def test_shown_articles_block_their_near_duplicates_on_later_pages():
    shown = [cand(1, prints=(0xABCDEF, 0, 0))]
    pool = [cand(2, prints=(0xABCDEE, 0, 0)), cand(3, duplicate_of=1), cand(4)]
    assert ids(feed_diversify(ranked(*pool), limit=10, shown=shown)) == [4]


def test_ranking_and_diversifying_a_full_pool_end_to_end():
    rng = random.Random(7)
    words = [f"w{i}" for i in range(200)]
    history = [
        act(channel=rng.randrange(3), author=rng.randrange(50), keywords=rng.sample(words[:30], 5))
        for _ in range(40)
    ]
    pool = [
        cand(
            i,
            channel=rng.randrange(20),
            author=rng.randrange(300),
            keywords=tuple((w, 0.5) for w in rng.sample(words, 4)),
            hot=rng.random() * 100,
            hours=rng.random() * 48,
            prints=(rng.getrandbits(64), rng.getrandbits(64), rng.getrandbits(64)),
        )
        for i in range(600)
    ]
    profile = profile_build(history, now=NOW)
    page = feed_diversify(
        feed_rank(profile, pool, now=NOW, read=frozenset(range(0, 600, 10))), limit=20
    )
    assert len(page) == 20
    assert not {r.candidate.id for r in page} & set(range(0, 600, 10))
    assert all(r.reason.kind in {"keywords", "channel", "hot"} for r in page)
