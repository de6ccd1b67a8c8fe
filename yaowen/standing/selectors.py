"""Standing reads: the facts the formula needs, a creator's standing and violations."""

import datetime as dt

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from yaowen.accounts.models import CreatorProfile
from yaowen.newsroom.models import Article
from yaowen.standing import formula
from yaowen.standing.models import Standing, Violation

DAY = 86400.0


def standing_inputs(*, creator: CreatorProfile, now: dt.datetime | None = None) -> formula.Inputs:
    """Count what the formula reads: live violations, published articles and reactions."""
    now = now or timezone.now()
    violations = tuple(
        (kind, (now - created_at).total_seconds() / DAY)
        for kind, created_at in Violation.objects.filter(
            creator=creator,
            voided_at__isnull=True,
            created_at__gt=now - dt.timedelta(days=formula.FORGET_DAYS),
        ).values_list("kind", "created_at")
    )
    field_id = creator.field_id
    aggregates = {
        "published": Count("pk"),
        "recent": Count(
            "pk", filter=Q(published_at__gt=now - dt.timedelta(days=formula.ACTIVITY_DAYS))
        ),
        "duplicates": Count("pk", filter=Q(analysis__duplicate_of__isnull=False)),
        "likes": Sum("like_count"),
        "comments": Sum("comment_count"),
        "shares": Sum("share_count"),
    }
    if field_id is not None:
        # Where the classifier predicted a channel it decides; otherwise the chosen channel.
        aggregates["in_field"] = Count(
            "pk",
            filter=Q(analysis__predicted_channel_id=field_id)
            | Q(analysis__predicted_channel__isnull=True, channel_id=field_id),
        )
    counts = (
        Article.objects.filter(author=creator, status=Article.Status.PUBLISHED)
        .order_by()
        .aggregate(**aggregates)
    )
    return formula.Inputs(
        violations=violations,
        published=counts["published"],
        duplicates=counts["duplicates"],
        false_claims=sum(1 for kind, _age in violations if kind == Violation.Kind.FALSE_ORIGINAL),
        recent=counts["recent"],
        in_field=counts.get("in_field"),
        likes=counts["likes"] or 0,
        comments=counts["comments"] or 0,
        shares=counts["shares"] or 0,
        suspended=creator.status == CreatorProfile.Status.SUSPENDED,
    )


def standing_compute(*, creator: CreatorProfile, now: dt.datetime | None = None) -> Standing:
    """A fresh, unsaved Standing for `creator` (services store it)."""
    now = now or timezone.now()
    inputs = standing_inputs(creator=creator, now=now)
    result = formula.standing_score(inputs)
    return Standing(
        creator=creator,
        score=result.score,
        level=result.level,
        parts=result.parts,
        facts={
            "violations": len(inputs.violations),
            "capped": formula.capped(inputs),
            "published": inputs.published,
            "duplicates": inputs.duplicates,
            "false_claims": inputs.false_claims,
            "recent": inputs.recent,
            "in_field": inputs.in_field,
            "reactions": inputs.likes + inputs.comments + inputs.shares,
        },
        computed_at=now,
    )


def standing_for(creator: CreatorProfile) -> Standing:
    """The stored standing, or (never computed yet) a fresh one that is not saved."""
    stored = Standing.objects.filter(creator=creator).first()
    return stored if stored is not None else standing_compute(creator=creator)


def violation_list_for(*, creator: CreatorProfile, include_void: bool = True) -> QuerySet:
    """A creator's violations, newest first, with their articles."""
    queryset = Violation.objects.filter(creator=creator).select_related("article")
    if not include_void:
        queryset = queryset.filter(voided_at__isnull=True)
    return queryset.order_by("-created_at", "-pk")


def original_claim_refused(*, article: Article) -> bool:
    """Whether an editor confirmed this article's 原创 claim false (and no appeal undid it);
    newsroom asks through settings.HOOKS["original_claim_refused"]."""
    return Violation.objects.filter(
        article=article, kind=Violation.Kind.FALSE_ORIGINAL, voided_at__isnull=True
    ).exists()
