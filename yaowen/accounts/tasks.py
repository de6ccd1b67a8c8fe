"""Account mail sent from the task queue, so that the page that asked for it answers in the
same time whether or not an address belongs to an account.

Autodiscovered by the consumer (`manage.py run_huey` loads every app's `tasks` module).
"""

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from huey.contrib.djhuey import db_task

from yaowen.accounts.models import User

RESET_SUBJECT = "accounts/password_reset_subject.txt"
RESET_BODY = "accounts/password_reset_email.txt"
TAKEN_SUBJECT = "accounts/registration_taken_subject.txt"
TAKEN_BODY = "accounts/registration_taken_email.txt"


@db_task(name="accounts.password_reset_mail")
def password_reset_mail(email: str, *, domain: str, use_https: bool, language: str) -> None:
    """Mail a reset link to each active account with this address; nothing when none has
    it (the page said the same either way)."""
    form = PasswordResetForm({"email": email})
    if not form.is_valid():
        return
    with translation.override(language):
        form.save(
            domain_override=domain,
            use_https=use_https,
            subject_template_name=RESET_SUBJECT,
            email_template_name=RESET_BODY,
        )


@db_task(name="accounts.registration_mail")
def registration_mail(
    email: str, *, username: str, domain: str, use_https: bool, language: str
) -> None:
    """Someone registered `username` giving `email`: when an earlier account already has
    that address, tell its owner (the new account was created without it); otherwise there
    is nothing to say. The registration page answered the same either way."""
    owners = User.objects.filter(email__iexact=email, is_active=True).exclude(username=username)
    for owner in owners:
        context = {
            "owner": owner,
            "username": username,
            "email": email,
            "domain": domain,
            "site_name": settings.SITE_NAME,
            "protocol": "https" if use_https else "http",
        }
        with translation.override(language):
            subject = "".join(render_to_string(TAKEN_SUBJECT, context).splitlines())
            body = render_to_string(TAKEN_BODY, context)
        send_mail(subject, body, None, [owner.email])
