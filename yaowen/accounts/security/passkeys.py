"""WebAuthn (passkeys) through py_webauthn: the relying party, ceremony options and checks.

The relying party id is WEBAUTHN_RP_ID, or the request's host name; the expected origin is
each of WEBAUTHN_ORIGINS, or the request's own origin. Browsers allow WebAuthn only in a
secure context whose host is a domain: https, or http://localhost in development (an IP
address such as 127.0.0.1 is never a valid relying party id).
"""

import json
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.http.request import split_domain_port
from django.utils.crypto import salted_hmac
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

__all__ = ["WebAuthnException"]

TIMEOUT_MS = 120_000


def rp_id(request: HttpRequest) -> str:
    configured = getattr(settings, "WEBAUTHN_RP_ID", "")
    if configured:
        return configured
    domain, _port = split_domain_port(request.get_host())
    return domain


def expected_origins(request: HttpRequest) -> list[str]:
    configured = list(getattr(settings, "WEBAUTHN_ORIGINS", []))
    return configured or [f"{request.scheme}://{request.get_host()}"]


def user_handle(user) -> bytes:
    """An opaque, stable id for the account (WebAuthn asks for no personal data here)."""
    return salted_hmac("yaowen.passkeys.user", str(user.pk), algorithm="sha256").digest()


def _descriptor(passkey) -> PublicKeyCredentialDescriptor:
    transports = []
    for name in passkey.transports or []:
        try:
            transports.append(AuthenticatorTransport(name))
        except ValueError:
            continue
    return PublicKeyCredentialDescriptor(
        id=base64url_to_bytes(passkey.credential_id), transports=transports or None
    )


def registration_options(request: HttpRequest, *, user, existing) -> tuple[dict, str]:
    """Options for navigator.credentials.create() (as JSON data) and the challenge to keep."""
    options = generate_registration_options(
        rp_id=rp_id(request),
        rp_name=settings.SITE_NAME,
        user_id=user_handle(user),
        user_name=user.username,
        user_display_name=user.public_name,
        timeout=TIMEOUT_MS,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
        exclude_credentials=[_descriptor(passkey) for passkey in existing],
    )
    return json.loads(options_to_json(options)), bytes_to_base64url(options.challenge)


def authentication_options(request: HttpRequest, *, passkeys) -> tuple[dict, str]:
    """Options for navigator.credentials.get() limited to `passkeys`, and the challenge."""
    options = generate_authentication_options(
        rp_id=rp_id(request),
        timeout=TIMEOUT_MS,
        allow_credentials=[_descriptor(passkey) for passkey in passkeys],
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    return json.loads(options_to_json(options)), bytes_to_base64url(options.challenge)


@dataclass(frozen=True)
class NewCredential:
    credential_id: str
    public_key: bytes
    sign_count: int
    transports: list[str]
    backed_up: bool


def registration_verify(request: HttpRequest, *, credential: str, challenge: str) -> NewCredential:
    """Check the browser's answer to the registration; raises WebAuthnException."""
    verified = verify_registration_response(
        credential=credential,
        expected_challenge=base64url_to_bytes(challenge),
        expected_rp_id=rp_id(request),
        expected_origin=expected_origins(request),
    )
    try:
        transports = json.loads(credential).get("response", {}).get("transports") or []
    except (ValueError, AttributeError):
        transports = []
    return NewCredential(
        credential_id=bytes_to_base64url(verified.credential_id),
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        transports=[str(name) for name in transports][:8],
        backed_up=verified.credential_backed_up,
    )


def credential_id_of(credential: str) -> str | None:
    """The credential id the browser says it used (checked against the account afterwards)."""
    try:
        value = json.loads(credential).get("id")
    except (ValueError, AttributeError):
        return None
    return value if isinstance(value, str) and value else None


def authentication_verify(request: HttpRequest, *, credential: str, challenge: str, passkey) -> int:
    """Check the browser's signature with `passkey`; returns the new signature counter."""
    verified = verify_authentication_response(
        credential=credential,
        expected_challenge=base64url_to_bytes(challenge),
        expected_rp_id=rp_id(request),
        expected_origin=expected_origins(request),
        credential_public_key=bytes(passkey.public_key),
        credential_current_sign_count=passkey.sign_count,
    )
    return verified.new_sign_count
