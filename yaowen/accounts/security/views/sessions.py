"""The account's signed-in sessions: listed, revoked one by one or all but this one; and the
password change, which signs every other session out."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from yaowen.accounts.security.sessions import (
    RECORD,
    session_list,
    session_revoke,
    sessions_revoke_others,
)

SESSION_REVOKED = _("该设备已退出登录。")
SESSION_GONE = _("该设备已经退出登录了。")
OTHERS_SIGNED_OUT = _("其他设备上的登录均已退出。")


def _current_digest(request: HttpRequest) -> str | None:
    return (request.session.get(RECORD) or {}).get("d")


@never_cache
@login_required
def sessions_page(request: HttpRequest) -> HttpResponse:
    entries = session_list(user=request.user, current_digest=_current_digest(request))
    return render(
        request,
        "accounts/sessions.html",
        {"entries": entries, "others": sum(1 for entry in entries if not entry.current)},
    )


@login_required
@require_POST
def session_sign_out(request: HttpRequest, pk: int) -> HttpResponse:
    if session_revoke(user=request.user, session_id=pk):
        messages.success(request, SESSION_REVOKED)
    else:
        messages.info(request, SESSION_GONE)
    return redirect("accounts:sessions")


@login_required
@require_POST
def sessions_sign_out_others(request: HttpRequest) -> HttpResponse:
    sessions_revoke_others(user=request.user, keep_digest=_current_digest(request))
    messages.success(request, OTHERS_SIGNED_OUT)
    return redirect("accounts:sessions")


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change; every other session of the account is signed out with it
    (Django would refuse them at their next request; this also drops them from the list)."""

    def form_valid(self, form):
        response = super().form_valid(form)
        count = sessions_revoke_others(
            user=self.request.user, keep_digest=_current_digest(self.request)
        )
        if count:
            messages.info(
                self.request,
                ngettext(
                    "其他 %(count)d 个设备上的登录已退出。",
                    "其他 %(count)d 个设备上的登录已退出。",
                    count,
                )
                % {"count": count},
            )
        return response
