"""Sign-in: the password, then the second factor for accounts that have one.

Editors and administrators without a second factor are signed in with the password alone
and sent to set one up; the middleware keeps them there until they have.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from yaowen.accounts.forms import ThrottledLoginForm
from yaowen.accounts.security import flow
from yaowen.accounts.security import passkeys as webauthn
from yaowen.accounts.security.forms import CodeForm, PasskeyForm
from yaowen.accounts.security.services import (
    CODE_WRONG,
    PASSKEY_FAILED,
    Used,
    code_verify,
    factors_of,
    has_factor,
    passkey_verify,
    recovery_codes_left,
    staff_role,
)

SIGN_IN_EXPIRED = _("登录已超时，请重新输入密码。")
TOO_MANY_ATTEMPTS = _("验证失败次数过多，请 %(minutes)d 分钟后再试。")


class SignInView(LoginView):
    """Django's login page; a right password leads to the second step where one is needed."""

    authentication_form = ThrottledLoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        next_url = self.get_success_url()
        if has_factor(user):
            flow.pending_begin(self.request, user=user, next_url=next_url)
            return redirect("accounts:login_verify")
        login(self.request, user)  # a password alone: the session names ModelBackend
        if staff_role(user):
            query = urlencode({"next": next_url})
            return redirect(f"{reverse('accounts:security')}?{query}")
        return HttpResponseRedirect(next_url)


@never_cache
@require_http_methods(["GET", "POST"])
def signin_verify(request: HttpRequest) -> HttpResponse:
    """The second step: a code from the authenticator app, a recovery code, or a passkey."""
    pending = flow.pending_of(request)
    if pending is None:
        flow.pending_end(request)
        messages.info(request, SIGN_IN_EXPIRED)
        return redirect("accounts:login")
    user = pending.user
    posted = request.POST if request.method == "POST" else None
    code_form = CodeForm(posted if posted and "code" in posted else None)
    passkey_form = PasskeyForm(posted if posted and "credential" in posted else None)
    error = None
    if posted is not None:
        challenge = request.session.pop(flow.SIGNIN_CHALLENGE, None)
        if flow.attempts_locked(user.pk, request):
            error = TOO_MANY_ATTEMPTS % {"minutes": flow.lock_minutes()}
        else:
            used = None
            if code_form.is_bound and code_form.is_valid():
                used = code_verify(user=user, code=code_form.cleaned_data["code"])
                error = None if used else CODE_WRONG
            elif passkey_form.is_bound and passkey_form.is_valid() and challenge:
                credential = passkey_form.cleaned_data["credential"]
                if passkey_verify(request, user=user, credential=credential, challenge=challenge):
                    used = Used.PASSKEY
                error = None if used else PASSKEY_FAILED
            else:
                error = CODE_WRONG
            if used:
                flow.attempts_reset(user.pk, request)
                flow.signed_in_with_second_factor(request, user)
                if used == Used.RECOVERY:
                    _recovery_warning(request, user)
                return HttpResponseRedirect(pending.next_url)
            flow.attempt_failed(user.pk, request)
    factors = factors_of(user)
    passkey_options = None
    if factors.passkeys:
        passkey_options, challenge = webauthn.authentication_options(
            request, passkeys=factors.passkeys
        )
        request.session[flow.SIGNIN_CHALLENGE] = challenge
    return render(
        request,
        "accounts/signin_verify.html",
        {
            "pending_user": user,
            "factors": factors,
            "code_form": code_form,
            "passkey_form": passkey_form,
            "passkey_options": passkey_options,
            "error": error,
        },
    )


def _recovery_warning(request: HttpRequest, user) -> None:
    left = recovery_codes_left(user)
    messages.warning(
        request,
        ngettext(
            "你用了一个恢复码登录，还剩 %(left)d 个。请检查验证器应用，必要时重新生成恢复码。",
            "你用了一个恢复码登录，还剩 %(left)d 个。请检查验证器应用，必要时重新生成恢复码。",
            left,
        )
        % {"left": left},
    )
