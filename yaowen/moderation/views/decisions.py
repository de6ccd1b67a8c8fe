"""Decision pages for applications and articles: approve, reject or request changes, take
down or restore, confirm a false 原创 claim, suspend the creator, close the reports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from yaowen.accounts.models import CreatorApplication
from yaowen.accounts.services import application_approve, application_reject
from yaowen.analysis.selectors import copied_paragraphs
from yaowen.core.errors import ApplicationError
from yaowen.engagement.models import Report
from yaowen.governance.models import ReviewDecision
from yaowen.governance.roles import Action
from yaowen.moderation.forms import (
    ARTICLE_REASONS,
    ArticleActionForm,
    application_decision_form,
    article_decision_form,
)
from yaowen.moderation.selectors import (
    application_badges,
    article_badges,
    audit_for,
    decision_history,
    open_reports_for,
    report_badges,
)
from yaowen.moderation.services.acts import ARTICLE_ACTS, article_act, article_acts_available
from yaowen.moderation.services.reports import reports_close
from yaowen.moderation.views.common import (
    back_url,
    require_any,
    require_editor,
)
from yaowen.newsroom.models import Article
from yaowen.newsroom.selectors import article_references
from yaowen.newsroom.services import article_approve, article_reject

DECIDED = _("已处理。")
DONE = {
    "request_changes": _("已要求作者修改。"),
    "take_down": _("文章已下架。"),
    "restore": _("文章已恢复。"),
    "false_original": _("已确认原创声明不实，原创标记已取消。"),
    "suspend": _("创作者已暂停。"),
    "unsuspend": _("创作者已恢复。"),
    "dismiss_reports": _("举报已驳回。"),
    "clear_flags": _("已确认无需处理，移出自动标记。"),
}


@login_required
@require_http_methods(["GET", "POST"])
def application_review(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(
        CreatorApplication.objects.select_related("user", "field"), pk=pk
    )
    require_any(request, [Action.APPLICATION_REVIEW], application.field_id)
    form = application_decision_form(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["verdict"] == "approve":
                application_approve(
                    application=application, reviewer=request.user, note=form.cleaned_data["note"]
                )
            else:
                application_reject(
                    application=application,
                    reviewer=request.user,
                    reasons=form.cleaned_data["reasons"],
                    note=form.cleaned_data["note"],
                )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, DECIDED)
            return redirect(back_url(request))
    return render(
        request,
        "moderation/application.html",
        {
            "application": application,
            "flags": application_badges(application),
            "form": form,
            "history": decision_history(
                subject=ReviewDecision.Subject.APPLICATION, object_id=application.pk
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def article_review(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(
        Article.objects.select_related(
            "author", "channel", "analysis__duplicate_of", "analysis__predicted_channel"
        ),
        pk=pk,
    )
    if article.status == Article.Status.DRAFT:
        raise Http404
    allowed = require_any(
        request, [Action.ARTICLE_REVIEW, *ARTICLE_ACTS.values()], article.channel_id
    )
    reports = open_reports_for(articles=[article]).get(("article", article.pk), [])
    flags = article_badges(article)
    acts = article_acts_available(article, allowed, bool(reports), flags)
    form = article_decision_form(request.POST if "verdict" in request.POST else None)
    action_form = ArticleActionForm(request.POST if "action" in request.POST else None)
    if request.method == "POST" and "verdict" in request.POST:
        if Action.ARTICLE_REVIEW not in allowed:
            raise PermissionDenied
        if form.is_valid():
            labels = dict(ARTICLE_REASONS)
            try:
                if form.cleaned_data["verdict"] == "approve":
                    article_approve(
                        article=article, reviewer=request.user, note=form.cleaned_data["note"]
                    )
                else:
                    article_reject(
                        article=article,
                        reviewer=request.user,
                        reasons=[str(labels[code]) for code in form.cleaned_data["reasons"]],
                        note=form.cleaned_data["note"],
                    )
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, DECIDED)
                return redirect(back_url(request))
    elif request.method == "POST" and action_form.is_valid():
        act = action_form.cleaned_data["action"]
        if act not in acts:
            action_form.add_error(None, _("这篇文章当前不能进行这项操作。"))
        else:
            try:
                article_act(
                    act,
                    article,
                    by=request.user,
                    data=action_form.cleaned_data,
                    reports=reports,
                    flags=flags,
                )
            except ApplicationError as error:
                action_form.add_error(None, error.message)
            else:
                messages.success(request, DONE[act])
                return redirect(back_url(request))
    return render(
        request,
        "moderation/article.html",
        {
            "article": article,
            "flags": flags,
            "references": article_references(article.pk),
            "copied": copied_paragraphs(article),
            "reports": reports,
            "report_badges": report_badges(reports),
            "form": form,
            "can_decide": Action.ARTICLE_REVIEW in allowed,
            "action_form": action_form,
            "acts": [(act, label) for act, label in ArticleActionForm.ACTIONS if act in acts],
            "history": decision_history(
                subject=ReviewDecision.Subject.ARTICLE, object_id=article.pk
            ),
            "audit": audit_for(subject_type="article", subject_id=article.pk),
        },
    )


@login_required
@require_POST
def report_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Close one report from the workspace (kept for the older queue's buttons)."""
    require_editor(request)
    report = get_object_or_404(Report.objects.select_related("article"), pk=pk)
    require_any(request, [Action.REPORT_REVIEW], report.article.channel_id)
    try:
        reports_close(reports=[report], by=request.user, status=request.POST.get("status", ""))
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, DECIDED)
    return redirect(back_url(request))
