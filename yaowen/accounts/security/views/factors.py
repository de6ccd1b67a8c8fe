"""The account's security page and setting up or removing second factors.

An editor or administrator signed in with a password alone lands here until a first
factor is set up; setting one up counts as passing it, so the session is then signed in
with the second factor. The first factor also brings ten recovery codes, shown once.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from yaowen.accounts.security import flow, totp
from yaowen.accounts.security import passkeys as webauthn
from yaowen.accounts.security.forms import PasskeyAddForm, TotpConfirmForm
from yaowen.accounts.security.sealing import InvalidToken
from yaowen.accounts.security.services import (
    SecondFactorError,
    factors_of,
    passkey_add,
    passkey_remove,
    recovery_codes_left,
    recovery_codes_new,
    staff_role,
    totp_disable,
    totp_enable,
    totp_secret_seal,
    totp_secret_unseal,
)

TOTP_SETUP = "_yw_totp_setup"
TOTP_ADDED = _("验证器应用已启用，下次登录时需要输入其中的验证码。")
TOTP_ALREADY = _("你已经设置了验证器应用；如需更换，请先移除再重新设置。")
TOTP_REMOVED = _("验证器应用已移除。")
PASSKEY_ADDED = _("通行密钥已添加。")
PASSKEY_REMOVED = _("通行密钥已移除。")
PASSKEY_NOT_ADDED = _("没能添加通行密钥，请重试。")
NEED_FACTOR_FIRST = _("请先设置验证器应用或通行密钥，再生成恢复码。")


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return candidate if allowed else ""


@never_cache
@login_required
def security(request: HttpRequest) -> HttpResponse:
    factors = factors_of(request.user)
    return render(
        request,
        "accounts/security.html",
        {
            "factors": factors,
            "staff": staff_role(request.user),
            "setup_required": staff_role(request.user) and not factors.any,
            "next": _next_url(request),
        },
    )


def _first_factor_done(request: HttpRequest, *, had_factor: bool) -> HttpResponse | None:
    """After a factor was added: the session now counts as signed in with it, and a first
    factor shows its recovery codes (rendered here, never stored in the clear)."""
    if not flow.second_factor_passed(request):
        flow.signed_in_with_second_factor(request, request.user)
    if had_factor and recovery_codes_left(request.user):
        return None
    codes = recovery_codes_new(user=request.user)
    return _codes_page(request, codes, first=True)


def _codes_page(request: HttpRequest, codes: list[str], *, first: bool) -> HttpResponse:
    response = render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "first": first, "next": _next_url(request)},
    )
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def totp_setup(request: HttpRequest) -> HttpResponse:
    factors = factors_of(request.user)
    if factors.totp is not None:
        messages.info(request, TOTP_ALREADY)
        return redirect("accounts:security")
    secret = None
    if request.method == "POST" and request.session.get(TOTP_SETUP):
        try:
            secret = totp_secret_unseal(request.session[TOTP_SETUP])
        except InvalidToken:
            secret = None
    form = TotpConfirmForm(request.POST if secret else None)
    if secret and form.is_valid():
        try:
            totp_enable(user=request.user, secret=secret, code=form.cleaned_data["code"])
        except SecondFactorError as error:
            form.add_error("code", error.message)
        else:
            request.session.pop(TOTP_SETUP, None)
            messages.success(request, TOTP_ADDED)
            page = _first_factor_done(request, had_factor=factors.any)
            return page or redirect(_next_url(request) or "accounts:security")
    if secret is None:
        # The secret stays sealed in the session until a first right code keeps it.
        secret = totp.secret_new()
        request.session[TOTP_SETUP] = totp_secret_seal(secret)
    uri = totp.provisioning_uri(secret, account=request.user.username, issuer=settings.SITE_NAME)
    return render(
        request,
        "accounts/totp_setup.html",
        {
            "form": form,
            "qr_svg": totp.qr_svg(uri),
            "secret": totp.secret_grouped(secret),
            "next": _next_url(request),
        },
    )


@login_required
@require_POST
def totp_remove(request: HttpRequest) -> HttpResponse:
    try:
        totp_disable(user=request.user)
    except SecondFactorError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, TOTP_REMOVED)
    return redirect("accounts:security")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def passkey_register(request: HttpRequest) -> HttpResponse:
    factors = factors_of(request.user)
    form = PasskeyAddForm(request.POST or None)
    if request.method == "POST":
        challenge = request.session.pop(flow.REGISTER_CHALLENGE, None)
        if challenge and form.is_valid():
            try:
                credential = webauthn.registration_verify(
                    request, credential=form.cleaned_data["credential"], challenge=challenge
                )
            except (webauthn.WebAuthnException, ValueError, KeyError, TypeError):
                form.add_error(None, PASSKEY_NOT_ADDED)
            else:
                passkey_add(
                    user=request.user, credential=credential, name=form.cleaned_data["name"]
                )
                messages.success(request, PASSKEY_ADDED)
                page = _first_factor_done(request, had_factor=factors.any)
                return page or redirect(_next_url(request) or "accounts:security")
        else:
            form.add_error(None, PASSKEY_NOT_ADDED)
    options, challenge = webauthn.registration_options(
        request, user=request.user, existing=factors.passkeys
    )
    request.session[flow.REGISTER_CHALLENGE] = challenge
    return render(
        request,
        "accounts/passkey_add.html",
        {"form": form, "options": options, "next": _next_url(request)},
    )


@login_required
@require_POST
def passkey_delete(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        passkey_remove(user=request.user, passkey_id=pk)
    except SecondFactorError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, PASSKEY_REMOVED)
    return redirect("accounts:security")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """How many codes are left; a POST replaces them all with ten new ones, shown once."""
    factors = factors_of(request.user)
    if not factors.any:
        messages.info(request, NEED_FACTOR_FIRST)
        return redirect("accounts:security")
    if request.method == "POST":
        return _codes_page(request, recovery_codes_new(user=request.user), first=False)
    return render(request, "accounts/recovery_codes.html", {"left": factors.recovery_left})
