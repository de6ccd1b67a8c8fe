"""Appeal pages: the person a moderation act affected appeals it once, and follows it."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from yaowen.core.errors import ApplicationError
from yaowen.core.pagination import paginate
from yaowen.governance.actions import APPEALABLE
from yaowen.governance.models import AuditEntry
from yaowen.moderation.models import Appeal
from yaowen.moderation.services.appeals import (
    TEXT_MAX_LENGTH,
    affected_user_id,
    appeal_create,
    appeals_of,
    in_force,
)

APPEAL_SENT = _("申诉已提交，会由另一位编辑处理，结果将通过消息通知你。")


class AppealForm(forms.Form):
    text = forms.CharField(
        label=_("申诉理由"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("请说明你认为这项处理不当的理由，最多 1000 字。每项处理只能申诉一次。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def appeal(request: HttpRequest, entry_id: int) -> HttpResponse:
    """The act, its reason, and the form to appeal it (or the appeal already made)."""
    entry = get_object_or_404(AuditEntry.objects.select_related("actor"), pk=entry_id)
    # Other people do not learn that the act exists.
    if affected_user_id(entry) != request.user.pk:
        raise Http404
    existing = Appeal.objects.filter(entry=entry).select_related("decided_by").first()
    appealable = existing is None and entry.action in APPEALABLE and in_force(entry)
    form = AppealForm(request.POST or None) if appealable else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            appeal_create(entry=entry, by=request.user, text=form.cleaned_data["text"])
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, APPEAL_SENT)
            return redirect("appeals:mine")
    return render(
        request,
        "moderation/appeal_form.html",
        {
            "entry": entry,
            "appeal": existing,
            "form": form,
            "can_appeal": entry.action in APPEALABLE,
        },
        # A post that got here was refused: invalid, or the act cannot be appealed (again).
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """The person's own appeals and how each was decided."""
    page = paginate(appeals_of(user=request.user), request.GET.get("page"))
    return render(request, "moderation/appeal_list.html", {"page": page})
