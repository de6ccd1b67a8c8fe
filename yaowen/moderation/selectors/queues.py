"""The review queues, oldest first, narrowed to an editor's channels and the chosen filters."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from yaowen.accounts.models import CreatorApplication
from yaowen.engagement.models import Comment, Report
from yaowen.governance.models import ReviewDecision
from yaowen.moderation.models import Appeal
from yaowen.moderation.selectors.screening import text_screen
from yaowen.moderation.services.appeals import appeal_queue as appeals_for
from yaowen.newsroom.models import Article

# The "words" reason screens texts in Python: at most this many of the oldest items.
SCREEN_LIMIT = 1000

AGES = {
    "1h": ("newer", dt.timedelta(hours=1)),
    "24h": ("newer", dt.timedelta(hours=24)),
    "gt24h": ("older", dt.timedelta(hours=24)),
    "gt3d": ("older", dt.timedelta(days=3)),
}


@dataclass(frozen=True)
class QueueFilter:
    """What the editor narrowed a queue to; empty values mean "all"."""

    channel: int | None = None
    age: str = ""
    reason: str = ""


NO_FILTER = QueueFilter()


def age_q(field: str, age: str, *, now: dt.datetime | None = None) -> Q:
    """Items whose `field` is younger or older than the chosen age ("" = any age)."""
    if age not in AGES:
        return Q()
    direction, span = AGES[age]
    cutoff = (now or timezone.now()) - span
    return Q(**{f"{field}__gte" if direction == "newer" else f"{field}__lt": cutoff})


def _scope(queryset: QuerySet, field: str, channel_ids: set[int] | None, channel: int | None):
    if channel_ids is not None:
        queryset = queryset.filter(**{f"{field}__in": channel_ids})
    if channel:
        queryset = queryset.filter(**{field: channel})
    return queryset


def _with_word_hits(queryset: QuerySet, *fields: str) -> QuerySet:
    """Keep the rows whose texts hit a sensitive word."""
    rows = queryset.values_list("pk", *fields)[:SCREEN_LIMIT]
    ids = [row[0] for row in rows if any(text_screen(text).hits for text in row[1:])]
    return queryset.filter(pk__in=ids)


def application_queue(
    *, channel_ids: set[int] | None = None, filters: QueueFilter = NO_FILTER
) -> QuerySet[CreatorApplication]:
    """Pending 入驻 applications in the editor's fields, the longest-waiting first."""
    queryset = CreatorApplication.objects.filter(status=CreatorApplication.Status.PENDING)
    queryset = _scope(queryset, "field_id", channel_ids, filters.channel)
    queryset = queryset.filter(age_q("submitted_at", filters.age))
    if filters.reason == "resubmitted":
        queryset = queryset.filter(submission_count__gt=1)
    elif filters.reason == "words":
        queryset = _with_word_hits(
            queryset.order_by("submitted_at", "pk"), "display_name", "bio", "statement"
        )
    return queryset.select_related("user", "field").order_by("submitted_at", "pk")


def article_queue(
    *, channel_ids: set[int] | None = None, filters: QueueFilter = NO_FILTER
) -> QuerySet[Article]:
    """Articles awaiting review, the longest-waiting first, with their automatic flags."""
    queryset = Article.objects.filter(status=Article.Status.PENDING)
    queryset = _scope(queryset, "channel_id", channel_ids, filters.channel)
    queryset = queryset.filter(age_q("submitted_at", filters.age))
    if filters.reason == "duplicate":
        queryset = queryset.filter(analysis__duplicate_of__isnull=False).exclude(
            analysis__duplicate_of__author=F("author")
        )
    elif filters.reason == "channel":
        queryset = queryset.filter(analysis__predicted_channel__isnull=False).exclude(
            analysis__predicted_channel=F("channel")
        )
    elif filters.reason == "original":
        queryset = queryset.filter(is_original=True)
    elif filters.reason == "words":
        queryset = _with_word_hits(queryset.order_by("submitted_at", "pk"), "title", "body_source")
    return queryset.select_related(
        "author", "channel", "analysis__duplicate_of", "analysis__predicted_channel"
    ).order_by("submitted_at", "pk")


def _open_reports() -> QuerySet[Report]:
    return Report.objects.filter(status=Report.Status.OPEN)


