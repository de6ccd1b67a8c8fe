"""Screening text against the lists: one compiled matcher per process, kept current.

Compiling 50,000 words takes about a second, so each process keeps the matcher it built
together with the list *version* it was built for. The version is a stamp in the shared
Django cache, replaced after every committed change (`words_changed`); each screening reads
only that stamp, so another worker sees a change on its next request. Inside the
transaction that changed the list, the changing thread compiles from its own uncommitted
rows instead: it sees its change at once, and nothing is kept if the change rolls back.
"""

import secrets
import threading
from collections.abc import Iterable

from django.core.cache import cache
from django.db import connection, transaction
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from yaowen.core.jinja import render_fragment
from yaowen.textkit.wordfilter import Hit, Matcher, Screening

__all__ = [
    "WORD_BLOCKED",
    "Hit",
    "Screening",
    "highlight_html",
    "screen_text",
    "word_blocked_message",
    "words_changed",
    "words_matcher",
]

# Format with `word_blocked_message(words)` (or `str(WORD_BLOCKED).format(words=...)`).
WORD_BLOCKED = _("包含不允许发布的内容：{words}。请修改后再提交。")

_STAMP_KEY = "wordfilter:version"
_lock = threading.Lock()
_held: tuple[str, Matcher] | None = None
_local = threading.local()


def _compile() -> Matcher:
    from yaowen.wordfilter.models import SensitiveWord

    rows = SensitiveWord.objects.order_by().values_list("word", "category", "action")
    return Matcher(rows.iterator(chunk_size=5000))


def _stamp() -> str:
    stamp = cache.get(_STAMP_KEY)
    if stamp is None:
        # An empty (or cleared) cache: the first worker's stamp wins, the others adopt it.
        cache.add(_STAMP_KEY, secrets.token_hex(8), timeout=None)
        stamp = cache.get(_STAMP_KEY) or "unstamped"
    return stamp


def words_matcher() -> Matcher:
    """The matcher for the current lists (compiled at most once per list version)."""
    global _held
    if getattr(_local, "dirty", False):
        if connection.in_atomic_block:
            return _compile()
        # The changing transaction has ended: committed (the stamp moved) or rolled back.
        _local.dirty = False
    stamp = _stamp()
    held = _held
    if held is not None and held[0] == stamp:
        return held[1]
    with _lock:
        held = _held
        if held is None or held[0] != stamp:
            held = (stamp, _compile())
            _held = held
    return held[1]


def _bump() -> None:
    cache.set(_STAMP_KEY, secrets.token_hex(8), timeout=None)
    _local.dirty = False


def words_changed() -> None:
    """Call after any change to the lists: every process recompiles once it is committed."""
    _local.dirty = True
    transaction.on_commit(_bump)


def screen_text(text: str) -> Screening:
    """Every listed word in `text` (evasion-proof, see textkit.wordfilter), the strongest
    action among them ("allow" without hits) and the text with "mask" words as ＊."""
    return words_matcher().screen(text or "")


def word_blocked_message(words: Iterable[str]) -> str:
    """WORD_BLOCKED naming `words`, e.g. 包含不允许发布的内容：甲、乙。…"""
    return str(WORD_BLOCKED).format(words="、".join(words))


def _category_label(value: str) -> str:
    from yaowen.wordfilter.models import SensitiveWord

    try:
        return str(SensitiveWord.Category(value).label)
    except ValueError:
        return value


def highlight_html(text: str, hits: Iterable[Hit]) -> SafeString:
    """`text` with each hit marked (the template `wordfilter/highlight.html`: a `mark` whose
    title names the hit's category); overlapping hits share one mark naming all of theirs."""
    spans: list[list] = []
    for hit in sorted(hits, key=lambda h: (h.start, -h.end)):
        start, end = max(0, hit.start), min(len(text), hit.end)
        if start >= end:
            continue
        if spans and start < spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], end)
            spans[-1][2].setdefault(hit.category, None)
        else:
            spans.append([start, end, {hit.category: None}])
    parts: list[tuple[str, str | None]] = []
    position = 0
    for start, end, categories in spans:
        parts.append((text[position:start], None))
        title = "、".join(_category_label(category) for category in categories)
        parts.append((text[start:end], title))
        position = end
    parts.append((text[position:], None))
    return render_fragment("wordfilter/highlight.html", {"parts": parts})
