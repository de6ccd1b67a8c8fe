"""Build demo or benchmark content in bulk: creators, articles, comments, likes, follows.

Everything is composed by our own generator (compose.py, images.py) from a seeded random
generator, so the same seed gives the same site. Articles go in with bulk inserts through
the same Markdown renderer the newsroom services use; counters are then derived from rows.
"""

import datetime as dt
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from yaowen.accounts.models import CreatorProfile, Follow, User
from yaowen.analysis.services import analysis_rebuild, classifier_train
from yaowen.core.bulk import insert_rows
from yaowen.core.progress import Progress, no_progress
from yaowen.demo import compose, images
from yaowen.demo.moderation_work import moderation_work_create
from yaowen.demo.recommendations import recommendations_build
from yaowen.demo.review_work import DEMO_EDITOR, review_work_create
from yaowen.engagement.models import Comment, Like, Share
from yaowen.jobs.delivery import deliver_pending
from yaowen.newsroom.channels import channels_seed
from yaowen.newsroom.models import Article, ArticleReference, Channel
from yaowen.newsroom.rendering import render_body
from yaowen.newsroom.services.pages import channels_changed
from yaowen.recommend.services.hot import hot_scores_refresh
from yaowen.standing.services import standings_refresh

DEMO_PASSWORD = "yaowen-demo"
DEMO_READER = "reader"
FIGURE_COUNT = 48
BATCH = 2000
DAYS = 30
_FIRST_FIGURE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<url>[^ )]+)")


@dataclass(frozen=True)
class DemoSize:
    creators: int = 50
    articles: int = 3000
    readers: int = 300
    comments_per_article: float = 4.0
    seed: int = 20261128


MIN_CLASSIFIER_ARTICLES = 60


@dataclass(frozen=True)
class DemoResult:
    creators: int
    readers: int
    articles: int
    comments: int
    likes: int
    follows: int


def demo_build(*, size: DemoSize, progress: Progress = no_progress) -> DemoResult:
    """Create a whole demo site. Expects a database with channels and no demo users yet."""
    rng = random.Random(size.seed)
    now = timezone.now()
    channels_seed(Channel)
    channels = list(Channel.objects.filter(slug__in=compose.CHANNELS).order_by("position"))

    figures = _write_figures(progress)
    figure_urls = list(figures)
    password = make_password(DEMO_PASSWORD)
    readers = _create_readers(rng, size.readers, password, now)
    creators = _create_creators(rng, size.creators, channels, password, now, progress)
    articles = _create_articles(rng, size, creators, channels, figures, now, progress)
    comments = _create_comments(rng, size, articles, readers, now, progress)
    likes = _create_likes(rng, articles, readers, now, progress)
    _create_shares(rng, articles, readers, now, progress)
    follows = _create_follows(rng, readers, creators, now)
    review_work_create(rng, readers, creators, channels, figure_urls, now)
    # Too few articles make a classifier that guesses; the review queue then shows no
    # channel flags rather than wrong ones.
    if len(articles) >= MIN_CLASSIFIER_ARTICLES:
        tick = progress("classifier", 1)
        classifier_train()
        tick(1)
    analysis_rebuild(progress=progress)
    moderation_work_create(readers, creators, User.objects.get(username=DEMO_EDITOR))
    # The events the demo's reviews and take-downs announced, delivered here rather than
    # by the consumer, so the site is complete when it is first served.
    deliver_pending()
    _refresh_counters()
    # After the counters: standing reads them (and decides who publishes without review).
    standings_refresh(progress=progress)
    hot_scores_refresh(now=now)
    recommendations_build(rng, readers, now, progress)
    channels_changed()
    return DemoResult(
        creators=len(creators),
        readers=len(readers),
        articles=len(articles),
        comments=comments,
        likes=likes,
        follows=follows,
    )


def _stored(name: str, draw: Callable[[], bytes]) -> str:
    """`name` in the media storage, drawn only when missing (the same seed draws the same
    image), whether the storage is a folder or a bucket."""
    if default_storage.exists(name):
        return name
    return default_storage.save(name, ContentFile(draw()))


def _write_figures(progress: Progress) -> dict[str, str]:
    """The figures' storage names by their URLs (which article bodies embed)."""
    tick = progress("figures", FIGURE_COUNT)
    figures = {}
    for index in range(FIGURE_COUNT):
        name = _stored(f"demo/figures/{index:02d}.webp", lambda i=index: images.figure_webp(i))
        figures[default_storage.url(name)] = name
        tick(1)
    return figures


def _create_readers(rng: random.Random, count: int, password: str, now: dt.datetime) -> list[User]:
    users = [
        User(
            username=DEMO_READER if index == 0 else f"reader{index:05d}",
            nickname=f"网友{rng.randrange(10_000, 99_999)}",
            password=password,
            date_joined=now - dt.timedelta(days=rng.uniform(30, 400)),
        )
        for index in range(count)
    ]
    return User.objects.bulk_create(users, batch_size=BATCH)


