"""Reactions to articles: likes (顶), shares and reports, with exact counters."""

import ipaddress

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from yaowen.accounts.models import User
from yaowen.core import ratelimit
from yaowen.core.errors import TEXT_TOO_LONG, ApplicationError, PermissionDeniedError
from yaowen.engagement.models import Comment, Like, Report, Share
from yaowen.jobs.events import announce
from yaowen.newsroom.models import Article

NOT_PUBLISHED = _("这篇文章目前无法互动。")
ALREADY_REPORTED = _("你已经举报过了，我们会尽快处理。")
BAD_REASON = _("请选择举报原因。")
NOTE_LIMIT = Report._meta.get_field("note").max_length
NOT_A_REPORT_REVIEWER = _("你没有处理举报的权限。")
# A share counts once per article and reader a day; an anonymous address counts this many
# shares an hour at most, across articles (one reader shares a few; a script, every one).
SHARE_WINDOW_SECONDS = 24 * 3600
ANONYMOUS_SHARES_PER_HOUR = 20


def _published(article_id: int) -> Article:
    article = Article.objects.filter(pk=article_id, status=Article.Status.PUBLISHED).first()
    if article is None:
        raise ApplicationError(str(NOT_PUBLISHED))
    return article


@transaction.atomic
def article_like_set(*, article: Article, user: User, liked: bool) -> tuple[bool, int]:
    """Make the reader's like (顶) of an article what they asked for: liked or not. Returns
    (liked, count).

    The request names the state, not a change, so repeating it (a double click, a retry, 16
    at once) changes nothing more: one `Like` row at most, `like_count` moved only by the
    request that inserted or deleted it, and `article.liked` announced only for a new like.
    """
    current = _published(article.pk)
    if liked:
        try:
            with transaction.atomic():
                Like.objects.create(article=article, user=user)
        except IntegrityError:  # liked already, by this request's twin or long ago
            pass
        else:
            Article.objects.filter(pk=article.pk).update(like_count=F("like_count") + 1)
            announce("article.liked", article_id=current.pk, kind="like", reader=f"u:{user.pk}")
    else:
        # One DELETE statement: of concurrent unlikes only the first sees the row.
        deleted, _rows = Like.objects.filter(article=article, user=user).delete()
        if deleted:
            Article.objects.filter(pk=article.pk, like_count__gt=0).update(
                like_count=F("like_count") - 1
            )
    return liked, Article.objects.values_list("like_count", flat=True).get(pk=article.pk)


def share_reader(*, user: User | None, address: str) -> str:
    """Who is sharing, as share counting sees it: a logged-in reader by account, anyone else
    by client address alone (an IPv6 address by its /64, which one subscriber holds whole).

    Nothing the client chooses (User-Agent, cookies) makes a new reader, so a script on one
    connection is one reader; readers behind one NAT address count as one.
    """
    if user is not None and user.is_authenticated:
        return f"u:{user.pk}"
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return "ip:unknown"
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.version == 6:
        return f"ip:{ipaddress.ip_network(f'{ip}/64', strict=False).network_address}/64"
    return f"ip:{ip}"


def share_record(*, article_id: int, target: str, address: str, user: User | None = None) -> bool:
    """Record a share, counted (a `Share` row, `share_count`, the `article.shared` hot event)
    at most once per article and reader per SHARE_WINDOW_SECONDS, whatever the target.

    Anonymous readers are known only by address (`share_reader`), and one address gets at
    most ANONYMOUS_SHARES_PER_HOUR counted shares across all articles, so a script cannot
    push an article up the hot lists by sharing it from many pretended readers or by
    sharing every article. Returns whether this share counted.
    """
    if target not in Share.Target.values:
        raise ApplicationError(str(BAD_REASON))
    article = _published(article_id)
    reader = share_reader(user=user, address=address)
    # Both counters live in the cache every process shares; `add` and `incr` are atomic.
    seen = f"share:{article.pk}:{reader}"
    if not cache.add(seen, 1, SHARE_WINDOW_SECONDS):
        return False
    if reader.startswith("ip:") and (
        ratelimit.hit(f"share:{reader}", window=3600) > ANONYMOUS_SHARES_PER_HOUR
    ):
        cache.delete(seen)  # not counted, so it may count once the hour has passed
        return False
    try:
        with transaction.atomic():
            Share.objects.create(
                article=article, target=target, user=user if reader.startswith("u:") else None
            )
            Article.objects.filter(pk=article.pk).update(share_count=F("share_count") + 1)
            announce("article.shared", article_id=article.pk, kind="share", reader=reader)
    except BaseException:
        cache.delete(seen)  # nothing was counted: a retry may count
        raise
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
    note = note.strip()
    if len(note) > NOTE_LIMIT:
        # Said, not cut: the reporter keeps the text and shortens it where they choose.
        raise ApplicationError(TEXT_TOO_LONG % {"limit_value": NOTE_LIMIT, "show_value": len(note)})
    try:
        with transaction.atomic():
            return Report.objects.create(
                reporter=reporter,
                article=article,
                comment=comment,
                reason=reason,
                note=note,
            )
    except IntegrityError:
        raise ApplicationError(str(ALREADY_REPORTED)) from None


@transaction.atomic
def report_close(*, report: Report, by: User, status: str) -> Report:
    """A moderator (an editor of the reported item's channel) marks a report handled or
    dismissed."""
    from yaowen.governance.roles import Action, can  # moderation builds on engagement

    if not can(by, Action.REPORT_REVIEW, channel_id=report.article.channel_id):
        raise PermissionDeniedError(str(NOT_A_REPORT_REVIEWER))
    if status not in (Report.Status.RESOLVED, Report.Status.DISMISSED):
        raise ApplicationError(str(BAD_REASON))
    report.status = status
    report.save(update_fields=["status"])
    return report
