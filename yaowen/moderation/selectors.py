"""Moderation reads: the review queues, oldest first, and an item's decision history."""

from django.db.models import QuerySet

from yaowen.accounts.models import CreatorApplication
from yaowen.engagement.models import Report
from yaowen.moderation.models import ReviewDecision
from yaowen.newsroom.models import Article


def application_queue() -> QuerySet[CreatorApplication]:
    """Pending 入驻 applications, the longest-waiting first."""
    return (
        CreatorApplication.objects.filter(status=CreatorApplication.Status.PENDING)
        .select_related("user", "field")
        .order_by("submitted_at", "pk")
    )


def article_queue() -> QuerySet[Article]:
    """Articles awaiting review, the longest-waiting first, with their automatic flags."""
    return (
        Article.objects.filter(status=Article.Status.PENDING)
        .select_related(
            "author",
            "channel",
            "analysis__duplicate_of",
            "analysis__predicted_channel",
        )
        .order_by("submitted_at", "pk")
    )


def decision_history(*, subject: str, object_id: int) -> QuerySet[ReviewDecision]:
    return ReviewDecision.objects.filter(subject=subject, object_id=object_id).select_related(
        "reviewer"
    )


def report_queue() -> QuerySet[Report]:
    """Open reports of articles and comments, oldest first."""
    return (
        Report.objects.filter(status=Report.Status.OPEN)
        .select_related("article", "comment", "reporter")
        .order_by("created_at", "pk")
    )
