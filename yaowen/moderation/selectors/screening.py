"""Why an item is in a queue: reason badges and sensitive-word hits shown in context."""

from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString

from yaowen.moderation.selectors.labels import REASON_LABELS
from yaowen.wordfilter.services import Screening, highlight_html, screen_text

# Hits whose action is one of these put an item in the 自动标记 queue; "mask" words are
# already replaced by ＊ wherever they are shown, so they need no editor.
FLAG_ACTIONS = frozenset({"block", "review"})


@dataclass(frozen=True)
class Badge:
    """One reason an item is in a queue, e.g. ("words", "敏感词", "赌博、代开发票")."""

    code: str
    label: str
    detail: str = ""


@dataclass(frozen=True)
class _Shifted:
    """A hit moved into a snippet's coordinates (the attributes highlight_html reads)."""

    start: int
    end: int
    word: str
    category: str
    action: str


def text_screen(text: str) -> Screening:
    return screen_text(text or "")


def flagging(screening: Screening) -> bool:
    """Whether the hits are strong enough to bring the item to an editor."""
    return any(hit.action in FLAG_ACTIONS for hit in screening.hits)


def words_badge(*screenings: Screening) -> Badge | None:
    words = []
    for screening in screenings:
        for hit in screening.hits:
            if hit.word not in words:
                words.append(hit.word)
    if not words:
        return None
    return Badge("words", str(REASON_LABELS["words"]), "、".join(words[:8]))


def highlight(text: str, screening: Screening) -> SafeString:
    """The whole (short) text, escaped, with its hits marked."""
    return highlight_html(text or "", screening.hits)


def hit_snippets(
    text: str, screening: Screening, *, radius: int = 24, limit: int = 5
) -> list[SafeString]:
    """Up to `limit` pieces of a long text around its hits, each with the hits marked."""
    windows: list[list[int]] = []
    for hit in sorted(screening.hits, key=lambda h: h.start):
        start, end = max(0, hit.start - radius), min(len(text), hit.end + radius)
        if windows and start <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], end)
        else:
            windows.append([start, end])
    snippets = []
    for start, end in windows[:limit]:
        inside = [
            _Shifted(h.start - start, h.end - start, h.word, h.category, h.action)
            for h in screening.hits
            if h.start >= start and h.end <= end
        ]
        marked = highlight_html(text[start:end], inside)
        snippets.append(
            format_html(
                "{}{}{}",
                "…" if start > 0 else "",
                marked,
                "…" if end < len(text) else "",
            )
        )
    return snippets