def _create_creators(
    rng: random.Random,
    count: int,
    channels: list[Channel],
    password: str,
    now: dt.datetime,
    progress: Progress,
) -> list[CreatorProfile]:
    users = User.objects.bulk_create(
        [
            User(
                username=f"creator{index:03d}",
                password=password,
                date_joined=now - dt.timedelta(days=rng.uniform(60, 900)),
            )
            for index in range(count)
        ],
        batch_size=BATCH,
    )
    tick = progress("creators", count)
    profiles, names = [], set()
    badges = [choice for choice, _label in CreatorProfile.Badge.choices]
    for index, user in enumerate(users):
        field = channels[index % len(channels)]
        creator = compose.compose_creator(rng, field.slug)
        name = creator.display_name
        while name in names:
            name = f"{creator.display_name}{rng.randrange(2, 99)}"
        names.add(name)
        avatar = _stored(f"avatars/demo/{index:03d}.png", lambda i=index: images.avatar_png(i))
        profiles.append(
            CreatorProfile(
                user=user,
                display_name=name,
                bio=creator.bio,
                avatar=avatar,
                field=field,
                # News and current affairs need an organisation behind them.
                account_type=(
                    CreatorProfile.AccountType.MEDIA
                    if field.slug in {"news", "world", "military"}
                    else rng.choice(
                        [CreatorProfile.AccountType.PERSONAL] * 4
                        + [CreatorProfile.AccountType.MEDIA, CreatorProfile.AccountType.ENTERPRISE]
                    )
                ),
                badge=rng.choice(badges),
                created_at=user.date_joined,
            )
        )
        tick(1)
    return CreatorProfile.objects.bulk_create(profiles, batch_size=BATCH)


def _published_at(rng: random.Random, now: dt.datetime) -> dt.datetime:
    # Skewed toward the recent past, as a live site's archive is.
    days = DAYS * rng.random() ** 1.6
    return now - dt.timedelta(days=days, minutes=rng.uniform(1, 30))


ARTICLE_FIELDS = (
    "author", "channel", "title", "summary", "body_source", "body_html", "cover", "cover_alt",
    "status", "is_original", "published_at", "created_at", "updated_at", "removed_reason",
    "view_count", "comment_count", "like_count", "share_count", "hot_score", "tags",
    "rejection_reason", "submitted_at",
)  # fmt: skip


def _create_articles(
    rng: random.Random,
    size: DemoSize,
    creators: list[CreatorProfile],
    channels: list[Channel],
    figures: dict[str, str],
    now: dt.datetime,
    progress: Progress,
) -> list[tuple[int, dt.datetime]]:
    by_channel: dict[int, list[int]] = {}
    for creator in creators:
        by_channel.setdefault(creator.field_id, []).append(creator.pk)
    all_creators = [creator.pk for creator in creators]
    figure_urls = list(figures)
    tick = progress("articles", size.articles)
    created: list[tuple[int, dt.datetime]] = []
    titles: set[str] = set()  # no two articles of the site share a title
    for start in range(0, size.articles, BATCH):
        rows, batch_refs, times = [], [], []
        for index in range(start, min(start + BATCH, size.articles)):
            # Every channel gets articles; a creator mostly writes in their own field.
            if index < 4 * len(channels):
                channel = channels[index % len(channels)]
            else:
                channel = rng.choice(channels)
            pool = by_channel.get(channel.pk) or all_creators
            author_id = rng.choice(pool) if rng.random() < 0.9 else rng.choice(all_creators)
            published_at = _published_at(rng, now)
            piece = compose.compose_article(
                rng, channel.slug, figure_urls, published_at.date(), taken=titles
            )
            titles.add(piece.title)
            first = _FIRST_FIGURE.search(piece.body_markdown)
            views = int(rng.lognormvariate(6.0, 1.3))
            rows.append(
                (
                    author_id,
                    channel.pk,
                    piece.title[:64],
                    piece.summary[:200],
                    piece.body_markdown,
                    render_body(piece.body_markdown),
                    figures.get(first["url"], "") if first else "",
                    first["alt"][:80] if first else "",
                    Article.Status.PUBLISHED.value,
                    rng.random() < 0.6,
                    published_at,
                    published_at - dt.timedelta(minutes=rng.uniform(5, 600)),
                    published_at,
                    "",
                    views,
                    0,
                    0,
                    0,
                    0.0,
                    piece.tags,
                    "",
                    published_at,
                )
            )
            batch_refs.append(piece.references)
            times.append(published_at)
        with transaction.atomic():
            ids = insert_rows(Article, ARTICLE_FIELDS, rows, ids=True)
            insert_rows(
                ArticleReference,
                ("article", "position", "source", "title", "published_on", "url"),
                (
                    (article_id, position, ref.source, ref.title, ref.published, "")
                    for article_id, references in zip(ids, batch_refs, strict=True)
                    for position, ref in enumerate(references)
                ),
            )
        created.extend(zip(ids, times, strict=True))
        tick(len(ids))
    return created


