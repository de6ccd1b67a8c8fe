"""Hot scores: stored in the database and, with REDIS_URL, the live Redis sets re-scored."""

import datetime as dt
import logging
from dataclasses import dataclass

import redis
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from yaowen.core.cache import invalidate
from yaowen.engagement.models import Comment
from yaowen.newsroom.models import Article
from yaowen.recommend import hotset
from yaowen.recommend.hotset import HotRow
from yaowen.recommend.scoring import HOT_WINDOW_HOURS, hot_score
from yaowen.recommend.selectors import BLOCKS_KEY

logger = logging.getLogger(__name__)

BATCH = 2000


@dataclass(frozen=True)
class HotRefresh:
    """What one refresh did. `live` is None when Redis is off; `live_failed` when it failed."""

    scored: int
    live: hotset.Rebuilt | None = None
    live_failed: bool = False


def hot_scores_refresh(*, now: dt.datetime | None = None) -> HotRefresh:
    """Recompute the hot score of every published article in the hot window; zero the rest.

    Comments count once per commenter, so a reader cannot raise an article by commenting
    again and again. With Redis the live sets get the same counts and scores; a Redis
    failure is logged and leaves the stored scores written. Runs from `refresh_hot`.
    """
    now = now or timezone.now()
    since = now - dt.timedelta(hours=HOT_WINDOW_HOURS)
    in_window = {"status": Article.Status.PUBLISHED, "published_at__gte": since}
    commenters = dict(
        Comment.objects.filter(
            status=Comment.Status.VISIBLE,
            article__status=Article.Status.PUBLISHED,
            article__published_at__gte=since,
        )
        .order_by()
        .values("article_id")
        .annotate(n=Count("user_id", distinct=True))
        .values_list("article_id", "n")
    )
    rows = [
        HotRow(pk, channel_id, published_at, views, commenters.get(pk, 0), likes, shares)
        for pk, channel_id, published_at, views, likes, shares in Article.objects.filter(
            **in_window
        ).values_list("id", "channel_id", "published_at", "view_count", "like_count", "share_count")
    ]
    table = Article._meta.db_table
    update = f"UPDATE {table} SET hot_score = %s WHERE id = %s"
    with transaction.atomic():
        Article.objects.filter(hot_score__gt=0).exclude(**in_window).update(hot_score=0.0)
        for start in range(0, len(rows), BATCH):
            batch = [
                (
                    hot_score(
                        views=row.views,
                        comments=row.commenters,
                        likes=row.likes,
                        shares=row.shares,
                        age_hours=(now - row.published_at).total_seconds() / 3600,
                    ),
                    row.article_id,
                )
                for row in rows[start : start + BATCH]
            ]
            _write(update, batch)
    invalidate(BLOCKS_KEY)
    live = hotset.backend()
    if live is None:
        return HotRefresh(scored=len(rows))
    try:
        return HotRefresh(scored=len(rows), live=live.rebuild(rows=rows, now=now))
    except redis.RedisError:
        # The sets keep what events made of them; the next refresh tries again.
        logger.warning("Could not re-score the Redis hot sets.", exc_info=True)
        return HotRefresh(scored=len(rows), live_failed=True)


def _write(sql: str, batch: list[tuple[float, int]]) -> None:
    with connection.cursor() as cursor:
        cursor.executemany(sql, batch)
