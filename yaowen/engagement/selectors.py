"""Engagement reads: an article's visible comments."""

from yaowen.engagement.models import Comment


def comment_list_for_article(*, article_id: int, limit: int = 20) -> list[Comment]:
    """The newest visible comments of an article with their authors, in one query."""
    return list(
        Comment.objects.filter(article_id=article_id, status=Comment.Status.VISIBLE)
        .select_related("user")
        .order_by("-created_at")[:limit]
    )
