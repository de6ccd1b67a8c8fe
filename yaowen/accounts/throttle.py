"""Login throttling that slows guessing without letting anyone lock a victim out.

Every password check with a request goes through `ThrottledModelBackend` (listed in
AUTHENTICATION_BACKENDS before ModelBackend): the sign-in page, the second-factor sign-in's
first step, the admin's login, any `authenticate(request, username=..., password=...)`.
It asks `login_allowed` first and reports the outcome to `login_failed` or
`login_succeeded`. The rules, all counted in the shared cache (`core.ratelimit`, never
dropped for room) and forgotten LOGIN_WINDOW_SECONDS after the last failure:

- One account from one address (a pair): from its LOGIN_FAILURE_LIMIT-th failure on, each
  failure makes that pair wait 1, 2, 4 … seconds (at most LOGIN_MAX_WAIT_SECONDS) before
  its next password is checked.
  Only that pair waits: the same account from elsewhere, and other accounts from the same
  address (people behind one NAT), are not slowed.
- One account from many addresses: from its LOGIN_ACCOUNT_FAILURE_LIMIT-th failure from
  addresses it has not signed in from, each such pair waits after its own failure, as
  long as the account's count says. An address's first try is always checked, so the
  owner signing in from a new place gets in; the account's recent good addresses
  (LOGIN_KNOWN_ADDRESSES, kept 30 days) are only subject to the pair rule.
- One address trying many accounts: from its LOGIN_ADDRESS_FAILURE_LIMIT-th failure on
  accounts that never signed in from it, the address waits (1, 2, 4 … s) before trying any
  such account;
  accounts that did sign in from it are not held up.

Names are keyed as Django's authentication compares them (surrounding space removed, NFKC,
case kept: usernames are case-sensitive), so full-width variants count as the name.
Addresses are REMOTE_ADDR, IPv6 by its /64. While the shared cache is down each process
counts alone, and a pair's waits start at its LOGIN_FAILURE_LIMIT_DEGRADED-th failure.
"""

import hashlib
import ipaddress
import math
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from yaowen.core import ratelimit
from yaowen.core.cache import cache_down

WAIT_MESSAGE = _("登录尝试过于频繁，请 %(seconds)d 秒后再试。")
# How long an address an account signed in from counts as the account's own.
KNOWN_SECONDS = 30 * 24 * 3600
# The request attribute the backend leaves a refusal's wait in, for the form's message.
_WAIT_ATTRIBUTE = "login_wait"


@dataclass(frozen=True)
class Wait:
    """How long this account and address must wait before the next password is checked."""

    seconds: int
    # True when the password was checked (and wrong) and this wait starts now.
    checked: bool = False

    @property
    def message(self) -> str:
        return WAIT_MESSAGE % {"seconds": self.seconds}


def account_name(username: str) -> str:
    """The name as authentication compares it: the login form strips it and normalises it
    to NFKC (full-width ｖｉｃｔｉｍ is victim); the User model keeps case."""
    return get_user_model().normalize_username(username.strip())


def client_address(request: HttpRequest) -> str:
    """The client's address as the throttle counts it: IPv4 whole, IPv6 by its /64 (one
    subscriber's block)."""
    raw = request.META.get("REMOTE_ADDR", "")
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return raw
    if address.version == 6:
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


@dataclass(frozen=True)
class _Keys:
    account: str
    address: str

    @classmethod
    def of(cls, request: HttpRequest, username: str) -> "_Keys":
        return cls(_digest(account_name(username)), _digest(client_address(request)))

    @property
    def pair(self) -> str:
        return f"login:pair:{self.account}:{self.address}"

    @property
    def account_failures(self) -> str:
        return f"login:account:{self.account}"

    @property
    def address_failures(self) -> str:
        return f"login:address:{self.address}"

    @property
    def known(self) -> str:
        return f"login:known:{self.account}"

    def is_known(self) -> bool:
        """Whether the account signed in from this address recently."""
        return self.address in (ratelimit.recall(self.known) or ())


