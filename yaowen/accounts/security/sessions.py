"""Signed-in sessions of each account: recorded by the middleware, listed on the account's
security pages, revoked one by one or all but the current one.

A session is found by the SHA-256 digest of its key. Revoking deletes the session from the
session store (its key is kept sealed for that), so the next request with its cookie is
anonymous. The record's `last_seen` is written every TOUCH_SECONDS at most, never on
anonymous requests (those never reach here: no session, or served from the page cache).
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime
from importlib import import_module

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from yaowen.accounts.models import UserSession
from yaowen.accounts.security.devices import device_label
from yaowen.accounts.security.sealing import InvalidToken, seal, unseal

# In the session itself: {"d": its key's digest as recorded, "t": when last written (epoch)}.
RECORD = "_yw_session"
TOUCH_SECONDS = 300
USER_AGENT_MAX = 300
_PURPOSE = "session"


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _store_class():
    return import_module(settings.SESSION_ENGINE).SessionStore


def _store_delete(sealed_key: str) -> None:
    try:
        key = unseal(sealed_key, purpose=_PURPOSE)
    except InvalidToken:
        return
    _store_class()().delete(key)


def session_record(
    *, user_id: int, key: str, replaces: str | None, user_agent: str, ip: str | None
) -> str:
    """Record the session `key` of `user_id`; `replaces` is the digest it was recorded under
    before its key changed (Django cycles the key at sign-in and at a password change)."""
    digest = key_digest(key)
    now = timezone.now()
    values = {
        "user_id": user_id,
        "sealed_key": seal(key, purpose=_PURPOSE),
        "user_agent": user_agent[:USER_AGENT_MAX],
        "ip": ip or None,
        "last_seen": now,
    }
    try:
        with transaction.atomic():
            previous = (
                UserSession.objects.select_for_update().filter(key_digest=replaces).first()
                if replaces and replaces != digest
                else None
            )
            if previous is not None and previous.user_id == user_id:
                UserSession.objects.filter(pk=previous.pk).update(key_digest=digest, **values)
            else:
                if previous is not None:
                    previous.delete()
                UserSession.objects.update_or_create(key_digest=digest, defaults=values)
    except IntegrityError:
        pass  # two first requests of one session at once: the other one recorded it
    return digest


def session_touch(*, digest: str, user_agent: str, ip: str | None) -> bool:
    """Move the record's last-seen time on; False when the record is gone (revoked)."""
    return bool(
        UserSession.objects.filter(key_digest=digest).update(
            last_seen=timezone.now(), user_agent=user_agent[:USER_AGENT_MAX], ip=ip or None
        )
    )


def session_forget(*, digest: str) -> None:
    """The session ended (signed out): drop its record."""
    UserSession.objects.filter(key_digest=digest).delete()


@dataclass(frozen=True)
class SessionEntry:
    id: int
    device: str
    user_agent: str
    ip: str | None
    created_at: datetime
    last_seen: datetime
    current: bool


def _alive(record: UserSession, user) -> bool:
    """Whether the session still exists and still signs `user` in (a password change or
    reset, an expiry or a sign-out elsewhere leave records of dead sessions behind)."""
    try:
        key = unseal(record.sealed_key, purpose=_PURPOSE)
    except InvalidToken:
        return False
    data = _store_class()(session_key=key).load()
    if data.get(SESSION_KEY) != str(user.pk):
        return False
    stored = data.get(HASH_SESSION_KEY) or ""
    hashes = [user.get_session_auth_hash(), *user.get_session_auth_fallback_hash()]
    return any(constant_time_compare(stored, expected) for expected in hashes)


def session_list(*, user, current_digest: str | None) -> list[SessionEntry]:
    """The account's live sessions, most recently active first; records of dead ones are
    deleted on the way (a list of a few sessions, read from the store one by one)."""
    entries = []
    for record in UserSession.objects.filter(user=user).order_by("-last_seen"):
        current = record.key_digest == current_digest
        if not current and not _alive(record, user):
            record.delete()
            continue
        entries.append(
            SessionEntry(
                id=record.pk,
                device=device_label(record.user_agent),
                user_agent=record.user_agent,
                ip=record.ip,
                created_at=record.created_at,
                last_seen=record.last_seen,
                current=current,
            )
        )
    entries.sort(key=lambda entry: not entry.current)
    return entries


@transaction.atomic
def session_revoke(*, user, session_id: int) -> bool:
    """Sign one of `user`'s sessions out: deleted from the store, its record dropped."""
    record = UserSession.objects.filter(user=user, pk=session_id).first()
    if record is None:
        return False
    _store_delete(record.sealed_key)
    record.delete()
    return True


@transaction.atomic
def sessions_revoke_others(*, user, keep_digest: str | None) -> int:
    """Sign every session of `user` out except the one recorded as `keep_digest`."""
    records = list(UserSession.objects.filter(user=user).exclude(key_digest=keep_digest or ""))
    for record in records:
        _store_delete(record.sealed_key)
    UserSession.objects.filter(pk__in=[record.pk for record in records]).delete()
    return len(records)
