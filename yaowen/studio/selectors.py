"""Studio reads: a creator's own articles, by status."""

from django.db.models import Count, QuerySet

from yaowen.accounts.models import CreatorProfile
from yaowen.newsroom.models import Article


def article_list_for_creator(
    *, creator: CreatorProfile, status: str | None = None
) -> QuerySet[Article]:
    queryset = Article.objects.filter(author=creator).select_related("channel")
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-updated_at", "-pk")


def article_counts_by_status(*, creator: CreatorProfile) -> dict[str, int]:
    rows = (
        Article.objects.filter(author=creator).order_by().values("status").annotate(n=Count("pk"))
    )
    return {row["status"]: row["n"] for row in rows}
