"""Second factors: what an account has, setting them up and removing them, and checking one
at sign-in. Editors and administrators must keep at least one (an authenticator app or a
passkey); recovery codes only stand in for a lost one."""

from dataclasses import dataclass
from enum import StrEnum

from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yaowen.accounts.models import Passkey, RecoveryCode, TotpDevice, User
from yaowen.accounts.security import passkeys as webauthn
from yaowen.accounts.security import recovery, totp
from yaowen.accounts.security.sealing import seal, unseal
from yaowen.core.errors import ApplicationError
from yaowen.governance.roles import Role, role_of

CODE_WRONG = _("验证码不正确或已使用过，请重新输入。")
SETUP_CODE_WRONG = _("验证码不正确，请确认手机时间准确后，输入应用中显示的最新 6 位数字。")
LAST_FACTOR = _("编辑和管理员必须保留至少一种两步验证方式：请先添加另一种，再移除这一种。")
PASSKEY_FAILED = _("通行密钥验证未通过，请重试，或改用验证码。")
PASSKEY_NAME_DEFAULT = _("通行密钥")

STAFF_ROLES = (Role.EDITOR, Role.ADMIN)
TOTP_PURPOSE = "totp"
# How long the middleware trusts its answer to "what does this account still need?"; a
# change of factors forgets it at once, a change of role shows within this time.
REQUIREMENT_TTL = 60


class SecondFactorError(ApplicationError):
    """A code, a passkey or a change of factors was refused; `message` says why."""


class Need(StrEnum):
    """What a session signed in with a password alone still needs."""

    NONE = "none"  # nothing: a reader or creator without a second factor
    FACTOR = "factor"  # the account has a second factor: this session never passed it
    SETUP = "setup"  # an editor or administrator without one: set one up first


def staff_role(user) -> bool:
    """Whether `user` is an editor or administrator, who must sign in with a second factor."""
    return role_of(user) in STAFF_ROLES


def has_factor(user) -> bool:
    return (
        TotpDevice.objects.filter(user=user).exists() or Passkey.objects.filter(user=user).exists()
    )


def _requirement_key(user_id) -> str:
    return f"signin:need:{user_id}"


def requirement(user) -> Need:
    """What a password-only session of `user` still needs; cached for REQUIREMENT_TTL."""
    key = _requirement_key(user.pk)
    cached = cache.get(key)
    if cached is not None:
        return Need(cached)
    if has_factor(user):
        need = Need.FACTOR
    elif staff_role(user):
        need = Need.SETUP
    else:
        need = Need.NONE
    cache.set(key, need.value, REQUIREMENT_TTL)
    return need


def requirement_forget(user_id) -> None:
    cache.delete(_requirement_key(user_id))


def _changed(user) -> None:
    transaction.on_commit(lambda: requirement_forget(user.pk))


@dataclass(frozen=True)
class Factors:
    totp: TotpDevice | None
    passkeys: list[Passkey]
    recovery_left: int

    @property
    def any(self) -> bool:
        return self.totp is not None or bool(self.passkeys)


def factors_of(user) -> Factors:
    return Factors(
        totp=TotpDevice.objects.filter(user=user).first(),
        passkeys=list(Passkey.objects.filter(user=user)),
        recovery_left=recovery_codes_left(user),
    )


# Setting up and removing.


def totp_secret_seal(secret: str) -> str:
    return seal(secret, purpose=TOTP_PURPOSE)


def totp_secret_unseal(sealed: str) -> str:
    return unseal(sealed, purpose=TOTP_PURPOSE)


@transaction.atomic
def totp_enable(*, user: User, secret: str, code: str) -> TotpDevice:
    """Keep the authenticator app whose secret is `secret`, once `code` proves it is set up."""
    step = totp.code_match(secret, code)
    if step is None:
        raise SecondFactorError(str(SETUP_CODE_WRONG))
    device, _created = TotpDevice.objects.update_or_create(
        user=user,
        defaults={
            "sealed_secret": totp_secret_seal(secret),
            "last_step": step,
            "created_at": timezone.now(),
            "last_used_at": None,
        },
    )
    _changed(user)
    return device


