"""Account pages: register, ask for a password reset, and apply to become a creator
(申请入驻) and follow its status."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from yaowen.accounts.forms import ApplicationForm, PasswordResetRequestForm, RegisterForm
from yaowen.accounts.models import CreatorApplication
from yaowen.accounts.services import ApplicationInvalid, application_submit
from yaowen.accounts.tasks import registration_mail
from yaowen.core.errors import ApplicationError
from yaowen.core.http import safe_next

APPLICATION_RECEIVED = _("申请已提交，审核结果会显示在这里。")


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("web:home")
    form = RegisterForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        # Queued whether or not the address was taken, so both answers take the same time;
        # the task tells an earlier owner of the address, and otherwise does nothing.
        email, username = form.cleaned_data["email"], user.get_username()
        host, https, language = request.get_host(), request.is_secure(), get_language()
        transaction.on_commit(
            lambda: registration_mail(
                email, username=username, domain=host, use_https=https, language=language
            )
        )
        return HttpResponseRedirect(safe_next(request, reverse("accounts:apply")))
    return render(request, "accounts/register.html", {"form": form})


class PasswordResetView(auth_views.PasswordResetView):
    """找回密码, with a form that queues the mail (accounts.tasks) and limits requests."""

    form_class = PasswordResetRequestForm
    template_name = "accounts/form_page.html"
    extra_context = {"title": _("找回密码")}
    success_url = reverse_lazy("accounts:password_reset_done")

    def get_form_kwargs(self) -> dict:
        return {**super().get_form_kwargs(), "request": self.request}


password_reset = PasswordResetView.as_view()


@login_required
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    """The application form, or the application's status and reviewer's reasons."""
    if hasattr(request.user, "creator"):
        return redirect("studio:dashboard")
    application = CreatorApplication.objects.filter(user=request.user).first()
    editable = application is None or application.can_resubmit
    form = None
    if editable:
        form = ApplicationForm(
            request.POST or None,
            request.FILES or None,
            require_avatar=application is None,
            initial=_initial(application),
        )
        if request.method == "POST" and form.is_valid():
            try:
                application_submit(user=request.user, data=form.to_input())
            except ApplicationInvalid as invalid:
                for field, problems in invalid.errors.items():
                    for problem in problems:
                        form.add_error(field if field in form.fields else None, problem)
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, APPLICATION_RECEIVED)
                return redirect("accounts:apply")
    return render(
        request,
        "accounts/apply.html",
        {"application": application, "form": form, "max_submissions": 3},
    )


def _initial(application: CreatorApplication | None) -> dict:
    if application is None:
        return {}
    return {
        "account_type": application.account_type,
        "display_name": application.display_name,
        "field": application.field_id,
        "bio": application.bio,
        "contact": application.contact,
        "statement": application.statement,
    }
