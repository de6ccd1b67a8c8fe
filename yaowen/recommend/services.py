"""Recommendation writes: refreshing the stored hot scores."""

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone

from yaowen.core.cache import invalidate
from yaowen.newsroom.models import Article
from yaowen.recommend.scoring import HOT_WINDOW_HOURS, hot_score
from yaowen.recommend.selectors import BLOCKS_KEY

BATCH = 2000


def hot_scores_refresh(*, now: dt.datetime | None = None) -> int:
    """Recompute the hot score of every published article in the hot window; zero the rest.

    Returns the number of articles scored. Runs from a periodic command (`refresh_hot`).
    """
    now = now or timezone.now()
    since = now - dt.timedelta(hours=HOT_WINDOW_HOURS)
    rows = list(
        Article.objects.filter(
            status=Article.Status.PUBLISHED, published_at__gte=since
        ).values_list(
            "id", "view_count", "comment_count", "like_count", "share_count", "published_at"
        )
    )
    table = Article._meta.db_table
    update = f"UPDATE {table} SET hot_score = %s WHERE id = %s"
    scored = 0
    with transaction.atomic():
        Article.objects.filter(hot_score__gt=0).exclude(
            status=Article.Status.PUBLISHED, published_at__gte=since
        ).update(hot_score=0.0)
        batch: list[tuple[float, int]] = []
        for article_id, views, comments, likes, shares, published_at in rows:
            age_hours = (now - published_at).total_seconds() / 3600
            score = hot_score(
                views=views, comments=comments, likes=likes, shares=shares, age_hours=age_hours
            )
            batch.append((score, article_id))
            if len(batch) >= BATCH:
                _write(update, batch)
                scored += len(batch)
                batch = []
        if batch:
            _write(update, batch)
            scored += len(batch)
    invalidate(BLOCKS_KEY)
    return scored


def _write(sql: str, batch: list[tuple[float, int]]) -> None:
    with connection.cursor() as cursor:
        cursor.executemany(sql, batch)