def _growing(failures: int, free: int) -> int:
    """Seconds to wait after the `failures`-th failure when `free` are allowed: 0 below,
    then 1, 2, 4 … up to LOGIN_MAX_WAIT_SECONDS."""
    if failures < free:
        return 0
    return min(2 ** min(failures - free, 30), settings.LOGIN_MAX_WAIT_SECONDS)


def login_allowed(request: HttpRequest, username: str) -> Wait | None:
    """None if a password for `username` from this client may be checked now, else the
    wait. Reads only; an attempt refused here is not counted."""
    keys = _Keys.of(request, username)
    left = ratelimit.wait_left(keys.pair)
    if not keys.is_known():
        left = max(left, ratelimit.wait_left(keys.address_failures))
    return Wait(math.ceil(left)) if left > 0 else None


def login_failed(request: HttpRequest, username: str) -> Wait | None:
    """Count a wrong password; returns the wait it starts for this client, if any."""
    keys = _Keys.of(request, username)
    window = settings.LOGIN_WINDOW_SECONDS
    known = keys.is_known()
    failures = ratelimit.hit(keys.pair, window=window, extend=True)
    free = settings.LOGIN_FAILURE_LIMIT
    if cache_down():
        free = min(free, settings.LOGIN_FAILURE_LIMIT_DEGRADED)
    wait = _growing(failures, free)
    if not known:
        # Failures from places the account has never signed in from: a guess spread over
        # many addresses slows each of them down, the owner's own places not at all.
        on_account = ratelimit.hit(keys.account_failures, window=window, extend=True)
        wait = max(wait, _growing(on_account, settings.LOGIN_ACCOUNT_FAILURE_LIMIT))
        # One address spraying accounts it has never signed in to holds itself off them.
        on_address = ratelimit.hit(keys.address_failures, window=window, extend=True)
        address_wait = _growing(on_address, settings.LOGIN_ADDRESS_FAILURE_LIMIT)
        if address_wait:
            ratelimit.wait_start(keys.address_failures, address_wait)
            wait = max(wait, address_wait)
    if wait:
        ratelimit.wait_start(keys.pair, wait)
        return Wait(wait, checked=True)
    return None


def login_succeeded(request: HttpRequest, username: str) -> None:
    """A right password: the pair starts again and the address becomes one of the account's
    own. The account's and the address's counts stay, so signing in to one's own account
    between guesses at others resets nothing that slows the guessing."""
    keys = _Keys.of(request, username)
    ratelimit.reset(keys.pair)
    ratelimit.wait_end(keys.pair)
    known = [address for address in ratelimit.recall(keys.known) or () if address != keys.address]
    known = [*known, keys.address][-settings.LOGIN_KNOWN_ADDRESSES :]
    ratelimit.remember(keys.known, known, ttl=KNOWN_SECONDS)


def refused_wait(request: HttpRequest | None) -> Wait | None:
    """The wait this request's password check met or started, if any."""
    return getattr(request, _WAIT_ATTRIBUTE, None) if request is not None else None


def login_error(request: HttpRequest | None, invalid: ValidationError) -> ValidationError:
    """The login form's error: `invalid` (wrong name or password) for a plain failure; the
    wait alone when the password was not checked; both when a wrong password started a
    wait. It names the wait and never claims the account is locked."""
    wait = refused_wait(request)
    if wait is None:
        return invalid
    waiting = ValidationError(WAIT_MESSAGE, code="throttled", params={"seconds": wait.seconds})
    return ValidationError([invalid, waiting]) if wait.checked else waiting


class ThrottledModelBackend(ModelBackend):
    """ModelBackend behind the login throttle. A password for a pair that must wait is
    not checked; a wrong one is counted. Either way the backends after this one are not
    asked (PermissionDenied), so ModelBackend, still listed for sessions that name it, never
    checks a password this one refused."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if request is None or username is None or password is None:
            return super().authenticate(request, username, password, **kwargs)
        wait = login_allowed(request, username)
        if wait is not None:
            setattr(request, _WAIT_ATTRIBUTE, wait)
            raise PermissionDenied
        user = super().authenticate(request, username, password, **kwargs)
        if user is None:
            setattr(request, _WAIT_ATTRIBUTE, login_failed(request, username))
            raise PermissionDenied
        login_succeeded(request, username)
        return user
