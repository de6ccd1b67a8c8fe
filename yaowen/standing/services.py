"""Standing writes: record (or void) violations, recompute standing and trust, and
refuse false 原创 claims."""

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yaowen.accounts.models import CreatorProfile, User
from yaowen.core.errors import ApplicationError
from yaowen.core.progress import Progress, no_progress
from yaowen.newsroom.models import Article
from yaowen.standing import formula
from yaowen.standing.models import Standing, Violation
from yaowen.standing.selectors import standing_compute

REASON_REQUIRED = _("请填写原因。")
REASON_TOO_LONG = _("原因不能超过 %(n)d 个字。")
UNKNOWN_KIND = _("未知的违规类型：%(kind)s。")
NOT_THE_AUTHOR = _("这篇文章不属于该创作者。")
NOT_CLAIMED_ORIGINAL = _("这篇文章没有声明原创。")

REASON_MAX = Violation._meta.get_field("reason").max_length
BATCH = 500


def _reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(str(REASON_REQUIRED))
    if len(reason) > REASON_MAX:
        raise ApplicationError(REASON_TOO_LONG % {"n": REASON_MAX})
    return reason


@transaction.atomic
def violation_record(
    *,
    creator: CreatorProfile,
    kind: str,
    by: User | None,
    reason: str,
    article: Article | None = None,
) -> Violation:
    """Record a confirmed violation (with its reason) and recompute the creator's standing,
    which may cost them trust. Callers have checked that `by` may act; `by` is None for
    the platform itself (an automatic word block)."""
    if kind not in Violation.Kind.values:
        raise ApplicationError(UNKNOWN_KIND % {"kind": kind})
    if article is not None and article.author_id != creator.pk:
        raise ApplicationError(str(NOT_THE_AUTHOR))
    violation = Violation.objects.create(
        creator=creator, kind=kind, article=article, reason=_reason(reason), by=by
    )
    standing_refresh(creator=creator)
    return violation


@transaction.atomic
def violations_void(
    *,
    creator: CreatorProfile,
    kind: str,
    by: User | None,
    reason: str,
    article: Article | None = None,
) -> int:
    """An appeal reversed an action: its violations (of `kind`, for `article` when given)
    stop counting; they stay listed as voided. Returns how many were voided."""
    reason = _reason(reason)
    live = Violation.objects.filter(creator=creator, kind=kind, voided_at__isnull=True)
    if article is not None:
        live = live.filter(article=article)
    voided = live.update(voided_at=timezone.now(), voided_by=by, void_reason=reason)
    if voided:
        standing_refresh(creator=creator)
    return voided


@transaction.atomic
def standing_refresh(*, creator: CreatorProfile, now: dt.datetime | None = None) -> Standing:
    """Recompute and store the creator's standing, and grant or withdraw trust (publishing
    without prior review) to match its level."""
    computed = standing_compute(creator=creator, now=now)
    standing, _created = Standing.objects.update_or_create(
        creator=creator,
        defaults={
            "score": computed.score,
            "level": computed.level,
            "parts": computed.parts,
            "facts": computed.facts,
            "computed_at": computed.computed_at,
        },
    )
    trusted = standing.level >= formula.TRUST_LEVEL
    # A queryset update: nothing else of the profile is written, and no save() runs.
    CreatorProfile.objects.filter(pk=creator.pk).exclude(is_trusted=trusted).update(
        is_trusted=trusted
    )
    creator.is_trusted = trusted
    return standing


def standings_refresh(
    *, creator_ids: Iterable[int] | None = None, progress: Progress = no_progress
) -> int:
    """Recompute every creator's standing (or those of `creator_ids`), one transaction
    per creator so a long run holds no lock for long. Returns how many were computed."""
    creators = CreatorProfile.objects.order_by("pk")
    if creator_ids is not None:
        creators = creators.filter(pk__in=list(creator_ids))
    tick = progress("standing", creators.count())
    done = 0
    last_pk = 0
    while True:
        batch = list(creators.filter(pk__gt=last_pk)[:BATCH])
        if not batch:
            return done
        now = timezone.now()
        for creator in batch:
            standing_refresh(creator=creator, now=now)
        done += len(batch)
        last_pk = batch[-1].pk
        tick(len(batch))


@transaction.atomic
def original_claim_reject(*, article: Article, by: User, reason: str) -> Article:
    """An editor confirms that an article's 原创 claim is false: the badge goes, the
    creator gets a "false_original" violation (and a recomputed standing), is told why in
    their inbox, and the decision is audited."""
    # Imported here: moderation's services record violations through this module.
    from yaowen.governance.acts import act_record
    from yaowen.governance.roles import Action, require
    from yaowen.newsroom.services.articles import invalidate_article_pages

    require(by, Action.ORIGINAL_CLAIM_REVIEW, channel_id=article.channel_id)
    reason = _reason(reason)
    locked = (
        Article.objects.select_for_update()
        .select_related("author__user", "channel")
        .get(pk=article.pk)
    )
    if not locked.is_original:
        raise ApplicationError(str(NOT_CLAIMED_ORIGINAL))
    locked.is_original = False
    locked.save(update_fields=["is_original", "updated_at"])
    violation_record(
        creator=locked.author,
        kind=Violation.Kind.FALSE_ORIGINAL,
        by=by,
        reason=reason,
        article=locked,
    )
    act_record(
        actor=by,
        action=Action.ORIGINAL_CLAIM_REVIEW,
        subject_type="article",
        subject_id=locked.pk,
        reason=reason,
        before={"is_original": True},
        after={"is_original": False},
        tell=locked.author.user_id,
        article=locked,
    )
    transaction.on_commit(lambda: invalidate_article_pages(locked, pages=locked.is_public))
    return locked


@transaction.atomic
def original_claim_reinstate(*, article: Article, by: User, reason: str) -> Article:
    """An appeal against a rejected 原创 claim succeeded: the badge comes back and the
    claim's "false_original" violations stop counting. The caller (the appeal decision)
    audits and notifies; `by` must be allowed to decide appeals."""
    from yaowen.governance.roles import Action, require
    from yaowen.newsroom.services.articles import invalidate_article_pages

    require(by, Action.APPEAL_DECIDE, channel_id=article.channel_id)
    reason = _reason(reason)
    locked = (
        Article.objects.select_for_update().select_related("author", "channel").get(pk=article.pk)
    )
    if not locked.is_original:
        locked.is_original = True
        locked.save(update_fields=["is_original", "updated_at"])
        transaction.on_commit(lambda: invalidate_article_pages(locked, pages=locked.is_public))
    violations_void(
        creator=locked.author,
        kind=Violation.Kind.FALSE_ORIGINAL,
        by=by,
        reason=reason,
        article=locked,
    )
    return locked
