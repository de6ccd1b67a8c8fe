"""Newsroom writes: creating, publishing and removing articles.

Services keep the denormalised author counters and the caches of the pages that show an
article true; models never do this in save().
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yaowen.accounts.models import CreatorProfile, User
from yaowen.core.cache import invalidate
from yaowen.core.errors import ApplicationError
from yaowen.newsroom.models import Article, ArticleReference, Channel
from yaowen.newsroom.rendering import render_body, summarise
from yaowen.newsroom.selectors import author_recent_key, references_key
from yaowen.recommend.selectors import BLOCKS_KEY, article_recs_key, related_key

TITLE_REQUIRED = _("标题不能为空。")
BODY_REQUIRED = _("正文不能为空。")
CANNOT_PUBLISH = _("只有草稿或待审核的文章可以发布。")
ALREADY_REMOVED = _("文章已下架。")
REASON_REQUIRED = _("下架必须填写原因。")


@dataclass(frozen=True)
class ReferenceInput:
    source: str
    title: str = ""
    published_on: dt.date | None = None
    url: str = ""


@transaction.atomic
def article_create(
    *,
    author: CreatorProfile,
    channel: Channel,
    title: str,
    body_source: str,
    summary: str = "",
    references: Sequence[ReferenceInput] = (),
    is_original: bool = False,
) -> Article:
    """A new draft with its body rendered and sanitised and its references in order."""
    title = title.strip()
    if not title:
        raise ApplicationError(str(TITLE_REQUIRED))
    if not body_source.strip():
        raise ApplicationError(str(BODY_REQUIRED))
    article = Article.objects.create(
        author=author,
        channel=channel,
        title=title,
        summary=summary.strip() or summarise(body_source),
        body_source=body_source,
        body_html=render_body(body_source),
        is_original=is_original,
    )
    ArticleReference.objects.bulk_create(
        ArticleReference(
            article=article,
            position=position,
            source=reference.source,
            title=reference.title,
            published_on=reference.published_on,
            url=reference.url,
        )
        for position, reference in enumerate(references)
    )
    return article


@transaction.atomic
def article_publish(*, article: Article, by: User | None = None) -> Article:
    """Publish a draft or pending article now and count it on its author's card."""
    locked = Article.objects.select_for_update().get(pk=article.pk)
    if locked.status not in (Article.Status.DRAFT, Article.Status.PENDING):
        raise ApplicationError(str(CANNOT_PUBLISH))
    locked.status = Article.Status.PUBLISHED
    locked.published_at = timezone.now()
    locked.save(update_fields=["status", "published_at", "updated_at"])
    CreatorProfile.objects.filter(pk=locked.author_id).update(article_count=F("article_count") + 1)
    transaction.on_commit(lambda: _invalidate_article_pages(locked))
    return locked


@transaction.atomic
def article_remove(*, article: Article, by: User, reason: str) -> Article:
    """Take a published article down: its page answers 410 and it leaves every list."""
    reason = reason.strip()
    if not reason:
        raise ApplicationError(str(REASON_REQUIRED))
    locked = Article.objects.select_for_update().get(pk=article.pk)
    if locked.status == Article.Status.REMOVED:
        raise ApplicationError(str(ALREADY_REMOVED))
    was_published = locked.status == Article.Status.PUBLISHED
    locked.status = Article.Status.REMOVED
    locked.removed_reason = reason
    locked.hot_score = 0.0
    locked.save(update_fields=["status", "removed_reason", "hot_score", "updated_at"])
    if was_published:
        CreatorProfile.objects.filter(pk=locked.author_id, article_count__gt=0).update(
            article_count=F("article_count") - 1
        )
    transaction.on_commit(lambda: _invalidate_article_pages(locked))
    return locked


def _invalidate_article_pages(article: Article) -> None:
    invalidate(
        author_recent_key(article.author_id),
        references_key(article.pk),
        related_key(article.pk),
        BLOCKS_KEY,
        *(article_recs_key(article.pk, language) for language, _name in settings.LANGUAGES),
    )
