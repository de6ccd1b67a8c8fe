"""Time-based one-time passwords (RFC 6238) for authenticator apps: pure functions over pyotp."""

import hmac
import time

import pyotp
import segno

DIGITS = 6
INTERVAL = 30
# The code of the previous and of the next 30 seconds are accepted too (clock drift).
DRIFT_STEPS = 1


def secret_new() -> str:
    """A fresh 160-bit secret in base32, as authenticator apps expect it."""
    return pyotp.random_base32(32)


def provisioning_uri(secret: str, *, account: str, issuer: str) -> str:
    """The otpauth:// URI an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=INTERVAL).provisioning_uri(
        name=account, issuer_name=issuer
    )


def qr_svg(uri: str) -> str:
    """The URI as an inline SVG QR code (dark on white, readable from a phone's screen)."""
    return segno.make(uri, error="m").svg_inline(scale=5, border=3, dark="#111", light="#fff")


def secret_grouped(secret: str) -> str:
    """The secret in groups of four letters, for typing into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def code_at(secret: str, step: int) -> str:
    return pyotp.TOTP(secret, digits=DIGITS, interval=INTERVAL).generate_otp(step)


def step_now(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // INTERVAL)


def code_match(secret: str, code: str, *, after_step: int = 0, now: float | None = None):
    """The time step `code` belongs to, or None; steps up to `after_step` were used already."""
    code = "".join(code.split())
    if len(code) != DIGITS or not code.isascii() or not code.isdigit():
        return None
    current = step_now(now)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if step > after_step and hmac.compare_digest(code_at(secret, step), code):
            return step
    return None