def _create_comments(
    rng: random.Random,
    size: DemoSize,
    articles: list[tuple[int, dt.datetime]],
    readers: list[User],
    now: dt.datetime,
    progress: Progress,
) -> int:
    reader_ids = [reader.pk for reader in readers]

    def rows_for(article_id: int, published_at: dt.datetime) -> Iterator[tuple]:
        count = min(int(rng.expovariate(1 / size.comments_per_article)), 60)
        span = (now - published_at).total_seconds()
        for _index in range(count):
            yield (
                article_id,
                rng.choice(reader_ids),
                None,
                compose.compose_comment(rng),
                Comment.Status.VISIBLE.value,
                int(rng.expovariate(0.5)),
                published_at + dt.timedelta(seconds=span * rng.random() ** 2),
            )

    fields = ("article", "user", "parent", "body", "status", "like_count", "created_at")
    return _insert_per_article(
        Comment, fields, articles, rows_for, progress("comments", len(articles))
    )


def _create_likes(
    rng: random.Random,
    articles: list[tuple[int, dt.datetime]],
    readers: list[User],
    now: dt.datetime,
    progress: Progress,
) -> int:
    reader_ids = [reader.pk for reader in readers]

    def rows_for(article_id: int, published_at: dt.datetime) -> Iterator[tuple]:
        count = min(int(rng.expovariate(1 / 6)), len(reader_ids))
        span = (now - published_at).total_seconds()
        for reader_id in rng.sample(reader_ids, count):
            yield article_id, reader_id, published_at + dt.timedelta(seconds=span * rng.random())

    fields = ("article", "user", "created_at")
    return _insert_per_article(Like, fields, articles, rows_for, progress("likes", len(articles)))


def _create_shares(
    rng: random.Random,
    articles: list[tuple[int, dt.datetime]],
    readers: list[User],
    now: dt.datetime,
    progress: Progress,
) -> int:
    reader_ids = [reader.pk for reader in readers]
    targets = Share.Target.values

    def rows_for(article_id: int, published_at: dt.datetime) -> Iterator[tuple]:
        span = (now - published_at).total_seconds()
        for _index in range(min(int(rng.expovariate(1 / 3)), 40)):
            user = rng.choice(reader_ids) if rng.random() < 0.4 else None
            yield (
                article_id,
                user,
                rng.choice(targets),
                published_at + dt.timedelta(seconds=span * rng.random()),
            )

    fields = ("article", "user", "target", "created_at")
    return _insert_per_article(Share, fields, articles, rows_for, progress("shares", len(articles)))


def _insert_per_article(
    model,
    fields: tuple[str, ...],
    articles: list[tuple[int, dt.datetime]],
    rows_for: Callable[[int, dt.datetime], Iterator[tuple]],
    tick: Callable[[int], None],
) -> int:
    """Insert the rows generated for each article in batches; returns how many."""
    total, batch = 0, []
    for article_id, published_at in articles:
        batch.extend(rows_for(article_id, published_at))
        if len(batch) >= BATCH:
            _insert_atomic(model, fields, batch)
            total += len(batch)
            batch = []
        tick(1)
    _insert_atomic(model, fields, batch)
    return total + len(batch)


def _create_follows(
    rng: random.Random, readers: list[User], creators: list[CreatorProfile], now: dt.datetime
) -> int:
    rows = [
        (reader.pk, creator.user_id, now - dt.timedelta(days=rng.uniform(0, DAYS)))
        for reader in readers
        for creator in rng.sample(creators, min(len(creators), rng.randint(1, 10)))
    ]
    _insert_atomic(Follow, ("follower", "followee", "created_at"), rows)
    return len(rows)


def _insert_atomic(model, fields: tuple[str, ...], rows: list[tuple]) -> None:
    with transaction.atomic():
        insert_rows(model, fields, rows)


@transaction.atomic
def _refresh_counters() -> None:
    """Derive every denormalised counter from the rows, so the demo's numbers are exact."""

    def count_of(model, field: str, outer: str = "pk", **filters) -> Coalesce:
        rows = (
            model.objects.filter(**{field: OuterRef(outer)}, **filters)
            .order_by()
            .values(field)
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(rows), 0)

    Article.objects.update(
        comment_count=count_of(Comment, "article", status=Comment.Status.VISIBLE),
        like_count=count_of(Like, "article"),
        share_count=count_of(Share, "article"),
    )
    CreatorProfile.objects.update(
        article_count=count_of(Article, "author", status=Article.Status.PUBLISHED),
        follower_count=count_of(Follow, "followee", outer="user_id"),
    )
