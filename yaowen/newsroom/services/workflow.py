"""The publishing workflow: submit, review, schedule, publish.

draft/rejected --submit--> pending --approve--> published (or scheduled until its time)
                                   --reject---> rejected (with the reviewer's reason)
A trusted creator's submission skips review when TRUSTED_CREATORS_SKIP_REVIEW is on.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yaowen.accounts.models import CreatorProfile, User
from yaowen.analysis.services import analysis_publish, original_recheck
from yaowen.core.errors import ApplicationError, PermissionDeniedError
from yaowen.moderation.models import ReviewDecision
from yaowen.moderation.services import decision_record
from yaowen.newsroom.models import Article
from yaowen.newsroom.services.articles import NOT_YOUR_ARTICLE, invalidate_article_pages
from yaowen.recommend.services.related import related_publish

CANNOT_PUBLISH = _("只有草稿、待审核或定时的文章可以发布。")
CANNOT_SUBMIT = _("只有草稿或未通过的文章可以提交。")
ORIGINAL_CLAIM_BLOCKED = _(
    "这篇文章与其他作者已发布的《{title}》高度相似，不能声明原创。取消原创声明后可以提交审核。"
)
CREATOR_CANNOT_PUBLISH = _("你的创作者账号已暂停，暂时不能发布文章。")
NOT_A_REVIEWER = _("你没有审核文章的权限。")
NOT_PENDING = _("这篇文章不在待审核状态。")
REJECT_REASON_REQUIRED = _("驳回时必须写明原因。")
SCHEDULE_IN_PAST = _("定时发布的时间必须晚于现在。")


def _skips_review(creator: CreatorProfile) -> bool:
    return settings.TRUSTED_CREATORS_SKIP_REVIEW and creator.is_trusted


@transaction.atomic
def article_submit(
    *, article: Article, by: User, scheduled_at: dt.datetime | None = None
) -> Article:
    """Send a draft to review, or straight to publication for a trusted creator."""
    locked = Article.objects.select_for_update().select_related("author").get(pk=article.pk)
    if locked.author.user_id != by.pk:
        raise PermissionDeniedError(str(NOT_YOUR_ARTICLE))
    if locked.author.status != CreatorProfile.Status.ACTIVE:
        raise PermissionDeniedError(str(CREATOR_CANNOT_PUBLISH))
    if locked.status not in (Article.Status.DRAFT, Article.Status.REJECTED):
        raise ApplicationError(str(CANNOT_SUBMIT))
    now = timezone.now()
    if scheduled_at is not None and scheduled_at <= now:
        raise ApplicationError(str(SCHEDULE_IN_PAST))
    analysis = original_recheck(article=locked)
    if analysis.duplicate_of_id and locked.is_original:
        original = Article.objects.get(pk=analysis.duplicate_of_id)
        raise ApplicationError(str(ORIGINAL_CLAIM_BLOCKED).format(title=original.title))
    locked.submitted_at = now
    locked.scheduled_at = scheduled_at
    locked.rejection_reason = ""
    # A likely copy of another creator's article always goes to a reviewer.
    if _skips_review(locked.author) and not analysis.duplicate_of_id:
        return _release(locked, now=now)
    locked.status = Article.Status.PENDING
    locked.save(
        update_fields=["status", "submitted_at", "scheduled_at", "rejection_reason", "updated_at"]
    )
    return locked


@transaction.atomic
def article_approve(*, article: Article, reviewer: User, note: str = "") -> Article:
    """A reviewer passes a pending article: it goes live now or at its scheduled time."""
    if not reviewer.has_perm("newsroom.review_article"):
        raise PermissionDeniedError(str(NOT_A_REVIEWER))
    locked = Article.objects.select_for_update().get(pk=article.pk)
    if locked.status != Article.Status.PENDING:
        raise ApplicationError(str(NOT_PENDING))
    decision_record(
        subject=ReviewDecision.Subject.ARTICLE,
        object_id=locked.pk,
        verdict=ReviewDecision.Verdict.APPROVE,
        reviewer=reviewer,
        note=note,
    )
    return _release(locked, now=timezone.now())


@transaction.atomic
def article_reject(*, article: Article, reviewer: User, reasons: list[str], note: str) -> Article:
    """A reviewer sends a pending article back to its author with the reason."""
    if not reviewer.has_perm("newsroom.review_article"):
        raise PermissionDeniedError(str(NOT_A_REVIEWER))
    note = note.strip()
    if not reasons and not note:
        raise ApplicationError(str(REJECT_REASON_REQUIRED))
    locked = Article.objects.select_for_update().get(pk=article.pk)
    if locked.status != Article.Status.PENDING:
        raise ApplicationError(str(NOT_PENDING))
    decision_record(
        subject=ReviewDecision.Subject.ARTICLE,
        object_id=locked.pk,
        verdict=ReviewDecision.Verdict.REJECT,
        reviewer=reviewer,
        reasons=reasons,
        note=note,
    )
    locked.status = Article.Status.REJECTED
    locked.rejection_reason = "；".join([*reasons, note] if note else reasons)[:300]
    locked.save(update_fields=["status", "rejection_reason", "updated_at"])
    return locked


@transaction.atomic
def article_publish(*, article: Article, by: User | None = None) -> Article:
    """Make an article live now and count it on its author's card."""
    locked = Article.objects.select_for_update().get(pk=article.pk)
    if locked.status not in (
        Article.Status.DRAFT,
        Article.Status.PENDING,
        Article.Status.SCHEDULED,
    ):
        raise ApplicationError(str(CANNOT_PUBLISH))
    locked.scheduled_at = None
    return _release(locked, now=timezone.now())


def articles_publish_due(*, now: dt.datetime | None = None) -> int:
    """Publish every scheduled article whose time has come; run it every minute."""
    now = now or timezone.now()
    due = Article.objects.filter(
        status=Article.Status.SCHEDULED, scheduled_at__lte=now
    ).values_list("pk", flat=True)
    published = 0
    for article_id in list(due):
        with transaction.atomic():
            locked = Article.objects.select_for_update().get(pk=article_id)
            if locked.status == Article.Status.SCHEDULED:
                _go_live(locked, now=now)
                published += 1
    return published


# What submitting, approving and publishing change; the text is never rewritten here.
RELEASE_FIELDS = [
    "status",
    "submitted_at",
    "scheduled_at",
    "published_at",
    "rejection_reason",
    "updated_at",
]


def _release(article: Article, *, now: dt.datetime) -> Article:
    """Schedule the article if its time is still ahead, otherwise publish it now."""
    if article.scheduled_at and article.scheduled_at > now:
        article.status = Article.Status.SCHEDULED
        article.save(update_fields=RELEASE_FIELDS)
        return article
    return _go_live(article, now=now)


def _go_live(article: Article, *, now: dt.datetime) -> Article:
    article.status = Article.Status.PUBLISHED
    article.published_at = now
    article.save(update_fields=RELEASE_FIELDS)
    CreatorProfile.objects.filter(pk=article.author_id).update(article_count=F("article_count") + 1)
    analysis_publish(article=article)
    related_publish(article=article)
    transaction.on_commit(lambda: invalidate_article_pages(article))
    return article
