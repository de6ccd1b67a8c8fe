"""Account URLs: register, sign in (password, then a second factor) and out, passwords,
security settings (second factors, signed-in sessions), and 申请入驻."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy as _

from yaowen.accounts import views
from yaowen.accounts.security.views import factors, signin
from yaowen.accounts.security.views import sessions as session_views

app_name = "accounts"


def _form_page(title: str) -> dict:
    return {"template_name": "accounts/form_page.html", "extra_context": {"title": title}}


urlpatterns = [
    path("register/", views.register, name="register"),
    path("login/", signin.SignInView.as_view(), name="login"),
    path("login/verify/", signin.signin_verify, name="login_verify"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/change/",
        session_views.PasswordChangeView.as_view(
            success_url=reverse_lazy("accounts:password_change_done"), **_form_page(_("修改密码"))
        ),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(**_form_page(_("密码已修改"))),
        name="password_change_done",
    ),
    path("password/reset/", views.password_reset, name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(**_form_page(_("邮件已发送"))),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            success_url=reverse_lazy("accounts:password_reset_complete"),
            **_form_page(_("设置新密码")),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(**_form_page(_("密码已重置"))),
        name="password_reset_complete",
    ),
    path("apply/", views.apply, name="apply"),
    path("security/", factors.security, name="security"),
    path("security/totp/", factors.totp_setup, name="totp_setup"),
    path("security/totp/remove/", factors.totp_remove, name="totp_remove"),
    path("security/passkeys/add/", factors.passkey_register, name="passkey_add"),
    path("security/passkeys/<int:pk>/remove/", factors.passkey_delete, name="passkey_remove"),
    path("security/recovery-codes/", factors.recovery_codes, name="recovery_codes"),
    path("security/sessions/", session_views.sessions_page, name="sessions"),
    path(
        "security/sessions/<int:pk>/sign-out/",
        session_views.session_sign_out,
        name="session_sign_out",
    ),
    path(
        "security/sessions/sign-out-others/",
        session_views.sessions_sign_out_others,
        name="sessions_sign_out_others",
    ),
]
