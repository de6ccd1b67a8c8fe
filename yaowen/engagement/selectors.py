"""Engagement reads: an article's comment section (threads, replies, likes) and comment text."""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from yaowen.accounts.models import User
from yaowen.engagement.models import Comment, CommentLike, Like
from yaowen.governance.models import Notification

COMMENTS_PER_PAGE = 20
REPLIES_SHOWN = 3
SORTS = ("new", "hot")
DEFAULT_SORT = "new"
MAX_PAGE = 10_000

_ORDER_SQL = {
    "new": "c.created_at DESC, c.id DESC",
    "hot": "c.like_count DESC, c.created_at DESC, c.id DESC",
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


BodyPart = tuple[str, str]  # ("text", text) | ("link", url) | ("break", "")
_BREAK: BodyPart = ("break", "")


def comment_body_parts(body: str) -> tuple[BodyPart, ...]:
    """A comment's plain text as the pieces its template shows: text, http(s) links
    (made clickable) and line breaks (kept). The template escapes every piece."""
    parts: list[BodyPart] = []

    def text(piece: str) -> None:
        for number, line in enumerate(piece.split("\n")):
            if number:
                parts.append(_BREAK)
            if line:
                parts.append(("text", line))

    position = 0
    for match in _URL.finditer(body):
        url, tail = _link(match.group())
        text(body[position : match.start()])
        if len(url) > len("https://"):
            parts.append(("link", url))
        else:
            text(url)
        text(tail)
        position = match.end()
    text(body[position:])
    return tuple(parts)


@dataclass
class CommentSection:
    """One page of an article's comment threads, ready for `engagement/section.html`.

    Iterating yields the top-level comments; each carries `shown_replies` (chronological),
    `reply_total`, `reply_more` (replies not shown), `liked` (by the viewer), `body_parts`
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


def _comments_sql(
    where: str, order: str, *, liked: bool, extra: str = "", joins: str = "", limit: bool = False
) -> str:
    """A comment query over `c` with its author's names (and the viewer's like when
    `liked`, whose user id is then the first parameter). Written as SQL: compiling the
    equivalent queryset cost more than running it."""
    quote = connection.ops.quote_name
    columns = ", ".join(f"c.{quote(f.column)}" for f in Comment._meta.concrete_fields)
    like = (
        f", EXISTS (SELECT 1 FROM {quote(CommentLike._meta.db_table)} l"
        " WHERE l.comment_id = c.id AND l.user_id = %s) AS liked"
        if liked
        else ""
    )
    return (
        f"SELECT {columns}, u.username AS user_username, u.nickname AS user_nickname{like}{extra}"
        f" FROM {quote(Comment._meta.db_table)} c"
        f" JOIN {quote(User._meta.db_table)} u ON u.id = c.user_id{joins}"
        f" WHERE {where} ORDER BY {order}" + (" LIMIT %s OFFSET %s" if limit else "")
    )


def _visible_replies(alias: str) -> str:
    table = connection.ops.quote_name(Comment._meta.db_table)
    return f"SELECT {{}} FROM {table} r WHERE r.parent_id = {alias}.id AND r.status = %s"


def _author(comment: Comment, prefix: str = "user") -> User:
    """The comment's author (or whom it answers) from the joined name columns; other
    fields are deferred."""
    return User.from_db(
        "default",
        ["id", "username", "nickname"],
        [
            getattr(comment, f"{prefix}_id"),
            getattr(comment, f"{prefix}_username"),
            getattr(comment, f"{prefix}_nickname"),
        ],
    )


def _fetch(sql: str, params: list, viewer: User | None) -> list[Comment]:
    rows = list(Comment.objects.raw(sql, params))
    for comment in rows:
        comment.user = _author(comment)
        if not viewer:
            comment.liked = False
    return rows


def comment_for_display(comment: Comment) -> Comment:
    """Attach what the comment template (`engagement/comments.html`) reads to a comment."""
    comment.is_placeholder = comment.status != Comment.Status.VISIBLE
    # The page shows the time twice (datetime attribute and text): formatted once here,
    # as the date filter would, in the active time zone.
    local = timezone.localtime(comment.created_at)
    comment.created_iso = local.isoformat()
    comment.created_label = local.strftime("%Y-%m-%d %H:%M")
    comment.body_parts = () if comment.is_placeholder else comment_body_parts(comment.body)
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
    viewer = viewer if viewer is not None and viewer.is_authenticated else None
    visible, withdrawn = Comment.Status.VISIBLE, (Comment.Status.DELETED, Comment.Status.HIDDEN)
    replies_of_c = _visible_replies("c")
    where = (
        "c.article_id = %s AND c.parent_id IS NULL AND (c.status = %s OR (c.status IN (%s, %s)"
        f" AND EXISTS ({replies_of_c.format('1')})))"
    )
    params: list = [*([viewer.pk] if viewer else []), visible]  # liked, then reply_total
    params += [article_id, visible, *withdrawn, visible]
    section = CommentSection(sort=sort, page=page_number, thread=thread_id)
    if thread_id is not None:
        section.page = 1
        where += " AND c.id = %s"
        params.append(thread_id)
    else:
        params += [per_page + 1, (page_number - 1) * per_page]
    sql = _comments_sql(
        where,
        _ORDER_SQL[sort],
        liked=viewer is not None,
        extra=f", ({replies_of_c.format('COUNT(*)')}) AS reply_total",
        limit=thread_id is None,
    )
    threads = _fetch(sql, params, viewer)
    if thread_id is None:
        section.has_next = len(threads) > per_page
        threads = threads[:per_page]
    section.threads = [comment_for_display(comment) for comment in threads]
    # Most threads have no replies: then the second query is not needed at all.
    if not any(comment.reply_total for comment in threads):
        for comment in threads:
            comment.reply_more = 0
        return section

    by_thread: dict[int, list[Comment]] = {comment.pk: [] for comment in threads}
    for reply in _replies(list(by_thread), viewer, all_of_them=thread_id is not None):
        by_thread[reply.parent_id].append(comment_for_display(reply))
    for comment in threads:
        comment.shown_replies = by_thread[comment.pk]
        comment.reply_more = max(comment.reply_total - len(comment.shown_replies), 0)
    return section


def _replies(thread_ids: list[int], viewer: User | None, *, all_of_them: bool) -> list[Comment]:
    """The visible replies of these threads, oldest first: all of them, or the first
    REPLIES_SHOWN of each; each knows whom it answers."""
    quote = connection.ops.quote_name
    marks = ", ".join(["%s"] * len(thread_ids))
    extra = ", t.username AS reply_to_username, t.nickname AS reply_to_nickname"
    if not all_of_them:
        extra += ", ROW_NUMBER() OVER (PARTITION BY c.parent_id ORDER BY c.created_at, c.id) AS n"
    sql = _comments_sql(
        f"c.parent_id IN ({marks}) AND c.status = %s",
        "c.parent_id, c.created_at, c.id",
        liked=viewer is not None,
        extra=extra,
        joins=f" LEFT JOIN {quote(User._meta.db_table)} t ON t.id = c.reply_to_id",
    )
    params = [*([viewer.pk] if viewer else []), *thread_ids, Comment.Status.VISIBLE]
    if not all_of_them:
        inner = sql[: sql.rindex(" ORDER BY ")]
        sql = f"SELECT * FROM ({inner}) shown WHERE n <= %s ORDER BY parent_id, created_at, id"
        params.append(REPLIES_SHOWN)
    replies = _fetch(sql, params, viewer)
    for reply in replies:
        if reply.reply_to_id is not None:
            reply.reply_to = _author(reply, "reply_to")
    return replies


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
