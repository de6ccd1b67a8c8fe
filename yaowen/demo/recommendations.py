"""Demo recommendations: the related index and lists, readers' histories, editors' pins."""

import datetime as dt
import random

from django.db import transaction

from yaowen.accounts.models import User
from yaowen.core.bulk import insert_rows
from yaowen.core.progress import Progress
from yaowen.demo.review_work import DEMO_EDITOR
from yaowen.engagement.models import Comment, Like
from yaowen.newsroom.models import Article, Channel
from yaowen.recommend.models import HeadlinePin, Reading
from yaowen.recommend.services.related import related_rebuild, related_reindex
from yaowen.recommend.services.topics import topics_refit

READINGS_PER_READER = (10, 40)
PINS = 2


def recommendations_build(
    rng: random.Random, readers: list[User], now: dt.datetime, progress: Progress
) -> None:
    """Index every published article, store every related list, give readers a history
    (what they liked and commented on, plus more in their favourite channels) and pin an
    editor's pick into the first headline blocks."""
    related_reindex(progress=progress)
    topics_refit(progress=progress)
    published = Article.objects.filter(status=Article.Status.PUBLISHED)
    related_rebuild(tick=progress("related", published.count()))
    _readings(rng, readers, now)
    _pins(rng, now)


def _readings(rng: random.Random, readers: list[User], now: dt.datetime) -> None:
    by_channel: dict[int, list[tuple[int, dt.datetime]]] = {}
    for pk, channel_id, published_at in Article.objects.filter(
        status=Article.Status.PUBLISHED
    ).values_list("pk", "channel_id", "published_at"):
        by_channel.setdefault(channel_id, []).append((pk, published_at))
    channels = sorted(by_channel)
    acted: dict[int, set[int]] = {}
    for model in (Like, Comment):
        for user_id, article_id in model.objects.values_list("user_id", "article_id"):
            acted.setdefault(user_id, set()).add(article_id)
    when = dict(
        Article.objects.filter(status=Article.Status.PUBLISHED).values_list("pk", "published_at")
    )
    rows = []
    for reader in readers:
        favourites = rng.sample(channels, k=min(2, len(channels)))
        read = set(acted.get(reader.pk, set())) & set(when)
        for _ in range(rng.randint(*READINGS_PER_READER)):
            article_id, _published = rng.choice(by_channel[rng.choice(favourites)])
            read.add(article_id)
        for article_id in read:
            start = when[article_id]
            seconds = max(60, int((now - start).total_seconds()))
            rows.append(
                (reader.pk, article_id, start + dt.timedelta(seconds=rng.randint(60, seconds)))
            )
    with transaction.atomic():
        insert_rows(Reading, ("user", "article", "read_at"), rows)


def _pins(rng: random.Random, now: dt.datetime) -> None:
    editor = User.objects.filter(username=DEMO_EDITOR).first()
    for channel in Channel.objects.filter(in_blocks=True).order_by("position")[:PINS]:
        # A recent article that is not already at the top of the hot list: the pin shows.
        recent = list(
            Article.objects.filter(channel=channel, status=Article.Status.PUBLISHED)
            .order_by("-published_at")
            .values_list("pk", flat=True)[:20]
        )
        if recent:
            HeadlinePin.objects.create(
                channel=channel,
                article_id=rng.choice(recent[5:] or recent),
                starts_at=now - dt.timedelta(hours=1),
                ends_at=now + dt.timedelta(days=7),
                note="演示：编辑精选",
                created_by=editor,
            )
