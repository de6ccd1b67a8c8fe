"""The personal feed's reads (/feed/): the reader's signals, a bounded candidate pool, and
one ranked, diversified page of it at a time.

A page costs a fixed number of indexed queries whatever the site's size: the reader's
history, follows, hides and picks (4), the pool's sources (followed creators' latest,
the profile's channels' hot lists, the profile's keywords through the related index,
global hot and pins; the hot lists are cached), the pool's details (1) and the page's
cards (1). Ranking and diversity are the pure functions of `recommend.ranking`.
"""

import datetime as dt
import json
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from django.db import connection
from django.utils import timezone

from yaowen.accounts.models import CreatorProfile, User
from yaowen.analysis.models import ArticleAnalysis
from yaowen.engagement.models import Comment, Like
from yaowen.newsroom.cards import cards_with
from yaowen.newsroom.models import Article
from yaowen.newsroom.selectors import channel_list
from yaowen.recommend.models import ChannelPick, FeedHide, HeadlinePin, Reading
from yaowen.recommend.ranking import (
    Candidate,
    Hidden,
    Interaction,
    Profile,
    Ranked,
    feed_diversify,
    feed_rank,
    profile_build,
)
from yaowen.recommend.reasons import Pick, Why
from yaowen.recommend.selectors import article_list_hot, postings_read, top_per_channel

PAGE_SIZE = 20
# The latest interactions of each kind that make up the profile.
HISTORY = 200
# Read articles remembered so they are not shown again (beyond HISTORY, the oldest may be).
READ_MEMORY = 1000
# Pool sources and their sizes: together at most a few hundred candidates.
POOL_DAYS = 14
FOLLOWED_CREATORS = 50
FOLLOWED_EACH = 6
PROFILE_CHANNELS = 5
CHANNEL_HOT = 30
PROFILE_KEYWORDS = 10
KEYWORD_POSTINGS = 20
GLOBAL_HOT = 60
COLD_CHANNEL_HOT = 15
# Candidates are shared by every reader's pool: kept per process this long.
CANDIDATE_TTL = 60.0
CANDIDATE_CACHE_MAX = 50_000
_seen: dict[int, tuple[float, Candidate]] = {}


@dataclass(frozen=True)
class ReaderSignals:
    """Everything the feed knows about one reader."""

    interactions: tuple[Interaction, ...] = ()
    followed: frozenset[int] = frozenset()  # creator profile ids
    hidden: Hidden = Hidden()
    read: frozenset[int] = frozenset()
    picked: tuple[int, ...] = ()  # channel ids


@dataclass(frozen=True)
class FeedPage:
    items: list[Pick]
    has_more: bool
    profile: Profile


def reader_signals(user: User | None) -> ReaderSignals:
    """The reader's reads, likes and comments (newest first), follows, hides and picks."""
    if user is None or not user.is_authenticated:
        return ReaderSignals()
    read_rows = list(
        Reading.objects.filter(user=user)
        .order_by("-read_at")
        .values_list("article_id", "read_at")[:READ_MEMORY]
    )
    acted = [
        *(("like", a, t) for a, t in _recent(Like.objects.filter(user=user), "created_at")),
        *(
            ("comment", a, t)
            for a, t in _recent(
                Comment.objects.filter(user=user, status=Comment.Status.VISIBLE), "created_at"
            )
        ),
    ]
    events = [("read", a, t) for a, t in read_rows[:HISTORY]] + acted
    # The articles' facts come from the same per-process store as the pool's candidates.
    facts = _candidates({article_id for _kind, article_id, _at in events}, set())
    interactions = tuple(
        Interaction(
            kind=kind,
            article_id=article_id,
            channel_id=facts[article_id].channel_id,
            author_id=facts[article_id].author_id,
            keywords=tuple(term for term, _weight in facts[article_id].keywords),
            at=at,
        )
        for kind, article_id, at in events
        if article_id in facts
    )
    hides: dict[str, set[int]] = {kind: set() for kind in FeedHide.Kind.values}
    for kind, target in FeedHide.objects.filter(user=user).values_list("kind", "target_id"):
        hides[kind].add(target)
    return ReaderSignals(
        interactions=interactions,
        followed=frozenset(
            CreatorProfile.objects.filter(user__followers__follower=user).values_list(
                "pk", flat=True
            )
        ),
        hidden=Hidden(
            articles=frozenset(hides[FeedHide.Kind.ARTICLE]),
            authors=frozenset(hides[FeedHide.Kind.AUTHOR]),
            channels=frozenset(hides[FeedHide.Kind.CHANNEL]),
        ),
        read=frozenset(article_id for article_id, _at in read_rows),
        picked=tuple(ChannelPick.objects.filter(user=user).values_list("channel_id", flat=True)),
    )