def _reported(queryset: QuerySet, reports: QuerySet[Report], filters: QueueFilter) -> QuerySet:
    """Keep the rows with an open report (of the chosen reason), oldest report first;
    `reports` is correlated to the outer row."""
    if filters.reason in Report.Reason.values:
        queryset = queryset.filter(Exists(reports.filter(reason=filters.reason)))
    else:
        queryset = queryset.filter(Exists(reports))
    first = reports.order_by("created_at").values("created_at")[:1]
    return (
        queryset.annotate(first_reported=Subquery(first))
        .filter(age_q("first_reported", filters.age))
        .order_by("first_reported", "pk")
    )


def reported_article_queue(
    *, channel_ids: set[int] | None = None, filters: QueueFilter = NO_FILTER
) -> QuerySet[Article]:
    """Articles with open reports (of the article itself, not of its comments)."""
    reports = _open_reports().filter(comment__isnull=True, article=OuterRef("pk"))
    queryset = _scope(Article.objects.all(), "channel_id", channel_ids, filters.channel)
    return _reported(queryset, reports, filters).select_related(
        "author", "channel", "analysis__duplicate_of", "analysis__predicted_channel"
    )


def reported_comment_queue(
    *, channel_ids: set[int] | None = None, filters: QueueFilter = NO_FILTER
) -> QuerySet[Comment]:
    """Visible comments with open reports."""
    reports = _open_reports().filter(comment=OuterRef("pk"))
    queryset = Comment.objects.filter(status=Comment.Status.VISIBLE)
    queryset = _scope(queryset, "article__channel_id", channel_ids, filters.channel)
    return _reported(queryset, reports, filters).select_related(
        "user", "article", "article__channel"
    )


def open_reports_for(*, articles=(), comments=()) -> dict[tuple[str, int], list[Report]]:
    """The open reports of the given articles (their own) and comments, keyed
    ("article", pk) or ("comment", pk), oldest first: one query for a page of a queue."""
    article_ids = [a.pk for a in articles]
    comment_ids = [c.pk for c in comments]
    reports = _open_reports().filter(
        Q(article_id__in=article_ids, comment__isnull=True) | Q(comment_id__in=comment_ids)
    )
    grouped: dict[tuple[str, int], list[Report]] = {}
    for report in reports.select_related("reporter").order_by("created_at", "pk"):
        key = (
            ("comment", report.comment_id) if report.comment_id else ("article", report.article_id)
        )
        grouped.setdefault(key, []).append(report)
    return grouped


def decision_history(*, subject: str, object_id: int) -> QuerySet[ReviewDecision]:
    return ReviewDecision.objects.filter(subject=subject, object_id=object_id).select_related(
        "reviewer"
    )


def appeal_queue(
    *, user, channel_ids: set[int] | None = None, filters: QueueFilter = NO_FILTER
) -> QuerySet[Appeal]:
    """The appeals `user` may decide (never against their own acts), oldest first. A
    channel-scoped editor sees those about articles and comments in their channels, and
    those about people, which have no channel."""
    queryset = appeals_for(for_user=user)
    wanted = channel_ids
    if filters.channel:
        wanted = {filters.channel} if channel_ids is None else channel_ids & {filters.channel}
    if wanted is not None:
        in_article = Exists(
            Article.objects.filter(pk=OuterRef("entry__subject_id"), channel_id__in=wanted)
        )
        in_comment = Exists(
            Comment.objects.filter(pk=OuterRef("entry__subject_id"), article__channel_id__in=wanted)
        )
        with_channel = Q(Q(entry__subject_type="article"), in_article) | Q(
            Q(entry__subject_type="comment"), in_comment
        )
        if not filters.channel:
            with_channel |= ~Q(entry__subject_type__in=["article", "comment"])
        queryset = queryset.filter(with_channel)
    return queryset.filter(age_q("created_at", filters.age))


def subject_channel_id(subject_type: str, subject_id: int) -> int | None:
    """The channel of the article or comment an audit entry is about (None for people)."""
    if subject_type == "article":
        rows = Article.objects.filter(pk=subject_id).values_list("channel_id", flat=True)
    elif subject_type == "comment":
        rows = Comment.objects.filter(pk=subject_id).values_list("article__channel_id", flat=True)
    else:
        return None
    return rows.first()
