"""The sign-in between the password and the second factor.

After a right password, an account with a second factor is not logged in: the session only
holds a pending sign-in (who, by which backend, since when, where to go next) for
PENDING_SECONDS. Passing the factor logs the person in with `SecondFactorBackend`, which the
session keeps as the proof that the second step was done. Failed codes are counted per
account and per address and lock further tries for a while (`core.ratelimit`).
"""

import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, get_user_model, login
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare

from yaowen.accounts.security.backends import SECOND_FACTOR_BACKEND
from yaowen.core import ratelimit

PENDING = "_yw_signin_pending"
PENDING_SECONDS = 300
# Challenges of the passkey ceremonies in progress, one per kind.
REGISTER_CHALLENGE = "_yw_passkey_register"
SIGNIN_CHALLENGE = "_yw_passkey_signin"


@dataclass(frozen=True)
class Pending:
    user: object
    next_url: str


def client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "")


def pending_begin(request: HttpRequest, *, user, next_url: str) -> None:
    """Remember who gave the right password; nobody is logged in yet."""
    # A new key now, as login() would: a session fixed before the password is no use after.
    request.session.cycle_key()
    request.session[PENDING] = {
        "user": user.pk,
        "hash": user.get_session_auth_hash(),
        "at": time.time(),
        "next": next_url,
    }


def pending_of(request: HttpRequest) -> Pending | None:
    """The pending sign-in of this session, unless it expired or the password changed since."""
    data = request.session.get(PENDING)
    if not isinstance(data, dict) or time.time() - data.get("at", 0) > PENDING_SECONDS:
        return None
    user = get_user_model().objects.filter(pk=data.get("user"), is_active=True).first()
    if user is None or not constant_time_compare(
        data.get("hash", ""), user.get_session_auth_hash()
    ):
        return None
    return Pending(user=user, next_url=data.get("next") or settings.LOGIN_REDIRECT_URL)


def pending_end(request: HttpRequest) -> None:
    request.session.pop(PENDING, None)
    request.session.pop(SIGNIN_CHALLENGE, None)


def signed_in_with_second_factor(request: HttpRequest, user) -> None:
    """Log `user` in (again) as having passed a second factor; the session key changes."""
    pending_end(request)
    login(request, user, backend=SECOND_FACTOR_BACKEND)


def second_factor_passed(request: HttpRequest) -> bool:
    return request.session.get(BACKEND_SESSION_KEY) == SECOND_FACTOR_BACKEND


# Throttling failed second-factor attempts.


def _keys(user_id, request: HttpRequest) -> list[str]:
    return [f"2fa:user:{user_id}", f"2fa:ip:{client_address(request)}"]


def attempts_locked(user_id, request: HttpRequest) -> bool:
    limit = settings.TWO_FACTOR_FAILURE_LIMIT
    return any(ratelimit.hits(key) >= limit for key in _keys(user_id, request))


def attempt_failed(user_id, request: HttpRequest) -> None:
    for key in _keys(user_id, request):
        ratelimit.hit(key, window=settings.TWO_FACTOR_LOCK_SECONDS)


def attempts_reset(user_id, request: HttpRequest) -> None:
    ratelimit.reset(_keys(user_id, request)[0])


def lock_minutes() -> int:
    return max(1, settings.TWO_FACTOR_LOCK_SECONDS // 60)
