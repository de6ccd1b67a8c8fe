"""The publishing workflow: submit, review, schedule, publish.

draft/rejected --submit--> pending --approve--> published (or scheduled until its time)
                                   --reject---> rejected (with the reviewer's reason)
                                   --request changes--> draft (with the editor's note)
published --take down (articles.article_remove)--> removed --reinstate--> published
A trusted creator's submission skips review when TRUSTED_CREATORS_SKIP_REVIEW is on,
unless the title or body hits a "review" word of the sensitive-word lists; a "block" word
refuses the submission.
Every review verdict checks the editor's role (and channel scope), is audited and kept
as a ReviewDecision, and tells the author in their inbox why.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yaowen.accounts.models import CreatorProfile, User
from yaowen.core.errors import TEXT_TOO_LONG, ApplicationError, PermissionDeniedError
from yaowen.core.hooks import hook
from yaowen.governance.acts import act_record
from yaowen.governance.decisions import decision_record
from yaowen.governance.models import ReviewDecision
from yaowen.governance.roles import Action, can, require
from yaowen.jobs.events import announce, announce_at
from yaowen.newsroom.models import Article
from yaowen.newsroom.services.articles import NOT_YOUR_ARTICLE, invalidate_article_pages
from yaowen.wordfilter.services import screen_text, word_blocked_message

CANNOT_PUBLISH = _("只有草稿、待审核或定时的文章可以发布。")
CANNOT_SUBMIT = _("只有草稿或未通过的文章可以提交。")
ORIGINAL_CLAIM_BLOCKED = _(
    "这篇文章与其他作者已发布的《{title}》高度相似，不能声明原创。取消原创声明后可以提交审核。"
)
CREATOR_CANNOT_PUBLISH = _("你的创作者账号已暂停，暂时不能发布文章。")
NOT_A_REVIEWER = _("你没有审核文章的权限。")
NOT_PENDING = _("这篇文章不在待审核状态。")
REJECT_REASON_REQUIRED = _("驳回时必须写明原因。")
CHANGES_REASON_REQUIRED = _("要求修改时必须写明需要修改的地方。")
NOT_REMOVED = _("这篇文章没有被下架。")
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
    screenings = [screen_text(locked.title), screen_text(locked.body_source)]
    blocked = [word for screening in screenings for word in screening.words("block")]
    if blocked:
        raise ApplicationError(word_blocked_message(dict.fromkeys(blocked)))
    flagged = any(screening.action == "review" for screening in screenings)
    # Looked for now, on the text as submitted: others may have published meanwhile.
    original = hook("article_original")(article=locked)
    if original is not None and locked.is_original:
        raise ApplicationError(str(ORIGINAL_CLAIM_BLOCKED).format(title=original.title))
    locked.submitted_at = now
    locked.scheduled_at = scheduled_at
    locked.rejection_reason = ""
    # A likely copy of another creator's article, or one with words that need a look,
    # always goes to a reviewer.
    if _skips_review(locked.author) and original is None and not flagged:
        return _release(locked, now=now)
    locked.status = Article.Status.PENDING
    locked.save(
        update_fields=["status", "submitted_at", "scheduled_at", "rejection_reason", "updated_at"]
    )
    return locked


def _require_reviewer(user: User) -> None:
    """Editors only; their channel scope is checked once the article is locked."""
    if not can(user, Action.ARTICLE_REVIEW):
        raise PermissionDeniedError(str(NOT_A_REVIEWER))


def _pending(article: Article) -> Article:
    locked = Article.objects.select_for_update().select_related("author").get(pk=article.pk)
    if locked.status != Article.Status.PENDING:
        raise ApplicationError(str(NOT_PENDING))
    return locked


def _verdict_record(article: Article, *, by: User, action: str, reason: str, before: str) -> None:
    """The audit entry and the author's notice that every verdict leaves."""
    act_record(
        actor=by,
        action=action,
        subject_type="article",
        subject_id=article.pk,
        reason=reason,
        before={"status": before},
        after={"status": article.status, "rejection_reason": article.rejection_reason},
        tell=article.author.user_id,
        article=article,
    )


@transaction.atomic
def article_approve(*, article: Article, reviewer: User, note: str = "") -> Article:
    """A reviewer passes a pending article: it goes live now or at its scheduled time."""
    _require_reviewer(reviewer)
    locked = _pending(article)
    require(reviewer, Action.ARTICLE_REVIEW, channel_id=locked.channel_id)
    decision_record(
        subject=ReviewDecision.Subject.ARTICLE,
        object_id=locked.pk,
        verdict=ReviewDecision.Verdict.APPROVE,
        reviewer=reviewer,
        note=note,
    )
    released = _release(locked, now=timezone.now())
    _verdict_record(released, by=reviewer, action="article_approve", reason=note, before="pending")
    return released


