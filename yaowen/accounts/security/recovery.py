"""Recovery codes: ten one-time codes, shown once, stored as keyed digests (pure functions)."""

import secrets

from django.conf import settings
from django.utils.crypto import salted_hmac

COUNT = 10
# No 0/o, 1/l/i: read from paper without doubt. 31 letters, 12 of them: about 59 bits each.
ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
LENGTH = 12
_SALT = "yaowen.accounts.recovery"


def codes_new(count: int = COUNT) -> list[str]:
    """Fresh codes written as xxxx-xxxx-xxxx."""
    codes = []
    for _ in range(count):
        raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        codes.append("-".join(raw[i : i + 4] for i in range(0, LENGTH, 4)))
    return codes


def normalise(code: str) -> str:
    """What a person typed, without spaces, dashes or capitals."""
    return "".join(ch for ch in code.lower() if ch.isalnum())


def looks_like_code(text: str) -> bool:
    value = normalise(text)
    return len(value) == LENGTH and all(ch in ALPHABET for ch in value)


def digest(code: str, *, secret: str | None = None) -> str:
    """The stored form: an HMAC keyed with SECRET_KEY, so a database read cannot test guesses."""
    return salted_hmac(_SALT, normalise(code), secret=secret, algorithm="sha256").hexdigest()


def digests(code: str) -> list[str]:
    """The digest under the current key and under each fallback key (key rotation)."""
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [digest(code, secret=key) for key in keys]
