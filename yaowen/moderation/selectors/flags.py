"""Automatic flags: what the machines noticed about articles and comments, and why.

An article is flagged when it is a near-duplicate of another creator's article, when the
classifier puts it in another channel than its author chose, or when its title or body
hits sensitive words; a comment when it hits sensitive words. Only recent items are
screened (FLAG_WINDOW, at most FLAG_LIMIT of each), and an item an editor has already
acted on since it was last submitted leaves the queue. Comments the word filter held for
review are always here until released or hidden.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from yaowen.engagement.models import Comment
from yaowen.governance.models import AuditEntry, ReviewDecision
from yaowen.moderation.selectors.labels import REASON_LABELS
from yaowen.moderation.selectors.queues import AGES, NO_FILTER, QueueFilter
from yaowen.moderation.selectors.screening import (
    Badge,
    flagging,
    highlight,
    hit_snippets,
    text_screen,
    words_badge,
)
from yaowen.newsroom.models import Article

FLAG_WINDOW = dt.timedelta(days=7)
FLAG_LIMIT = 300


@dataclass
class ItemFlags:
    """Why one article or comment deserves a look, with its word hits marked."""

    badges: list[Badge] = field(default_factory=list)
    title_html: SafeString | str = ""
    snippets: list[SafeString] = field(default_factory=list)
    words_flagged: bool = False

    @property
    def codes(self) -> set[str]:
        return {badge.code for badge in self.badges}

    @property
    def machine(self) -> bool:
        """Whether the machines flag it (what the 自动标记 queue lists)."""
        return bool(self.codes & {"duplicate", "channel"}) or self.words_flagged


@dataclass
class Flagged:
    """One entry of the 自动标记 queue."""

    kind: str  # "article" or "comment"
    obj: Article | Comment
    flags: ItemFlags
    flagged_at: dt.datetime


def article_badges(article: Article, *, with_original: bool = True) -> ItemFlags:
    """The reasons to look at `article` (needs analysis__duplicate_of and
    analysis__predicted_channel loaded) and its title and body hits."""
    badges = []
    analysis = getattr(article, "analysis", None)
    if analysis is not None:
        original = analysis.duplicate_of
        if original is not None and original.author_id != article.author_id:
            badges.append(
                Badge("duplicate", str(REASON_LABELS["duplicate"]), f"《{original.title}》")
            )
        predicted = analysis.predicted_channel
        if predicted is not None and predicted.pk != article.channel_id:
            detail = _("作者选择“%(chosen)s”，分类器判断为“%(name)s”") % {
                "chosen": article.channel.name,
                "name": predicted.name,
            }
            badges.append(Badge("channel", str(REASON_LABELS["channel"]), detail))
    title, body = text_screen(article.title), text_screen(article.body_source)
    words = words_badge(title, body)
    if words is not None:
        badges.append(words)
    if with_original and article.is_original:
        badges.append(Badge("original", str(REASON_LABELS["original"])))
    return ItemFlags(
        badges=badges,
        title_html=highlight(article.title, title),
        snippets=hit_snippets(article.body_source, body),
        words_flagged=flagging(title) or flagging(body),
    )


def comment_badges(comment: Comment) -> ItemFlags:
    """A comment's word hits, the whole (short) body marked; held comments say so."""
    screening = text_screen(comment.body)
    badges = []
    if comment.status == Comment.Status.PENDING:
        badges.append(Badge("held", str(REASON_LABELS["held"])))
    words = words_badge(screening)
    if words is not None:
        badges.append(words)
    return ItemFlags(
        badges=badges,
        title_html=highlight(comment.body, screening),
        words_flagged=flagging(screening),
    )


def _in_age(moment: dt.datetime | None, age: str, now: dt.datetime) -> bool:
    if age not in AGES or moment is None:
        return True
    direction, span = AGES[age]
    return moment >= now - span if direction == "newer" else moment < now - span


def _seen(subject_type: str, since: str) -> Exists:
    """An editor acted on the item after it was (last) submitted."""
    audited = AuditEntry.objects.filter(
        subject_type=subject_type, subject_id=OuterRef("pk"), created_at__gte=OuterRef(since)
    )
    return Exists(audited)