def _require_fits(text: str, *, shown: str) -> None:
    """The reason an author is shown is kept whole: one too long for `rejection_reason` is
    refused with the length of `shown` (what the reviewer typed), never cut."""
    limit = Article._meta.get_field("rejection_reason").max_length
    if len(text) > limit:
        room = limit - (len(text) - len(shown))
        raise ApplicationError(TEXT_TOO_LONG % {"limit_value": room, "show_value": len(shown)})


@transaction.atomic
def article_reject(*, article: Article, reviewer: User, reasons: list[str], note: str) -> Article:
    """A reviewer sends a pending article back to its author with the reason."""
    _require_reviewer(reviewer)
    note = note.strip()
    if not reasons and not note:
        raise ApplicationError(str(REJECT_REASON_REQUIRED))
    locked = _pending(article)
    require(reviewer, Action.ARTICLE_REVIEW, channel_id=locked.channel_id)
    decision_record(
        subject=ReviewDecision.Subject.ARTICLE,
        object_id=locked.pk,
        verdict=ReviewDecision.Verdict.REJECT,
        reviewer=reviewer,
        reasons=reasons,
        note=note,
    )
    text = "；".join([*reasons, note] if note else reasons)
    _require_fits(text, shown=note)
    locked.status = Article.Status.REJECTED
    locked.rejection_reason = text
    locked.save(update_fields=["status", "rejection_reason", "updated_at"])
    _verdict_record(
        locked,
        by=reviewer,
        action="article_reject",
        reason=locked.rejection_reason,
        before="pending",
    )
    return locked


@transaction.atomic
def article_request_changes(*, article: Article, by: User, reason: str) -> Article:
    """An editor returns a pending article to its author as a draft with a note of what
    to change; the author edits it and submits it again."""
    _require_reviewer(by)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(str(CHANGES_REASON_REQUIRED))
    locked = _pending(article)
    require(by, Action.ARTICLE_REVIEW, channel_id=locked.channel_id)
    _require_fits(reason, shown=reason)
    locked.status = Article.Status.DRAFT
    # The note rides in rejection_reason, which the studio shows and submitting clears.
    locked.rejection_reason = reason
    locked.save(update_fields=["status", "rejection_reason", "updated_at"])
    _verdict_record(
        locked, by=by, action="article_request_changes", reason=reason, before="pending"
    )
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


def articles_publish_due(
    *, now: dt.datetime | None = None, article_ids: list[int] | None = None
) -> int:
    """Publish every scheduled article (of `article_ids`, if given) whose time has come.

    Each scheduled article is published by its own `article.due` event at its time; the
    `newsroom.publish_scheduled` job also runs this every minute, in case one was missed.
    """
    now = now or timezone.now()
    due = Article.objects.filter(status=Article.Status.SCHEDULED, scheduled_at__lte=now)
    if article_ids is not None:
        due = due.filter(pk__in=article_ids)
    published = 0
    for article_id in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            locked = Article.objects.select_for_update().get(pk=article_id)
            if locked.status == Article.Status.SCHEDULED and locked.scheduled_at <= now:
                _go_live(locked, now=now)
                published += 1
    return published


@transaction.atomic
def article_reinstate(*, article: Article) -> Article:
    """Undo a take-down: the article is live again with its old publication time (or back
    in review if it never went live), counted, indexed and on its pages again.

    Callers check the role and write the audit entry (moderation.services.actions).
    """
    locked = Article.objects.select_for_update().get(pk=article.pk)
    if locked.status != Article.Status.REMOVED:
        raise ApplicationError(str(NOT_REMOVED))
    locked.removed_reason = ""
    if locked.published_at is None:
        locked.status = Article.Status.PENDING
        locked.submitted_at = timezone.now()
        locked.save(update_fields=["status", "removed_reason", "submitted_at", "updated_at"])
        return locked
    locked.status = Article.Status.PUBLISHED
    locked.save(update_fields=["status", "removed_reason", "updated_at"])
    CreatorProfile.objects.filter(pk=locked.author_id).update(article_count=F("article_count") + 1)
    announce("article.restored", article_id=locked.pk, author_id=locked.author_id)
    transaction.on_commit(lambda: invalidate_article_pages(locked))
    return locked


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
        announce_at(article.scheduled_at, "article.due", article_id=article.pk)
        return article
    return _go_live(article, now=now)


def _go_live(article: Article, *, now: dt.datetime) -> Article:
    article.status = Article.Status.PUBLISHED
    article.published_at = now
    article.save(update_fields=RELEASE_FIELDS)
    CreatorProfile.objects.filter(pk=article.author_id).update(article_count=F("article_count") + 1)
    # The article's page and its lists change now; search, related lists and the
    # creator's standing follow in the background (settings.EVENT_LISTENERS).
    announce("article.published", article_id=article.pk, author_id=article.author_id)
    transaction.on_commit(lambda: invalidate_article_pages(article))
    return article
