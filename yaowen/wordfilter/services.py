"""Sensitive words: screening text (see `screening`) and the administrators' list edits.

Every edit requires the WORDS_EDIT permission, is recorded in the audit log with the word's
state before and after, and makes every process recompile its matcher once committed.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from yaowen.core.errors import ApplicationError
from yaowen.core.progress import Progress, no_progress
from yaowen.governance.audit import audit_record
from yaowen.governance.roles import Action, require
from yaowen.textkit.wordfilter import word_key
from yaowen.wordfilter.models import WORD_MAX_LENGTH, SensitiveWord
from yaowen.wordfilter.screening import (
    WORD_BLOCKED,
    Hit,
    Screening,
    highlight_html,
    screen_text,
    word_blocked_message,
    words_changed,
    words_matcher,
)

__all__ = [
    "WORD_BLOCKED",
    "Hit",
    "Screening",
    "WordImport",
    "highlight_html",
    "screen_text",
    "word_blocked_message",
    "word_create",
    "word_delete",
    "word_update",
    "words_changed",
    "words_import",
    "words_matcher",
]

WORD_EMPTY = _("词语至少要包含一个汉字、字母或数字。")
WORD_TOO_LONG = _("词语不能超过 50 个字。")
WORD_EXISTS = _("“{word}”已在词库中（与“{existing}”视为同一个词）。")
WORD_BAD_CATEGORY = _("请选择有效的类别。")
WORD_BAD_ACTION = _("请选择有效的处理方式。")
WORD_RACE = _("词库刚刚被其他人修改，请重试。")

# Words an import names in its audit entry; the count is always complete.
_AUDIT_LISTED = 500
_BATCH = 1000


def _clean(word: str, *, category: str, action: str) -> tuple[str, str]:
    """The word as it will be stored and its key, or an ApplicationError saying why not."""
    word = " ".join((word or "").split())
    if category not in SensitiveWord.Category.values:
        raise ApplicationError(str(WORD_BAD_CATEGORY))
    if action not in SensitiveWord.Action.values:
        raise ApplicationError(str(WORD_BAD_ACTION))
    if len(word) > WORD_MAX_LENGTH:
        raise ApplicationError(str(WORD_TOO_LONG))
    key = word_key(word)
    if not key:
        raise ApplicationError(str(WORD_EMPTY))
    return word, key


def _refuse_duplicate(word: str, key: str, *, exclude: int | None = None) -> None:
    existing = SensitiveWord.objects.filter(key=key).exclude(pk=exclude).first()
    if existing is not None:
        raise ApplicationError(str(WORD_EXISTS).format(word=word, existing=existing.word))


def _save(instance: SensitiveWord) -> None:
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as error:
        raise ApplicationError(str(WORD_RACE)) from error


@transaction.atomic
def word_create(
    *, word: str, category: str, action: str, note: str = "", by: AbstractBaseUser
) -> SensitiveWord:
    """Add one word; refused when a word with the same matching form is listed."""
    require(by, Action.WORDS_EDIT)
    word, key = _clean(word, category=category, action=action)
    _refuse_duplicate(word, key)
    instance = SensitiveWord(
        word=word, key=key, category=category, action=action, note=note.strip(), created_by=by
    )
    _save(instance)
    audit_record(
        actor=by,
        action=Action.WORDS_EDIT,
        subject_type="word",
        subject_id=instance.pk,
        reason=note,
        after=instance.as_state(),
    )
    words_changed()
    return instance


@transaction.atomic
def word_update(
    *,
    sensitive_word: SensitiveWord,
    word: str,
    category: str,
    action: str,
    note: str = "",
    by: AbstractBaseUser,
) -> SensitiveWord:
    """Change a word, its category, action or note."""
    require(by, Action.WORDS_EDIT)
    word, key = _clean(word, category=category, action=action)
    instance = SensitiveWord.objects.select_for_update().get(pk=sensitive_word.pk)
    before = instance.as_state()
    _refuse_duplicate(word, key, exclude=instance.pk)
    instance.word, instance.key = word, key
    instance.category, instance.action, instance.note = category, action, note.strip()
    if instance.as_state() == before:
        return instance
    _save(instance)
    audit_record(
        actor=by,
        action=Action.WORDS_EDIT,
        subject_type="word",
        subject_id=instance.pk,
        reason=note,
        before=before,
        after=instance.as_state(),
    )
    words_changed()
    return instance


@transaction.atomic
def word_delete(*, sensitive_word: SensitiveWord, by: AbstractBaseUser, reason: str = "") -> None:
    """Remove a word from the lists (the audit log keeps what it was)."""
    require(by, Action.WORDS_EDIT)
    instance = SensitiveWord.objects.select_for_update().filter(pk=sensitive_word.pk).first()
    if instance is None:
        return
    pk, before = instance.pk, instance.as_state()
    instance.delete()
    audit_record(
        actor=by,
        action=Action.WORDS_EDIT,
        subject_type="word",
        subject_id=pk,
        reason=reason,
        before=before,
    )
    words_changed()


@dataclass
class WordImport:
    """What an import did: how many words were added, and which lines were skipped."""

    created: int = 0
    duplicates: list[str] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)


def _parse(lines: Iterable[str], *, category: str, action: str) -> tuple[dict, WordImport]:
    """New words by key from one-word lines; blank lines and "#" comments are ignored."""
    result = WordImport()
    fresh: dict[str, str] = {}
    for line in lines:
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        try:
            word, key = _clean(text, category=category, action=action)
        except ApplicationError:
            result.invalid.append(text)
            continue
        if key in fresh:
            result.duplicates.append(word)
        else:
            fresh[key] = word
    return fresh, result


@transaction.atomic
def words_import(
    *,
    lines: Iterable[str],
    category: str,
    action: str,
    by: AbstractBaseUser | None,
    note: str = "",
    progress: Progress = no_progress,
) -> WordImport:
    """Add one word per line, all with `category` and `action`; words already listed (in
    any form) and lines without letters are skipped and reported, never an error.

    `by` is None only for an operator at the server's command line (`manage.py words`).
    """
    if by is not None:
        require(by, Action.WORDS_EDIT)
    if category not in SensitiveWord.Category.values:
        raise ApplicationError(str(WORD_BAD_CATEGORY))
    if action not in SensitiveWord.Action.values:
        raise ApplicationError(str(WORD_BAD_ACTION))
    fresh, result = _parse(lines, category=category, action=action)
    keys = list(fresh)
    for start in range(0, len(keys), _BATCH):
        chunk = keys[start : start + _BATCH]
        for key in SensitiveWord.objects.filter(key__in=chunk).values_list("key", flat=True):
            result.duplicates.append(fresh.pop(key))
    tick = progress("import words", len(fresh))
    rows = [
        SensitiveWord(
            word=word, key=key, category=category, action=action, note=note, created_by=by
        )
        for key, word in fresh.items()
    ]
    try:
        with transaction.atomic():
            for start in range(0, len(rows), _BATCH):
                SensitiveWord.objects.bulk_create(rows[start : start + _BATCH])
                tick(len(rows[start : start + _BATCH]))
    except IntegrityError as error:
        raise ApplicationError(str(WORD_RACE)) from error
    result.created = len(rows)
    if rows:
        audit_record(
            actor=by,
            action=Action.WORDS_EDIT,
            subject_type="word",
            subject_id=0,
            reason=note,
            after={
                "imported": len(rows),
                "category": category,
                "action": action,
                "words": [row.word for row in rows[:_AUDIT_LISTED]],
            },
        )
        words_changed()
    return result