def feed_page(
    *,
    signals: ReaderSignals,
    shown: Sequence[int] = (),
    size: int = PAGE_SIZE,
    now: dt.datetime | None = None,
) -> FeedPage:
    """The next `size` items for a reader who has already been shown `shown` (earlier
    pages): ranked by the profile, diversified against what was shown, hides honoured."""
    now = now or timezone.now()
    profile = profile_build(signals.interactions, now=now, picked_channels=signals.picked)
    pool = feed_candidates(profile, signals, now=now, include=shown)
    shown_set = frozenset(shown)
    ranked = feed_rank(
        profile,
        pool.values(),
        now=now,
        followed=signals.followed,
        hidden=signals.hidden,
        read=signals.read | shown_set,
    )
    page = feed_diversify(
        ranked,
        limit=size + 1,
        shown=[pool[article_id] for article_id in shown if article_id in pool],
    )
    return FeedPage(items=_picks(page[:size]), has_more=len(page) > size, profile=profile)


def feed_candidates(
    profile: Profile,
    signals: ReaderSignals,
    *,
    now: dt.datetime,
    include: Iterable[int] = (),
) -> dict[int, Candidate]:
    """The bounded pool a page is ranked from, by article id (`include` is read too, so
    earlier pages' items can be compared with)."""
    since = now - dt.timedelta(days=POOL_DAYS)
    ids: set[int] = set(include)
    ids.update(_followed_latest(signals.followed, since))
    channels = _pool_channels(profile, signals)
    per_channel = CHANNEL_HOT if profile.channels else COLD_CHANNEL_HOT
    if channels:
        ids.update(row[0] for row in top_per_channel(channels, per_channel))
    keywords = sorted(profile.keywords, key=lambda term: -profile.keywords[term])
    ids.update(
        article_id
        for _feature, article_id, _weight in postings_read(
            keywords[:PROFILE_KEYWORDS], cap=KEYWORD_POSTINGS
        )
    )
    ids.update(card.id for card in article_list_hot(limit=GLOBAL_HOT))
    # Live pins are few; their articles' status is checked with every other candidate's
    # (joining it here made SQLite walk the status index over every published article).
    pinned = set(
        HeadlinePin.objects.filter(starts_at__lte=now, ends_at__gt=now).values_list(
            "article_id", flat=True
        )
    )
    ids |= pinned
    return _candidates(ids, pinned)


def _followed_latest(followed: frozenset[int], since: dt.datetime) -> list[int]:
    """Each followed creator's latest articles since `since`, one index range per creator."""
    creators = sorted(followed)[:FOLLOWED_CREATORS]
    if not creators:
        return []
    table = Article._meta.db_table
    part = (
        f"SELECT id FROM {table} WHERE author_id = %s AND status = %s AND published_at >= %s "
        f"ORDER BY published_at DESC LIMIT {int(FOLLOWED_EACH)}"
    )
    statement = " UNION ALL ".join(f"SELECT * FROM ({part}) AS f{i}" for i in range(len(creators)))
    since_value = connection.ops.adapt_datetimefield_value(since)
    params = [v for c in creators for v in (c, Article.Status.PUBLISHED, since_value)]
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return [row[0] for row in cursor.fetchall()]


def _pool_channels(profile: Profile, signals: ReaderSignals) -> list[int]:
    """The reader's strongest and picked channels; for a new reader, every channel, so
    the cold-start feed is balanced across them."""
    hidden = signals.hidden.channels
    strongest = sorted(profile.channels, key=lambda c: -profile.channels[c])[:PROFILE_CHANNELS]
    chosen = [c for c in dict.fromkeys([*signals.picked, *strongest]) if c not in hidden]
    if chosen:
        return chosen
    return [
        channel.pk
        for channel in channel_list()
        if channel.group == channel.Group.MAIN and channel.pk not in hidden
    ]


