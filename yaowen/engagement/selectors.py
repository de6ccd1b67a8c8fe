"""Engagement reads: an article's comment section (threads, replies, likes) and comment text."""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from yaowen.accounts.models import User
from yaowen.engagement.models import Comment, CommentLike, Like, Notification

COMMENTS_PER_PAGE = 20
REPLIES_SHOWN = 3
SORTS = ("new", "hot")
DEFAULT_SORT = "new"
MAX_PAGE = 10_000

_ORDER = {
    "new": ("-created_at", "-pk"),
    "hot": ("-like_count", "-created_at", "-pk"),
}

# Only http(s) links become clickable. A URL ends at whitespace, at characters outside
# RFC 3986 (so Chinese text right after a link is not swallowed) or at trailing punctuation.
_URL = re.compile(r"https?://[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+", re.IGNORECASE)
_TRAILING = ".,;:!?'\"*"


def _link(url: str) -> tuple[str, str]:
    """Split a matched URL into the link and the punctuation that follows it."""
    tail = ""
    while url and (url[-1] in _TRAILING or (url[-1] == ")" and url.count(")") > url.count("("))):
        url, tail = url[:-1], url[-1] + tail
    return url, tail


def comment_body_html(body: str) -> SafeString:
    """A comment's plain text as HTML: escaped, newlines kept, http(s) links clickable."""
    parts: list[str] = []
    position = 0
    for match in _URL.finditer(body):
        url, tail = _link(match.group())
        parts.append(escape(body[position : match.start()]))
        if len(url) > len("https://"):
            parts.append(f'<a href="{escape(url)}" rel="nofollow ugc noopener">{escape(url)}</a>')
        else:
            parts.append(escape(url))
        parts.append(escape(tail))
        position = match.end()
    parts.append(escape(body[position:]))
    return mark_safe("".join(parts).replace("\n", "<br>"))  # every part is escaped above


@dataclass
class CommentSection:
    """One page of an article's comment threads, ready for `includes/comments.html`.

    Iterating yields the top-level comments; each carries `shown_replies` (chronological),
    `reply_total`, `reply_more` (replies not shown), `liked` (by the viewer), `body_html`
    and `is_placeholder` (deleted or hidden, kept because replies hang under it).
    """

    threads: list[Comment] = field(default_factory=list)
    sort: str = DEFAULT_SORT
    page: int = 1
    has_next: bool = False
    thread: int | None = None  # showing this one thread with all its replies

    def __iter__(self) -> Iterator[Comment]:
        return iter(self.threads)

    def __len__(self) -> int:
        return len(self.threads)

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def previous_page(self) -> int:
        return self.page - 1

    @property
    def next_page(self) -> int:
        return self.page + 1


def _number(raw: object, *, default: int | None) -> int | None:
    """A positive int from a query-string value; anything else gives `default`."""
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str) and raw.isascii() and raw.isdigit() and len(raw) <= 12:
        value = int(raw)
    else:
        return default
    return value if value >= 1 else default


def _with_viewer(queryset: QuerySet[Comment], viewer: User | None) -> QuerySet[Comment]:
    if viewer is None or not viewer.is_authenticated:
        return queryset
    return queryset.annotate(
        liked=Exists(CommentLike.objects.filter(comment=OuterRef("pk"), user_id=viewer.pk))
    )


def comment_for_display(comment: Comment) -> Comment:
    """Attach what `includes/comments.html` reads to a comment loaded on its own."""
    comment.is_placeholder = comment.status != Comment.Status.VISIBLE
    comment.body_html = "" if comment.is_placeholder else comment_body_html(comment.body)
    comment.liked = getattr(comment, "liked", False)
    comment.shown_replies = getattr(comment, "shown_replies", [])
    comment.reply_total = getattr(comment, "reply_total", len(comment.shown_replies))
    comment.reply_more = getattr(comment, "reply_more", 0)
    return comment


def comment_list_for_article(
    *,
    article_id: int,
    viewer: User | None = None,
    sort: str | None = DEFAULT_SORT,
    page: int | str | None = 1,
    thread: int | str | None = None,
    per_page: int = COMMENTS_PER_PAGE,
    visible_total: int | None = None,
) -> CommentSection:
    """A page of an article's comment threads in at most 2 queries (threads, then replies).

    Top-level comments are sorted newest or most liked first; a deleted (or hidden) one is
    kept as a placeholder while visible replies hang under it, so every counted comment
    shows. Each shows its first REPLIES_SHOWN replies, or all of them when `thread` names
    it (then only that thread is returned).
    Arguments may come straight from the query string: bad values fall back to defaults.
    `visible_total`, the article's counter of visible comments when the caller has it,
    saves both queries when it is 0 (no thread and no placeholder can show then).
    """
    sort = sort if sort in SORTS else DEFAULT_SORT
    page_number = min(_number(page, default=1), MAX_PAGE)
    thread_id = _number(thread, default=None)
    if visible_total == 0:
        return CommentSection(sort=sort, page=1 if thread_id else page_number, thread=thread_id)
    visible_replies = Comment.objects.filter(parent=OuterRef("pk"), status=Comment.Status.VISIBLE)
    reply_total = (
        visible_replies.order_by().values("parent").annotate(n=Count("pk")).values("n")[:1]
    )
    heads = _with_viewer(
        Comment.objects.filter(article_id=article_id, parent__isnull=True)
        .filter(
            Q(status=Comment.Status.VISIBLE)
            | Q(Exists(visible_replies), status__in=[Comment.Status.DELETED, Comment.Status.HIDDEN])
        )
        .annotate(reply_total=Coalesce(Subquery(reply_total), Value(0)))
        .select_related("user"),
        viewer,
    )
    section = CommentSection(sort=sort, page=page_number, thread=thread_id)
    if thread_id is not None:
        section.page = 1
        threads = list(heads.filter(pk=thread_id))
    else:
        offset = (page_number - 1) * per_page
        threads = list(heads.order_by(*_ORDER[sort])[offset : offset + per_page + 1])
        section.has_next = len(threads) > per_page
        threads = threads[:per_page]
    section.threads = [comment_for_display(comment) for comment in threads]
    # Most threads have no replies: then the second query is not needed at all.
    if not any(comment.reply_total for comment in threads):
        for comment in threads:
            comment.reply_more = 0
        return section

    replies = Comment.objects.filter(
        parent_id__in=[comment.pk for comment in threads], status=Comment.Status.VISIBLE
    )
    if thread_id is None:
        replies = replies.annotate(
            position=Window(
                RowNumber(),
                partition_by=[F("parent_id")],
                order_by=[F("created_at").asc(), F("pk").asc()],
            )
        ).filter(position__lte=REPLIES_SHOWN)
    by_thread: dict[int, list[Comment]] = {comment.pk: [] for comment in threads}
    for reply in (
        _with_viewer(replies, viewer)
        .select_related("user", "reply_to")
        .order_by("parent_id", "created_at", "pk")
    ):
        by_thread[reply.parent_id].append(comment_for_display(reply))
    for comment in threads:
        comment.shown_replies = by_thread[comment.pk]
        comment.reply_more = max(comment.reply_total - len(comment.shown_replies), 0)
    return section


def like_exists(*, user: User, article_id: int) -> bool:
    if not user.is_authenticated:
        return False
    return Like.objects.filter(user=user, article_id=article_id).exists()


def notification_list(*, user: User) -> QuerySet[Notification]:
    return (
        Notification.objects.filter(recipient=user)
        .select_related("actor", "article")
        .order_by("-created_at", "-pk")
    )


def unread_count(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
