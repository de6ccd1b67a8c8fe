"""The Redis side of the live hot lists: scripts, the sorted sets and their rebuild."""

import datetime as dt
import heapq
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

import redis
from django.utils import timezone

from yaowen.core.cache import Outage
from yaowen.newsroom.models import Article, Channel
from yaowen.recommend import scoring

# kind -> the hash field it counts in
KINDS = {"view": "v", "comment": "c", "like": "l", "share": "s"}
HOT_EVENT_WINDOW_SECONDS = 30 * 60
# Lists show at most a few dozen articles; deeper members would never be read.
HOT_SET_MAX = 1000
# After a Redis error, events are dropped (the next refresh restores them from the
# database) and lists read stored scores for this long, so no like or page waits on a
# server that is down.
OUTAGE_PAUSE_SECONDS = 10
LOAD_BATCH = 1000
WINDOW_SECONDS = scoring.HOT_WINDOW_HOURS * 3600

# Count one event unless the reader's same action is still in the window (window "0":
# already de-duplicated by the caller), then re-score the article from its counts exactly as
# scoring.hot_score does; its constants come in ARGV, so the policy stays in one place.
# KEYS: seen, the article's hash, the global set, the channel's set.
_EVENT_LUA = """
local member, window, field, n = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local published, now, hot_window = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
local view, comment, like, share = tonumber(ARGV[8]), tonumber(ARGV[9]),
  tonumber(ARGV[10]), tonumber(ARGV[11])
local offset, gravity, max_size = tonumber(ARGV[12]), tonumber(ARGV[13]), tonumber(ARGV[14])
if window ~= '0' and not redis.call('SET', KEYS[1], '1', 'NX', 'PX', window) then
  return 0
end
redis.call('HINCRBY', KEYS[2], field, n)
redis.call('HSET', KEYS[2], 'p', ARGV[5])
local age_seconds = now - published
local score = 0
if age_seconds <= hot_window then
  local c = redis.call('HMGET', KEYS[2], 'v', 'c', 'l', 's')
  local engagement = view * (tonumber(c[1]) or 0) + comment * (tonumber(c[2]) or 0)
    + like * (tonumber(c[3]) or 0) + share * (tonumber(c[4]) or 0)
  score = engagement / (math.max(age_seconds, 0) / 3600 + offset) ^ gravity
end
for i = 3, 4 do
  if score > 0 then
    redis.call('ZADD', KEYS[i], score, member)
    redis.call('ZREMRANGEBYRANK', KEYS[i], 0, -max_size - 1)
  else
    redis.call('ZREM', KEYS[i], member)
  end
end
redis.call('EXPIREAT', KEYS[2], math.ceil(published + hot_window))
return 1
"""

# The refresh's batch load: per article, counts and publication into its hash (or the hash
# deleted when the database has no engagement), and its fresh score into each list it makes
# (else out of it). One script per batch, so an event never sees new counts with an old score.
# KEYS[1]: the global set. ARGV[1]: the key prefix; ARGV[2]: "id,views,commenters,likes,
# shares,published,channel,expiry,score,lists;" per article, lists being 1 global + 2 channel.
# One string rather than ten arguments an article: redis-py packs many arguments slowly.
_LOAD_LUA = """
local prefix = ARGV[1]
local row = '(%d+),(%d+),(%d+),(%d+),(%d+),([^,]+),(%d+),(%d+),([^,]+),(%d);'
for id, v, c, l, s, p, ch, expiry, score, lists in string.gmatch(ARGV[2], row) do
  local hash = prefix .. 'a:' .. id
  local channel = prefix .. 'c' .. ch
  if v .. c .. l .. s == '0000' then
    redis.call('DEL', hash)
  else
    redis.call('HSET', hash, 'v', v, 'c', c, 'l', l, 's', s, 'p', p)
    redis.call('EXPIREAT', hash, expiry)
  end
  lists = tonumber(lists)
  if lists % 2 == 1 then
    redis.call('ZADD', KEYS[1], score, id)
  else
    redis.call('ZREM', KEYS[1], id)
  end
  if lists >= 2 then
    redis.call('ZADD', channel, score, id)
  else
    redis.call('ZREM', channel, id)
  end
end
return 0
"""


class HotRow(NamedTuple):
    """One article's engagement as the hot score counts it, from the database."""

    article_id: int
    channel_id: int
    published_at: dt.datetime
    views: int
    commenters: int
    likes: int
    shares: int


