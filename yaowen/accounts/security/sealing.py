"""Secrets kept in the database sealed with a key derived from SECRET_KEY.

A database read alone (a leaked backup, a read-only SQL hole) then gives neither a working
TOTP code nor a session key; the process's SECRET_KEY is needed too. Tokens sealed under a
key in SECRET_KEY_FALLBACKS still open, so the key can be rotated.
"""

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.utils.crypto import salted_hmac

__all__ = ["InvalidToken", "seal", "unseal"]


def _fernet(purpose: str) -> MultiFernet:
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    salt = f"yaowen.sealing.{purpose}"
    return MultiFernet(
        [
            Fernet(
                base64.urlsafe_b64encode(
                    salted_hmac(salt, "fernet", secret=secret, algorithm="sha256").digest()
                )
            )
            for secret in secrets
        ]
    )


def seal(text: str, *, purpose: str) -> str:
    """`text` encrypted and authenticated for `purpose` (one key per purpose)."""
    return _fernet(purpose).encrypt(text.encode()).decode("ascii")


def unseal(token: str, *, purpose: str) -> str:
    """The text sealed by `seal`; raises InvalidToken if it was not sealed for `purpose`."""
    return _fernet(purpose).decrypt(token.encode("ascii")).decode()
