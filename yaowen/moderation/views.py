"""The review workspace: queues of applications and articles, a page to decide each, and
editors' headline pins."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from yaowen.accounts.models import CreatorApplication
from yaowen.accounts.services import application_approve, application_reject
from yaowen.core.errors import ApplicationError
from yaowen.core.pagination import paginate
from yaowen.engagement.models import Report
from yaowen.engagement.services.reactions import report_close
from yaowen.moderation.forms import (
    ARTICLE_REASONS,
    PinForm,
    application_decision_form,
    article_decision_form,
)
from yaowen.moderation.models import ReviewDecision
from yaowen.moderation.selectors import (
    application_queue,
    article_queue,
    decision_history,
    report_queue,
)
from yaowen.newsroom.models import Article
from yaowen.newsroom.selectors import article_references
from yaowen.newsroom.services import article_approve, article_reject
from yaowen.recommend.models import HeadlinePin
from yaowen.recommend.services.pins import headline_pin, headline_unpin

DECIDED = _("已处理。")


def _require(request: HttpRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    can_apps = request.user.has_perm("accounts.review_application")
    can_articles = request.user.has_perm("newsroom.review_article")
    can_reports = request.user.has_perm("engagement.review_report")
    if not (can_apps or can_articles or can_reports):
        raise PermissionDenied
    return render(
        request,
        "moderation/queue.html",
        {
            "applications": paginate(application_queue(), request.GET.get("ap"))
            if can_apps
            else None,
            "articles": paginate(article_queue(), request.GET.get("page"))
            if can_articles
            else None,
            "reports": paginate(report_queue(), request.GET.get("rp")) if can_reports else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_review(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "accounts.review_application")
    application = get_object_or_404(
        CreatorApplication.objects.select_related("user", "field"), pk=pk
    )
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
            return redirect("moderation:queue")
    return render(
        request,
        "moderation/application.html",
        {
            "application": application,
            "form": form,
            "history": decision_history(
                subject=ReviewDecision.Subject.APPLICATION, object_id=application.pk
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def article_review(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "newsroom.review_article")
    article = get_object_or_404(
        Article.objects.select_related(
            "author", "channel", "analysis__duplicate_of", "analysis__predicted_channel"
        ),
        pk=pk,
    )
    if article.status == Article.Status.DRAFT:
        raise Http404
    form = article_decision_form(request.POST or None)
    if request.method == "POST" and form.is_valid():
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
            return redirect("moderation:queue")
    return render(
        request,
        "moderation/article.html",
        {
            "article": article,
            "references": article_references(article.pk),
            "form": form,
            "history": decision_history(
                subject=ReviewDecision.Subject.ARTICLE, object_id=article.pk
            ),
        },
    )


@login_required
@require_POST
def report_decide(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "engagement.review_report")
    report = get_object_or_404(Report, pk=pk)
    try:
        report_close(report=report, by=request.user, status=request.POST.get("status", ""))
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, DECIDED)
    return redirect("moderation:queue")


@login_required
@require_http_methods(["GET", "POST"])
def pins(request: HttpRequest) -> HttpResponse:
    """Editors' picks: the pins in force or scheduled, and a form to add one."""
    _require(request, "recommend.pin_headline")
    form = PinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        article = Article.objects.filter(pk=data["article"]).first()
        if article is None:
            form.add_error("article", _("没有这篇文章。"))
        else:
            try:
                headline_pin(
                    article=article,
                    channel=data["channel"],
                    ends_at=timezone.now() + dt.timedelta(hours=data["hours"]),
                    position=data["position"],
                    note=data["note"],
                    by=request.user,
                )
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("已置顶。"))
                return redirect("moderation:pins")
    current = (
        HeadlinePin.objects.filter(ends_at__gt=timezone.now())
        .select_related("article", "channel", "created_by")
        .order_by("channel__position", "position", "-starts_at")
    )
    return render(request, "moderation/pins.html", {"form": form, "pins": current})


@login_required
@require_POST
def pin_end(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "recommend.pin_headline")
    headline_unpin(pin=get_object_or_404(HeadlinePin, pk=pk), by=request.user)
    messages.success(request, _("已取消置顶。"))
    return redirect("moderation:pins")
