"""Reactions to articles: likes (顶), shares and reports, with exact counters."""

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from yaowen.accounts.models import User
from yaowen.core.errors import ApplicationError, PermissionDeniedError
from yaowen.engagement.models import Comment, Like, Report, Share
from yaowen.jobs.events import announce
from yaowen.newsroom.models import Article

NOT_PUBLISHED = _("这篇文章目前无法互动。")
ALREADY_REPORTED = _("你已经举报过了，我们会尽快处理。")
BAD_REASON = _("请选择举报原因。")
NOT_A_REPORT_REVIEWER = _("你没有处理举报的权限。")
SHARE_WINDOW_SECONDS = 30 * 60


def _published(article_id: int) -> Article:
    article = Article.objects.filter(pk=article_id, status=Article.Status.PUBLISHED).first()
    if article is None:
        raise ApplicationError(str(NOT_PUBLISHED))
    return article


@transaction.atomic
def article_like_toggle(*, article: Article, user: User) -> tuple[bool, int]:
    """Like (顶) an article, or take the like back; once per reader. Returns (liked, count).

    Only a new like is a hot event; like, unlike, like within the window counts once there.
    """
    current = _published(article.pk)
    deleted, _rows = Like.objects.filter(article=article, user=user).delete()
    if deleted:
        Article.objects.filter(pk=article.pk, like_count__gt=0).update(
            like_count=F("like_count") - 1
        )
        liked = False
    else:
        try:
            with transaction.atomic():
                Like.objects.create(article=article, user=user)
        except IntegrityError:  # a concurrent request of the same reader won
            return True, Article.objects.values_list("like_count", flat=True).get(pk=article.pk)
        Article.objects.filter(pk=article.pk).update(like_count=F("like_count") + 1)
        announce("article.liked", article_id=current.pk, kind="like", reader=f"u:{user.pk}")
        liked = True
    return liked, Article.objects.values_list("like_count", flat=True).get(pk=article.pk)


def share_record(*, article_id: int, target: str, viewer: str, user: User | None = None) -> bool:
    """Record a share; the same viewer sharing the same article to the same target within
    30 minutes counts once, in `share_count` and in the hot lists. Returns whether it counted."""
    if target not in Share.Target.values:
        raise ApplicationError(str(BAD_REASON))
    article = _published(article_id)
    if not cache.add(f"share:{article.pk}:{target}:{viewer}", 1, SHARE_WINDOW_SECONDS):
        return False
    with transaction.atomic():
        Share.objects.create(
            article=article, target=target, user=user if user and user.is_authenticated else None
        )
        Article.objects.filter(pk=article.pk).update(share_count=F("share_count") + 1)
        # Another target is another audience, so the target is part of who repeats.
        announce("article.shared", article_id=article.pk, kind="share", reader=f"{viewer}>{target}")
    return True


def report_create(
    *,
    reporter: User,
    article: Article,
    reason: str,
    note: str = "",
    comment: Comment | None = None,
) -> Report:
    """A reader reports an article or one of its comments, once each."""
    if reason not in Report.Reason.values:
        raise ApplicationError(str(BAD_REASON))
    if comment is not None and comment.article_id != article.pk:
        raise ApplicationError(str(BAD_REASON))
    try:
        with transaction.atomic():
            return Report.objects.create(
                reporter=reporter,
                article=article,
                comment=comment,
                reason=reason,
                note=note.strip()[:300],
            )
    except IntegrityError:
        raise ApplicationError(str(ALREADY_REPORTED)) from None


@transaction.atomic
def report_close(*, report: Report, by: User, status: str) -> Report:
    """A moderator (an editor of the reported item's channel) marks a report handled or
    dismissed."""
    from yaowen.moderation.roles import Action, can  # moderation builds on engagement

    if not can(by, Action.REPORT_REVIEW, channel_id=report.article.channel_id):
        raise PermissionDeniedError(str(NOT_A_REPORT_REVIEWER))
    if status not in (Report.Status.RESOLVED, Report.Status.DISMISSED):
        raise ApplicationError(str(BAD_REASON))
    report.status = status
    report.save(update_fields=["status"])
    return report
