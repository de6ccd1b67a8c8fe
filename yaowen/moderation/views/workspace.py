"""The moderation workspace: every queue the editor may work on, with counts, filters
kept in the query string, reason badges on each item, and bulk hiding of comments."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from yaowen.core.errors import ApplicationError
from yaowen.core.pagination import paginate
from yaowen.engagement.models import Report
from yaowen.governance.roles import Action, can, editor_channel_ids
from yaowen.moderation.forms import BulkHideForm, QueueFilterForm
from yaowen.moderation.selectors import (
    QueueFilter,
    appeal_queue,
    application_badges,
    application_queue,
    article_badges,
    article_queue,
    comment_badges,
    flagged_items,
    open_reports_for,
    report_badges,
    reported_article_queue,
    reported_comment_queue,
)
from yaowen.moderation.services.actions import comments_hide
from yaowen.moderation.services.reports import reports_close
from yaowen.moderation.views.common import require_editor

OUT_OF_SCOPE_COMMENTS = _("所选跟帖中有不在你负责频道内的。")


@dataclass(frozen=True)
class Queue:
    key: str
    label: str
    actions: tuple[str, ...]


QUEUES = (
    Queue("applications", _("入驻申请"), (Action.APPLICATION_REVIEW,)),
    Queue("articles", _("待审文章"), (Action.ARTICLE_REVIEW,)),
    Queue("reported_articles", _("被举报的文章"), (Action.REPORT_REVIEW,)),
    Queue("reported_comments", _("被举报的跟帖"), (Action.REPORT_REVIEW,)),
    Queue("flags", _("自动标记"), (Action.ARTICLE_REVIEW, Action.COMMENT_HIDE)),
    Queue("appeals", _("申诉"), (Action.APPEAL_DECIDE,)),
)
# Queues whose items include comments that can be hidden in bulk.
BULK_QUEUES = ("reported_comments", "flags")


def _rows(key: str, user, channel_ids: set[int] | None, filters: QueueFilter):
    """A queue's items, oldest first: a queryset, or a list for the automatic flags."""
    if key == "applications":
        return application_queue(channel_ids=channel_ids, filters=filters)
    if key == "articles":
        return article_queue(channel_ids=channel_ids, filters=filters)
    if key == "reported_articles":
        return reported_article_queue(channel_ids=channel_ids, filters=filters)
    if key == "reported_comments":
        return reported_comment_queue(channel_ids=channel_ids, filters=filters)
    if key == "flags":
        return flagged_items(
            channel_ids=channel_ids,
            filters=filters,
            articles=can(user, Action.ARTICLE_REVIEW),
            comments=can(user, Action.COMMENT_HIDE),
        )
    return appeal_queue(user=user, channel_ids=channel_ids, filters=filters)


def _count(rows) -> int:
    return len(rows) if isinstance(rows, list) else rows.count()


def _decorate(key: str, items: list) -> None:
    """Give each item on the page its reason badges, word hits and open reports."""
    if key == "applications":
        for application in items:
            application.flags = application_badges(application)
    elif key == "articles":
        for article in items:
            article.flags = article_badges(article)
    elif key in ("reported_articles", "reported_comments"):
        kind = "article" if key == "reported_articles" else "comment"
        grouped = open_reports_for(**{f"{kind}s": items})
        for obj in items:
            obj.flags = article_badges(obj) if kind == "article" else comment_badges(obj)
            obj.open_reports = grouped.get((kind, obj.pk), [])
            obj.flags.badges = report_badges(obj.open_reports) + obj.flags.badges


def _query(**params) -> str:
    return urlencode({name: value for name, value in params.items() if value})


def _workspace(request: HttpRequest, *, bulk_form: BulkHideForm | None = None) -> HttpResponse:
    require_editor(request)
    user = request.user
    available = [q for q in QUEUES if any(can(user, action) for action in q.actions)]
    if not available:
        raise PermissionDenied
    channel_ids = editor_channel_ids(user)
    keys = [q.key for q in available]
    key = request.GET.get("queue", "")
    form = QueueFilterForm(request.GET, queue=key if key in keys else "", channel_ids=channel_ids)
    filters = form.filters()
    broad = QueueFilter(channel=filters.channel, age=filters.age)
    # Tab counts keep the channel and age, not the queue-specific reason.
    broad_rows = {k: _rows(k, user, channel_ids, broad) for k in keys}
    counts = {k: _count(rows) for k, rows in broad_rows.items()}
    if bulk_form is not None and key not in BULK_QUEUES:
        # A refused bulk hide is shown where comments can be picked again.
        key = "reported_comments" if "reported_comments" in keys else key
    if key not in keys:
        # No (known) queue asked for: the first one with work in it.
        key = next((k for k in keys if counts[k]), keys[0])
        form = QueueFilterForm(request.GET, queue=key, channel_ids=channel_ids)
        filters = form.filters()
    rows = broad_rows[key] if filters == broad else _rows(key, user, channel_ids, filters)
    page = paginate(rows, request.GET.get("page"))
    items = list(page.object_list)
    _decorate(key, items)
    keep = {"channel": filters.channel or "", "age": filters.age}
    page_query = _query(queue=key, reason=filters.reason, **keep)
    return render(
        request,
        "moderation/workspace.html",
        {
            "queues": [(q, counts[q.key], _query(queue=q.key, **keep)) for q in available],
            "current": next(q for q in available if q.key == key),
            "form": form,
            "page": page,
            "items": items,
            "page_query": page_query,
            "here": f"{reverse('moderation:queue')}?{page_query}",
            "bulk_form": bulk_form
            if bulk_form is not None
            else (
                BulkHideForm() if key in BULK_QUEUES and can(user, Action.COMMENT_HIDE) else None
            ),
            "bulk_selected": request.POST.getlist("comment_ids"),
            "can_pins": user.has_perm("recommend.pin_headline"),
            "can_audit": can(user, Action.AUDIT_VIEW),
        },
    )


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    return _workspace(request)


@login_required
@require_POST
def comments_hide_view(request: HttpRequest) -> HttpResponse:
    """Hide the selected comments with one reason; the queue's filters stay in the URL."""
    require_editor(request)
    if not can(request.user, Action.COMMENT_HIDE):
        raise PermissionDenied
    form = BulkHideForm(request.POST)
    if form.is_valid():
        comments = list(form.cleaned_data["comment_ids"].select_related("article"))
        if not all(
            can(request.user, Action.COMMENT_HIDE, channel_id=c.article.channel_id)
            for c in comments
        ):
            form.add_error("comment_ids", OUT_OF_SCOPE_COMMENTS)
        else:
            try:
                with transaction.atomic():
                    hidden = comments_hide(
                        comment_ids=[c.pk for c in comments],
                        by=request.user,
                        reason=form.cleaned_data["reason"],
                    )
                    reports_close(
                        reports=Report.objects.filter(
                            comment__in=comments, status=Report.Status.OPEN
                        ),
                        by=request.user,
                        status=Report.Status.RESOLVED,
                    )
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("已隐藏 %(n)d 条跟帖。") % {"n": hidden})
                query = request.GET.urlencode()
                return redirect(f"{reverse('moderation:queue')}{'?' + query if query else ''}")
    return _workspace(request, bulk_form=form)