@dataclass(frozen=True)
class Rebuilt:
    loaded: int
    removed: int


class HotSet:
    """The live hot sets on one Redis server; methods raise redis.RedisError on failure."""

    def __init__(
        self,
        client: redis.Redis,
        *,
        prefix: str = "yw:hot:",
        window: float = HOT_EVENT_WINDOW_SECONDS,
        max_size: int = HOT_SET_MAX,
    ) -> None:
        self.client = client
        self.prefix = prefix
        self.window_ms = max(1, int(window * 1000))
        self.max_size = max_size
        self.paused_until = float("-inf")
        # Its failures, logged once a minute (core.cache.Outage); one HotSet per process.
        self.outage = Outage("Redis hot sets (stored scores used meanwhile)")
        self._event = client.register_script(_EVENT_LUA)
        self._load = client.register_script(_LOAD_LUA)

    def key(self, name: str) -> str:
        return f"{self.prefix}{name}"

    def set_key(self, channel_id: int | None) -> str:
        return self.key("all" if channel_id is None else f"c{channel_id}")

    def article_key(self, article_id: int) -> str:
        return self.key(f"a:{article_id}")

    def event(
        self,
        *,
        article_id: int,
        channel_id: int,
        kind: str,
        reader: str,
        published_at: dt.datetime,
        now: dt.datetime | None = None,
    ) -> bool:
        """Count one action unless the same reader did it within the window; re-score."""
        if kind not in KINDS:
            raise ValueError(f"unknown hot event kind {kind!r}")
        return self._count(
            article_id=article_id,
            channel_id=channel_id,
            field=KINDS[kind],
            n=1,
            seen=self.key(f"seen:{kind}:{article_id}:{reader}"),
            window_ms=self.window_ms,
            published_at=published_at,
            now=now,
        )

    def views_add(
        self, rows: Iterable[tuple[int, int, dt.datetime, int]], *, now: dt.datetime | None = None
    ) -> int:
        """Add (article, channel, published, views) already counted once per reader; returns
        the number of articles re-scored. One round trip for the whole batch."""
        now = now or timezone.now()
        pipe = self.client.pipeline(transaction=False)
        count = 0
        for article_id, channel_id, published_at, views in rows:
            self._count(
                article_id=article_id,
                channel_id=channel_id,
                field="v",
                n=views,
                seen=self.key("seen:-"),
                window_ms=0,
                published_at=published_at,
                now=now,
                client=pipe,
            )
            count += 1
        if count:
            pipe.execute()
        return count

    def _count(
        self,
        *,
        article_id: int,
        channel_id: int,
        field: str,
        n: int,
        seen: str,
        window_ms: int,
        published_at: dt.datetime,
        now: dt.datetime | None,
        client: redis.client.Pipeline | None = None,
    ) -> bool:
        now = now or timezone.now()
        counted = self._event(
            keys=[
                seen,
                self.article_key(article_id),
                self.set_key(None),
                self.set_key(channel_id),
            ],
            args=[
                article_id,
                window_ms,
                field,
                n,
                repr(published_at.timestamp()),
                repr(now.timestamp()),
                WINDOW_SECONDS,
                scoring.VIEW_WEIGHT,
                scoring.COMMENT_WEIGHT,
                scoring.LIKE_WEIGHT,
                scoring.SHARE_WEIGHT,
                scoring.AGE_OFFSET_HOURS,
                scoring.GRAVITY,
                self.max_size,
            ],
            client=client,
        )
        return bool(counted)

    def top(
        self, *, channel_id: int | None, limit: int, now: dt.datetime | None = None
    ) -> list[int]:
        """The `limit` articles with the highest hot score now, best first (ties: newer id).

        A set score is exact when written and only falls afterwards (age grows, counts stand
        still), so it bounds the score now from above: reading in set order and re-scoring
        can stop once the limit-th score now reaches the last bound read. Quiet articles
        therefore sink on time, without waiting for the refresh.
        """
        if limit <= 0:
            return []
        now_ts = (now or timezone.now()).timestamp()
        key = self.set_key(channel_id)
        page = 2 * limit + 10
        ranked: list[tuple[float, int]] = []
        start = 0
        while True:
            members = self.client.zrevrange(key, start, start + page - 1, withscores=True)
            if not members:
                break
            pipe = self.client.pipeline(transaction=False)
            for member, _bound in members:
                pipe.hmget(self.article_key(int(member)), "v", "c", "l", "s", "p")
            for (member, _bound), fields in zip(members, pipe.execute(), strict=True):
                score = _score_now(fields, now_ts)
                if score > 0:
                    ranked.append((score, int(member)))
            ranked.sort(key=lambda row: (-row[0], -row[1]))
            lowest_bound = members[-1][1]
            if len(members) < page or (
                len(ranked) >= limit and ranked[limit - 1][0] >= lowest_bound
            ):
                break
            start += page
        return [article_id for _score, article_id in ranked[:limit]]

    def rebuild(self, *, rows: list[HotRow], now: dt.datetime) -> Rebuilt:
        """Make the sets match the database: each set holds the max_size best rows scored at
        `now`, every row's counts are what later events add to, and members the rows do
        not vouch for are removed. An article published after the rows were read is kept.
        """
        now_ts = now.timestamp()
        scores = [
            scoring.hot_score(
                views=row.views,
                comments=row.commenters,
                likes=row.likes,
                shares=row.shares,
                age_hours=(now_ts - row.published_at.timestamp()) / 3600,
            )
            for row in rows
        ]
        by_key: dict[str, list[tuple[float, int]]] = {}
        for row, score in zip(rows, scores, strict=True):
            if score > 0:
                by_key.setdefault(self.set_key(None), []).append((score, row.article_id))
                by_key.setdefault(self.set_key(row.channel_id), []).append((score, row.article_id))
        expected = {
            key: {pk for _score, pk in heapq.nlargest(self.max_size, ranked)}
            for key, ranked in by_key.items()
        }
        in_all = expected.get(self.set_key(None), set())
        for start in range(0, len(rows), LOAD_BATCH):
            batch = []
            for row, score in zip(
                rows[start : start + LOAD_BATCH], scores[start : start + LOAD_BATCH], strict=True
            ):
                published = row.published_at.timestamp()
                in_channel = row.article_id in expected.get(self.set_key(row.channel_id), ())
                lists = (row.article_id in in_all) + 2 * in_channel
                batch.append(
                    f"{row.article_id},{row.views},{row.commenters},{row.likes},{row.shares},"
                    f"{published!r},{row.channel_id},{math.ceil(published + WINDOW_SECONDS)},"
                    f"{score!r},{lists};"
                )
            self._load(keys=[self.set_key(None)], args=[self.prefix, "".join(batch)])
        known = {row.article_id for row in rows}
        return Rebuilt(loaded=len(rows), removed=self._prune(expected, known, now))

    def _set_keys(self) -> list[str]:
        # Channels are never deleted while articles point at them (PROTECT), so the table
        # names every channel set there can be.
        channel_ids = Channel.objects.order_by("pk").values_list("pk", flat=True)
        return [self.set_key(None), *(self.set_key(pk) for pk in channel_ids)]

    def _prune(self, expected: dict[str, set[int]], known: set[int], now: dt.datetime) -> int:
        """Remove members the rows did not put in their set: rows ranked too low or in
        another channel now, and articles unpublished or out of the window since."""
        stale: dict[str, set[int]] = {}
        for key in self._set_keys():
            members = {int(member) for member in self.client.zrange(key, 0, -1)}
            if extra := members - expected.get(key, set()):
                stale[key] = extra
        # An article the rows do not know was unpublished or left the window, or was
        # published after they were read and has had an event since (then it stays); the
        # database tells which, in one query.
        since = now - dt.timedelta(hours=scoring.HOT_WINDOW_HOURS)
        channel_of = dict(
            Article.objects.filter(
                pk__in={pk for members in stale.values() for pk in members} - known,
                status=Article.Status.PUBLISHED,
                published_at__gte=since,
            ).values_list("id", "channel_id")
        )
        pipe = self.client.pipeline(transaction=False)
        for key, members in stale.items():
            gone = [
                pk
                for pk in members
                if pk not in channel_of
                or key not in (self.set_key(None), self.set_key(channel_of[pk]))
            ]
            if gone:
                pipe.zrem(key, *gone)
        return sum(pipe.execute())


def _score_now(fields: list, now_ts: float) -> float:
    views, commenters, likes, shares, published = fields
    if published is None:  # the article left the window (or Redis evicted its counts)
        return 0.0
    return scoring.hot_score(
        views=int(views or 0),
        comments=int(commenters or 0),
        likes=int(likes or 0),
        shares=int(shares or 0),
        age_hours=(now_ts - float(published)) / 3600,
    )
