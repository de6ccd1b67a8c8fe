"""The values the personal feed is ranked from and returns: plain, frozen, no Django."""

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Interaction:
    """One thing the reader did to an article: "read", "like" or "comment"."""

    kind: str
    article_id: int
    channel_id: int
    author_id: int
    keywords: tuple[str, ...]  # the article's top keywords, strongest first
    at: datetime


@dataclass(frozen=True, slots=True)
class Candidate:
    """An article that could be shown; `keywords` are (keyword, weight), L2-normalised."""

    id: int
    channel_id: int
    author_id: int
    keywords: tuple[tuple[str, float], ...]
    published_at: datetime
    hot_score: float
    # Three 64-bit SimHashes; 0 at a position means "no fingerprint there".
    prints: tuple[int, ...] = ()
    duplicate_of: int | None = None
    pinned: bool = False


@dataclass(frozen=True)
class Profile:
    """What a reader cares about, each map decayed by age; `history` is 0 for a new reader."""

    channels: dict[int, float] = field(default_factory=dict)  # share of attention, sums to 1
    keywords: dict[str, float] = field(default_factory=dict)  # L2-normalised
    authors: dict[int, float] = field(default_factory=dict)  # affinity in [0, 1)
    picked: frozenset[int] = frozenset()  # channels the reader chose by hand
    history: float = 0.0  # decayed weight of all interactions


@dataclass(frozen=True)
class Hidden:
    """What the reader marked 不感兴趣: never shown again, by article, creator or channel."""

    articles: frozenset[int] = frozenset()
    authors: frozenset[int] = frozenset()
    channels: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Reason:
    """Why an item is recommended; the web layer turns it into Chinese text."""

    kind: str  # "keywords" | "follow" | "channel" | "hot" | "editor"
    keywords: tuple[str, ...] = ()
    author_id: int | None = None
    channel_id: int | None = None


@dataclass(frozen=True)
class Ranked:
    """A candidate with its score for this reader and the reason it is shown."""

    candidate: Candidate
    score: float
    reason: Reason
