"""Demo work for reviewers: an editor, 入驻 applications, pending articles (one copied
from another creator, one filed in the wrong channel) and reports."""

import datetime as dt
import random

from django.contrib.auth.models import Permission

from yaowen.accounts.models import CreatorApplication, CreatorProfile, User
from yaowen.demo import compose
from yaowen.engagement.models import Comment, Report
from yaowen.newsroom.models import Article, Channel
from yaowen.newsroom.rendering import render_body

DEMO_EDITOR = "editor"


def review_work_create(
    rng: random.Random,
    readers: list[User],
    creators: list[CreatorProfile],
    channels: list[Channel],
    figure_urls: list[str],
    now: dt.datetime,
) -> None:
    """An editor account, and applications and articles waiting in the review queues."""
    editor = User.objects.create(
        username=DEMO_EDITOR, nickname="值班编辑", is_staff=True, password=readers[0].password
    )
    editor.user_permissions.add(
        *Permission.objects.filter(
            codename__in=[
                "review_application",
                "review_article",
                "review_report",
                "pin_headline",
            ]
        )
    )
    for index, reader in enumerate(readers[1:4]):
        field = channels[(index * 3 + 4) % len(channels)]
        creator = compose.compose_creator(rng, field.slug)
        CreatorApplication.objects.create(
            user=reader,
            account_type=CreatorProfile.AccountType.PERSONAL,
            display_name=f"{creator.display_name}新号",
            field=field,
            bio=creator.bio[:40],
            avatar=creators[index].avatar.name,
            contact="邮箱 reader@example.com",
            statement="从事相关行业多年，希望分享一线见闻。",
            submitted_at=now - dt.timedelta(hours=3 - index),
        )
    titles = set(Article.objects.values_list("title", flat=True))
    for index in range(min(5, len(creators))):
        creator = creators[index]
        channel = creator.field or channels[0]
        piece = compose.compose_article(rng, channel.slug, figure_urls, now.date(), taken=titles)
        titles.add(piece.title)
        Article.objects.create(
            author=creator,
            channel=channel,
            title=piece.title[:64],
            summary=piece.summary[:200],
            body_source=piece.body_markdown,
            body_html=render_body(piece.body_markdown),
            tags=piece.tags,
            status=Article.Status.PENDING if index < 4 else Article.Status.DRAFT,
            submitted_at=now - dt.timedelta(minutes=30 * (5 - index)),
        )
    _create_copied_article(rng, creators, now)
    _create_misfiled_article(rng, creators, channels, figure_urls, now, titles)
    reasons = Report.Reason.values
    for index, comment in enumerate(Comment.objects.order_by("pk")[:4]):
        Report.objects.create(
            reporter=readers[(index + 5) % len(readers)],
            article_id=comment.article_id,
            comment=comment if index % 2 else None,
            reason=reasons[index % len(reasons)],
            note="内容疑似不实" if index == 0 else "",
        )


def _create_misfiled_article(
    rng: random.Random,
    creators: list[CreatorProfile],
    channels: list[Channel],
    figure_urls: list[str],
    now: dt.datetime,
    titles: set[str],
) -> None:
    """A sports story submitted to the finance channel: the classifier flags the mismatch."""
    by_slug = {channel.slug: channel for channel in channels}
    if "sports" not in by_slug or "finance" not in by_slug:
        return
    piece = compose.compose_article(rng, "sports", figure_urls, now.date(), taken=titles)
    Article.objects.create(
        author=creators[2 % len(creators)],
        channel=by_slug["finance"],
        title=piece.title[:64],
        summary=piece.summary[:200],
        body_source=piece.body_markdown,
        body_html=render_body(piece.body_markdown),
        tags=piece.tags,
        status=Article.Status.PENDING,
        submitted_at=now - dt.timedelta(minutes=20),
    )


def _create_copied_article(
    rng: random.Random, creators: list[CreatorProfile], now: dt.datetime
) -> None:
    """A submission that copies another creator's published article with its paragraphs
    reordered, so the review queue shows a near-duplicate flag."""
    copier = creators[1 % len(creators)]
    original = (
        Article.objects.filter(status=Article.Status.PUBLISHED)
        .exclude(author=copier)
        .order_by("published_at")
        .first()
    )
    if original is None:
        return
    paragraphs = original.body_source.split("\n\n")
    rng.shuffle(paragraphs)
    body = "\n\n".join(paragraphs)
    Article.objects.create(
        author=copier,
        channel=original.channel,
        title=f"{original.title[:56]}（转）",
        summary=original.summary,
        body_source=body,
        body_html=render_body(body),
        status=Article.Status.PENDING,
        is_original=True,
        submitted_at=now - dt.timedelta(minutes=10),
    )