def _candidates(ids: Iterable[int], pinned: set[int]) -> dict[int, Candidate]:
    """The published articles among `ids` as ranking candidates.

    Most of a pool (hot lists, busy channels) is the same for every reader, so each
    process keeps candidates for CANDIDATE_TTL seconds; the rest are read in one raw
    query (the ORM's per-value conversion cost more than the query itself).
    """
    clock = time.monotonic()
    found: dict[int, Candidate] = {}
    missing: list[int] = []
    for article_id in ids:
        hit = _seen.get(article_id)
        if hit is not None and clock - hit[0] < CANDIDATE_TTL:
            found[article_id] = hit[1]
        else:
            missing.append(article_id)
    if missing:
        if len(_seen) > CANDIDATE_CACHE_MAX:
            _seen.clear()
        for candidate in _candidates_read(missing):
            _seen[candidate.id] = (clock, candidate)
            found[candidate.id] = candidate
    return {
        article_id: replace(candidate, pinned=True) if article_id in pinned else candidate
        for article_id, candidate in found.items()
    }


def candidates_forget() -> None:
    """Drop this process's kept candidates (tests; a process that must see edits at once)."""
    _seen.clear()


def _candidates_read(ids: list[int]) -> list[Candidate]:
    analysis = ArticleAnalysis._meta.db_table
    article = Article._meta.db_table
    prints = ", ".join(f"an.{name}" for name in ArticleAnalysis.FINGERPRINT_FIELDS)
    mask = (1 << 64) - 1
    candidates = []
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 900):
            chunk = ids[start : start + 900]
            cursor.execute(
                # The status is checked in Python: as a condition, SQLite may drive the
                # join from the status index, over every published article.
                f"SELECT an.article_id, an.channel_id, an.author_id, an.keywords, "
                f"an.published_at, ar.hot_score, {prints}, an.duplicate_of_id, ar.status "
                f"FROM {analysis} an JOIN {article} ar ON ar.id = an.article_id "
                f"WHERE an.article_id IN ({', '.join(['%s'] * len(chunk))}) "
                f"AND an.published_at IS NOT NULL",
                chunk,
            )
            for row in cursor.fetchall():
                if row[10] != Article.Status.PUBLISHED:
                    continue
                keywords = json.loads(row[3]) if isinstance(row[3], str) else row[3]
                candidates.append(
                    Candidate(
                        id=row[0],
                        channel_id=row[1],
                        author_id=row[2],
                        keywords=tuple((term, float(weight)) for term, weight in keywords),
                        published_at=_aware(row[4]),
                        hot_score=row[5] or 0.0,
                        prints=tuple(value & mask for value in row[6:9]),
                        duplicate_of=row[9],
                    )
                )
    return candidates


def _aware(value: dt.datetime | str) -> dt.datetime:
    """A raw query's timestamp: SQLite gives naive UTC, PostgreSQL an aware datetime."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def _picks(ranked: Sequence[Ranked]) -> list[Pick]:
    """Cards for the page, each with its reason, in ranked order (one query)."""
    # Status is checked here, not in SQL: with it, SQLite walked the status index.
    cards = {
        card.id: card
        for card, (status,) in cards_with(
            Article.objects.filter(pk__in=[r.candidate.id for r in ranked]), "status"
        )
        if status == Article.Status.PUBLISHED
    }
    picks = []
    for item in ranked:
        card = cards.get(item.candidate.id)
        if card is None:
            continue
        reason = item.reason
        if reason.kind == "keywords":
            picks.append(Pick(card, Why.INTEREST, reason.keywords))
        elif reason.kind == "follow":
            picks.append(Pick(card, Why.FOLLOW, name=card.author_name))
        elif reason.kind == "channel":
            picks.append(Pick(card, Why.CHANNEL, name=card.channel_name))
        elif reason.kind == "editor":
            picks.append(Pick(card, Why.EDITOR))
        else:
            picks.append(Pick(card, Why.HOT))
    return picks


def _recent(queryset, field: str) -> list[tuple[int, dt.datetime]]:
    return list(queryset.order_by(f"-{field}").values_list("article_id", field)[:HISTORY])
