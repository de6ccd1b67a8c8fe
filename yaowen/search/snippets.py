"""Highlighted snippets of search results. Pure functions over text and query terms.

A highlighted text is a list of (text, hit) pieces; the template `search/marked.html`
shows each hit in a `mark`.
"""

import unicodedata

from yaowen.textkit.normalize import normalize

Marked = list[tuple[str, bool]]

SNIPPET_CHARS = 120
LEAD_CHARS = 30  # how much text to show before the first hit


def _folded(text: str) -> str:
    """`text` normalised like the index (simplified, half-width, lower case) when that
    keeps every character in place; otherwise per character, so positions still line up."""
    folded = normalize(text)
    if len(folded) == len(text):
        return folded
    return "".join(f if len(f := normalize(char)) == 1 else char.lower() for char in text)


def _hits(folded: str, terms: list[str]) -> list[tuple[int, int]]:
    """Non-overlapping (start, end) spans of every term in `folded`, longest terms first."""
    taken = [False] * len(folded)
    spans = []
    for term in sorted(set(terms), key=len, reverse=True):
        if not term:
            continue
        start = folded.find(term)
        while start != -1:
            end = start + len(term)
            if not any(taken[start:end]):
                spans.append((start, end))
                for i in range(start, end):
                    taken[i] = True
            start = folded.find(term, end)
    return sorted(spans)


def highlight(text: str, terms: list[str]) -> Marked:
    """`text` in pieces, every occurrence of a term a hit."""
    out: Marked = []
    at = 0
    for start, end in _hits(_folded(text), terms):
        if at < start:
            out.append((text[at:start], False))
        out.append((text[start:end], True))
        at = end
    if at < len(text) or not out:
        out.append((text[at:], False))
    return out


def snippet(text: str, terms: list[str], *, size: int = SNIPPET_CHARS) -> Marked:
    """About `size` characters of `text` around its first hit, highlighted.

    Without a hit, the opening of the text. Whitespace runs are squeezed; an ellipsis
    marks text cut at either end.
    """
    text = " ".join(text.split())
    spans = _hits(_folded(text), terms)
    start = max(0, spans[0][0] - LEAD_CHARS) if spans else 0
    # Start at a sentence boundary when one is close before the hit.
    if start:
        for i in range(start, min(start + LEAD_CHARS, len(text))):
            if unicodedata.category(text[i]) == "Po" and text[i] in "。！？；!?;":
                start = i + 1
                break
    piece = text[start : start + size].strip()
    prefix = [("…", False)] if start > 0 else []
    suffix = [("…", False)] if start + size < len(text) else []
    return [*prefix, *highlight(piece, terms), *suffix]
