"""The decision page for a comment: hide it, ban its author from commenting (optionally
hiding their earlier comments), or dismiss its reports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from yaowen.core.errors import ApplicationError
from yaowen.engagement.models import Comment, CommentBan
from yaowen.moderation.forms import CommentActionForm
from yaowen.moderation.selectors import (
    audit_for,
    comment_badges,
    open_reports_for,
    report_badges,
)
from yaowen.moderation.services.acts import COMMENT_ACTS, comment_act, comment_acts_available
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
    acts = comment_acts_available(comment, allowed, banned is not None, bool(reports), flags)
    form = CommentActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        act = form.cleaned_data["action"]
        if act not in acts:
            form.add_error(None, _("这条跟帖当前不能进行这项操作。"))
        else:
            try:
                comment_act(
                    act,
                    comment,
                    by=request.user,
                    data=form.cleaned_data,
                    reports=reports,
                    flags=flags,
                )
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
