"""The editor's side of an appeal: read the act and the appeal, keep or undo the act.

The person who acted never decides the appeal against it (nor an appellant their own)."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from yaowen.core.errors import ApplicationError
from yaowen.governance.roles import Action
from yaowen.moderation.forms import AppealDecisionForm
from yaowen.moderation.models import Appeal
from yaowen.moderation.selectors import subject_channel_id
from yaowen.moderation.services.appeals import appeal_decide
from yaowen.moderation.views.common import back_url, require_any

DONE = {
    "uphold": _("已维持原处理，申诉人会收到通知。"),
    "reverse": _("已撤销原处理，申诉人会收到通知。"),
}


def _state(state) -> str:
    return "" if state is None else json.dumps(state, ensure_ascii=False, sort_keys=True)


@login_required
@require_http_methods(["GET", "POST"])
def appeal_review(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = get_object_or_404(
        Appeal.objects.select_related("entry", "entry__actor", "appellant", "decided_by"), pk=pk
    )
    entry = appeal.entry
    require_any(
        request,
        [Action.APPEAL_DECIDE],
        subject_channel_id(entry.subject_type, entry.subject_id),
    )
    if request.user.pk in (entry.actor_id, appeal.appellant_id):
        raise PermissionDenied
    pending = appeal.status == Appeal.Status.PENDING
    form = AppealDecisionForm(request.POST or None) if pending else None
    if form is not None and request.method == "POST" and form.is_valid():
        verdict = form.cleaned_data["verdict"]
        try:
            appeal_decide(
                appeal=appeal,
                by=request.user,
                upheld=verdict == "uphold",
                reason=form.cleaned_data["reason"],
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, DONE[verdict])
            return redirect(back_url(request))
    return render(
        request,
        "moderation/decide_appeal.html",
        {
            "appeal": appeal,
            "entry": entry,
            "before": _state(entry.before),
            "after": _state(entry.after),
            "form": form,
        },
    )