def _require_another(user: User, *, remaining: int) -> None:
    if remaining == 0 and staff_role(user):
        raise SecondFactorError(str(LAST_FACTOR))


@transaction.atomic
def totp_disable(*, user: User) -> None:
    """Forget the account's authenticator app; staff must keep another factor."""
    _require_another(user, remaining=Passkey.objects.filter(user=user).count())
    TotpDevice.objects.filter(user=user).delete()
    _after_removal(user)


@transaction.atomic
def passkey_add(*, user: User, credential: webauthn.NewCredential, name: str = "") -> Passkey:
    passkey = Passkey.objects.create(
        user=user,
        name=name.strip()[:60] or str(PASSKEY_NAME_DEFAULT),
        credential_id=credential.credential_id,
        public_key=credential.public_key,
        sign_count=credential.sign_count,
        transports=credential.transports,
        backed_up=credential.backed_up,
    )
    _changed(user)
    return passkey


@transaction.atomic
def passkey_remove(*, user: User, passkey_id: int) -> None:
    """Forget one of the account's passkeys; staff must keep another factor."""
    others = Passkey.objects.filter(user=user).exclude(pk=passkey_id).count()
    remaining = others + TotpDevice.objects.filter(user=user).count()
    _require_another(user, remaining=remaining)
    Passkey.objects.filter(user=user, pk=passkey_id).delete()
    _after_removal(user)


def _after_removal(user: User) -> None:
    # Recovery codes stand in for a factor; with none left they would be one themselves.
    if not has_factor(user):
        RecoveryCode.objects.filter(user=user).delete()
    _changed(user)


@transaction.atomic
def recovery_codes_new(*, user: User) -> list[str]:
    """Ten fresh codes for `user`, replacing any earlier ones; the only time they are seen."""
    codes = recovery.codes_new()
    RecoveryCode.objects.filter(user=user).delete()
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, digest=recovery.digest(code)) for code in codes
    )
    return codes


def recovery_codes_left(user) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


# Checking at sign-in.


class Used(StrEnum):
    TOTP = "totp"
    RECOVERY = "recovery"
    PASSKEY = "passkey"


def code_verify(*, user: User, code: str) -> Used | None:
    """Accept a code from the authenticator app or an unused recovery code, once each."""
    compact = "".join(code.split())
    device = TotpDevice.objects.filter(user=user).first()
    if device is not None and len(compact) == totp.DIGITS and compact.isdigit():
        step = totp.code_match(
            totp_secret_unseal(device.sealed_secret), code, after_step=device.last_step
        )
        # The conditional update makes a code good for one sign-in, even when two race.
        if step is not None and TotpDevice.objects.filter(pk=device.pk, last_step__lt=step).update(
            last_step=step, last_used_at=timezone.now()
        ):
            return Used.TOTP
        return None
    if recovery.looks_like_code(code):
        spent = RecoveryCode.objects.filter(
            user=user, digest__in=recovery.digests(code), used_at__isnull=True
        ).update(used_at=timezone.now())
        if spent:
            return Used.RECOVERY
    return None


def passkey_verify(
    request: HttpRequest, *, user: User, credential: str, challenge: str
) -> Passkey | None:
    """The account's passkey that signed `challenge` in `credential`, its counter moved on."""
    credential_id = webauthn.credential_id_of(credential)
    passkey = Passkey.objects.filter(user=user, credential_id=credential_id or "").first()
    if passkey is None:
        return None
    try:
        sign_count = webauthn.authentication_verify(
            request, credential=credential, challenge=challenge, passkey=passkey
        )
    except (webauthn.WebAuthnException, ValueError, KeyError, TypeError):
        return None
    # A cloned authenticator shows itself by a counter that does not move forward; the
    # library refuses that, and the conditional update refuses a race between two uses.
    if not Passkey.objects.filter(pk=passkey.pk, sign_count=passkey.sign_count).update(
        sign_count=sign_count, last_used_at=timezone.now()
    ):
        return None
    return passkey
