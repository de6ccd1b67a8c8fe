"""Reading the lists: filtered for the administrators' pages and exports."""

from collections.abc import Iterator

from django.db.models import Q, QuerySet

from yaowen.textkit.wordfilter import word_key
from yaowen.wordfilter.models import SensitiveWord


def word_list(*, q: str = "", category: str = "", action: str = "") -> QuerySet[SensitiveWord]:
    """Words newest first, optionally of one category and action, and containing `q`
    as typed or in its matching form (so 發財 finds 发财)."""
    words = SensitiveWord.objects.select_related("created_by")
    if category:
        words = words.filter(category=category)
    if action:
        words = words.filter(action=action)
    q = q.strip()
    if q:
        condition = Q(word__icontains=q) | Q(note__icontains=q)
        key = word_key(q)
        if key:
            condition |= Q(key__contains=key)
        words = words.filter(condition)
    return words


def _cell(value: str) -> str:
    # A spreadsheet would run a cell starting with = + - @ as a formula.
    return f"'{value}" if value[:1] in ("=", "+", "-", "@") else value


def word_export_rows(words: QuerySet[SensitiveWord]) -> Iterator[list[str]]:
    """CSV rows, a header first: word, category and action (codes and labels), note,
    who added it and when."""
    yield ["word", "category", "category_label", "action", "action_label", "note", "by", "at"]
    for word in words.order_by("pk").iterator(chunk_size=2000):
        yield [
            _cell(word.word),
            word.category,
            str(word.get_category_display()),
            word.action,
            str(word.get_action_display()),
            _cell(word.note),
            word.created_by.username if word.created_by else "",
            word.created_at.isoformat(timespec="seconds"),
        ]
