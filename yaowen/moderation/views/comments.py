"""The decision page for a comment: hide it, ban its author from commenting (optionally
hiding their earlier comments), or dismiss its reports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from yaowen.core.errors import ApplicationError
from yaowen.engagement.models import Comment, Report
from yaowen.moderation.forms import CommentActionForm
from yaowen.moderation.models import CommentBan
from yaowen.moderation.roles import Action
from yaowen.moderation.selectors import (
    ItemFlags,
    audit_for,
    comment_badges,
    open_reports_for,
    report_badges,
)
from yaowen.moderation.services.actions import (
    comment_hide,
    comment_release,
    reader_ban,
    reader_unban,
)
from yaowen.moderation.services.reports import flags_clear, reports_close, reports_dismiss
from yaowen.moderation.views.common import (
    back_url,
    require_any,
)

EARLIER_SHOWN = 10
DONE = {
    "release": _("跟帖已放行。"),
    "hide": _("跟帖已隐藏。"),
    "ban": _("已禁止此人跟帖。"),
    "unban": _("已解除禁止跟帖。"),
    "dismiss_reports": _("举报已驳回。"),
    "clear_flags": _("已确认无需处理，移出自动标记。"),
}
COMMENT_ACTS = {
    "release": Action.COMMENT_HIDE,
    "hide": Action.COMMENT_HIDE,
    "ban": Action.READER_BAN,
    "unban": Action.READER_BAN,
    "dismiss_reports": Action.REPORT_REVIEW,
    "clear_flags": Action.COMMENT_HIDE,
}


def _available_acts(
    comment: Comment, allowed: set[str], banned: bool, reported: bool, flags: ItemFlags
) -> list[str]:
    acts = ["release"] if comment.status == Comment.Status.PENDING else []
    if comment.status in (Comment.Status.VISIBLE, Comment.Status.PENDING):
        acts.append("hide")
    acts.append("unban" if banned else "ban")
    if reported:
        acts.append("dismiss_reports")
    if comment.status == Comment.Status.VISIBLE and flags.machine:
        acts.append("clear_flags")
    return [act for act in acts if COMMENT_ACTS[act] in allowed]


def _comment_act(
    act: str, comment: Comment, by, data: dict, reports: list[Report], flags: ItemFlags
) -> None:
    """Do one act; hiding a comment (or its author's comments) closes their reports."""
    reason = data["reason"]
    with transaction.atomic():
        if act == "dismiss_reports":
            reports_dismiss(
                reports=reports, by=by, reason=reason, subject_type="comment", subject_id=comment.pk
            )
            return
        if act == "clear_flags":
            flags_clear(
                subject_type="comment",
                subject_id=comment.pk,
                by=by,
                reason=reason,
                codes=flags.codes,
            )
            return
        if act == "release":
            comment_release(comment=comment, by=by, reason=reason)
            return
        if act == "hide":
            comment_hide(comment=comment, by=by, reason=reason)
        elif act == "ban":
            reader_ban(user=comment.user, by=by, reason=reason, hide_earlier=data["hide_earlier"])
        else:
            reader_unban(user=comment.user, by=by, reason=reason)
            return
        if act == "ban":
            # The reports of this comment, and of the author's comments now hidden, were
            # acted on.
            hidden = Q(comment__user=comment.user) & ~Q(comment__status=Comment.Status.VISIBLE)
            reports = Report.objects.filter(Q(comment=comment) | hidden, status=Report.Status.OPEN)
        reports_close(reports=reports, by=by, status=Report.Status.RESOLVED)


@login_required
@require_http_methods(["GET", "POST"])
def comment_review(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(
        Comment.objects.select_related("user", "article", "article__channel"), pk=pk
    )
    allowed = require_any(request, COMMENT_ACTS.values(), comment.article.channel_id)
    reports = open_reports_for(comments=[comment]).get(("comment", comment.pk), [])
    banned = CommentBan.objects.filter(user_id=comment.user_id).first()
    flags = comment_badges(comment)
    acts = _available_acts(comment, allowed, banned is not None, bool(reports), flags)
    form = CommentActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        act = form.cleaned_data["action"]
        if act not in acts:
            form.add_error(None, _("这条跟帖当前不能进行这项操作。"))
        else:
            try:
                _comment_act(act, comment, request.user, form.cleaned_data, reports, flags)
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, DONE[act])
                return redirect(back_url(request))
    earlier = (
        Comment.objects.filter(user_id=comment.user_id)
        .exclude(pk=comment.pk)
        .select_related("article")
        .order_by("-created_at")[:EARLIER_SHOWN]
    )
    return render(
        request,
        "moderation/comment.html",
        {
            "comment": comment,
            "flags": flags,
            "reports": reports,
            "report_badges": report_badges(reports),
            "ban": banned,
            "earlier": earlier,
            "form": form,
            "acts": [(act, label) for act, label in CommentActionForm.ACTIONS if act in acts],
            "audit": audit_for(subject_type="comment", subject_id=comment.pk),
        },
    )