def _flagged_articles(channel_ids, filters: QueueFilter, now: dt.datetime) -> list[Flagged]:
    articles = Article.objects.filter(
        Q(status=Article.Status.PENDING)
        | Q(status=Article.Status.PUBLISHED, published_at__gte=now - FLAG_WINDOW)
    )
    if channel_ids is not None:
        articles = articles.filter(channel_id__in=channel_ids)
    if filters.channel:
        articles = articles.filter(channel_id=filters.channel)
    decided = ReviewDecision.objects.filter(
        subject=ReviewDecision.Subject.ARTICLE,
        object_id=OuterRef("pk"),
        created_at__gte=OuterRef("since"),
    )
    articles = (
        articles.annotate(since=Coalesce("submitted_at", "created_at"))
        .exclude(_seen("article", "since"))
        .exclude(Exists(decided))
        .select_related(
            "author", "channel", "analysis__duplicate_of", "analysis__predicted_channel"
        )
        .order_by("-pk")[:FLAG_LIMIT]
    )
    found = []
    for article in articles:
        moment = article.published_at or article.submitted_at or article.created_at
        if not _in_age(moment, filters.age, now):
            continue
        flags = article_badges(article, with_original=False)
        if not flags.machine or (filters.reason and filters.reason not in flags.codes):
            continue
        found.append(Flagged("article", article, flags, moment))
    return found


def _flagged_comments(channel_ids, filters: QueueFilter, now: dt.datetime) -> list[Flagged]:
    if filters.reason and filters.reason not in ("words", "held"):
        return []
    # Comments the word filter held wait for an editor whatever their age; visible ones
    # are screened while recent.
    comments = Comment.objects.filter(
        Q(status=Comment.Status.PENDING)
        | Q(status=Comment.Status.VISIBLE, created_at__gte=now - FLAG_WINDOW)
    )
    if channel_ids is not None:
        comments = comments.filter(article__channel_id__in=channel_ids)
    if filters.channel:
        comments = comments.filter(article__channel_id=filters.channel)
    comments = (
        comments.exclude(_seen("comment", "created_at"))
        .select_related("user", "article", "article__channel")
        .order_by("-pk")[:FLAG_LIMIT]
    )
    found = []
    for comment in comments:
        if not _in_age(comment.created_at, filters.age, now):
            continue
        flags = comment_badges(comment)
        if not (flags.words_flagged or comment.status == Comment.Status.PENDING):
            continue
        if not filters.reason or filters.reason in flags.codes:
            found.append(Flagged("comment", comment, flags, comment.created_at))
    return found


def flagged_items(
    *,
    channel_ids: set[int] | None = None,
    filters: QueueFilter = NO_FILTER,
    articles: bool = True,
    comments: bool = True,
    now: dt.datetime | None = None,
) -> list[Flagged]:
    """Flagged recent articles and comments in the editor's channels, oldest first."""
    now = now or timezone.now()
    found = []
    if articles:
        found += _flagged_articles(channel_ids, filters, now)
    if comments:
        found += _flagged_comments(channel_ids, filters, now)
    found.sort(key=lambda item: (item.flagged_at, item.kind, item.obj.pk))
    return found


def application_badges(application) -> ItemFlags:
    """Word hits in an application's name, bio and statement; a resubmission is marked."""
    name, bio, statement = (
        text_screen(application.display_name),
        text_screen(application.bio),
        text_screen(application.statement),
    )
    badges = []
    if application.submission_count > 1:
        badges.append(
            Badge(
                "resubmitted",
                str(REASON_LABELS["resubmitted"]),
                _("第 %(n)d 次") % {"n": application.submission_count},
            )
        )
    words = words_badge(name, bio, statement)
    if words is not None:
        badges.append(words)
    return ItemFlags(
        badges=badges,
        title_html=highlight(application.display_name, name),
        snippets=hit_snippets(application.bio, bio)
        + hit_snippets(application.statement, statement),
        words_flagged=flagging(name) or flagging(bio) or flagging(statement),
    )


def report_badges(reports) -> list[Badge]:
    """One badge per report reason, with how many readers gave it."""
    counts: dict[str, int] = {}
    for report in reports:
        counts[report.reason] = counts.get(report.reason, 0) + 1
    badges = []
    for reason, n in counts.items():
        label = str(REASON_LABELS.get(reason, reason))
        badges.append(Badge(reason, f"{label} ×{n}" if n > 1 else label))
    return badges
