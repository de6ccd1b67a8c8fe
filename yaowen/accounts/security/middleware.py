"""Staff sign-in and session records, after authentication in MIDDLEWARE.

Before a view: Django admin's own login page sends people to the site's (so it cannot skip
the second step); a session signed in with a password alone is checked against what its
account needs: one whose account has a second factor it never passed is signed out, and an
editor or administrator without a factor can open only the pages that set one up.

After a view: the signed-in session is recorded (`security.sessions`), its last-seen time
moved on every few minutes, and its record dropped when it signs out. Requests without a
session cookie cost nothing here, and cached anonymous pages never get this far.
"""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.views import redirect_to_login
from django.db import DatabaseError, transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from yaowen.accounts.security import sessions
from yaowen.accounts.security.flow import client_address, second_factor_passed
from yaowen.accounts.security.services import Need, requirement
from yaowen.core.cache import Outage

SIGN_IN_AGAIN = _("请重新登录并完成两步验证。")
_touch_outage = Outage("session records (last-seen times not moved on)")
# What an editor or administrator without a second factor may still open.
SETUP_VIEWS = frozenset(
    {
        "accounts:security",
        "accounts:totp_setup",
        "accounts:passkey_add",
        "accounts:recovery_codes",
        "accounts:logout",
        "web:care",
        "language",
    }
)


class SignInGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        has_cookie = settings.SESSION_COOKIE_NAME in request.COOKIES
        before = request.session.get(sessions.RECORD) if has_cookie else None
        response = self.get_response(request)
        if has_cookie or SESSION_KEY in request.session:
            self._record(request, before)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        view_name = match.view_name if match else ""
        if view_name == "admin:login":
            # The admin's login form knows no second step: use the site's.
            next_url = request.GET.get("next") or reverse("admin:index")
            return redirect_to_login(next_url)
        if SESSION_KEY not in request.session or second_factor_passed(request):
            return None
        if not request.user.is_authenticated:
            return None
        need = requirement(request.user)
        if need == Need.FACTOR:
            logout(request)
            messages.info(request, SIGN_IN_AGAIN)
            return redirect_to_login(request.get_full_path())
        if need == Need.SETUP and view_name not in SETUP_VIEWS:
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('accounts:security')}?{query}")
        return None

    def _record(self, request, before: dict | None) -> None:
        session = request.session
        user_id = session.get(SESSION_KEY)
        if user_id is None:
            if before:  # signed out during this request
                sessions.session_forget(digest=before["d"])
            return
        if session.session_key is None:  # signed in during this request: no key until saved
            session.save()
        digest = sessions.key_digest(session.session_key)
        record = session.get(sessions.RECORD)
        user_agent = request.headers.get("User-Agent", "")
        ip = client_address(request)
        now = time.time()
        if record is None or record.get("d") != digest:
            previous = (record or before or {}).get("d")
            sessions.session_record(
                user_id=int(user_id),
                key=session.session_key,
                replaces=previous,
                user_agent=user_agent,
                ip=ip,
            )
        elif now - record.get("t", 0) >= sessions.TOUCH_SECONDS:
            try:
                with transaction.atomic():
                    touched = sessions.session_touch(digest=digest, user_agent=user_agent, ip=ip)
            except DatabaseError as exc:
                # Read-only or full: the last-seen time waits; the reader's page does not.
                _touch_outage.failed("move a session's last-seen time on", exc)
                return
            _touch_outage.succeeded()
            if not touched:
                session.flush()  # revoked while this request ran, or its record removed
                return
        else:
            return
        session[sessions.RECORD] = {"d": digest, "t": now}
