"""Turn what a reader typed into the terms and match expressions of each database."""

from dataclasses import dataclass

from yaowen.textkit.normalize import normalize
from yaowen.textkit.tokenize import Tokenizer

MAX_QUERY_CHARS = 60
MAX_TERMS = 8


@dataclass(frozen=True)
class ParsedQuery:
    text: str  # what the reader typed, trimmed
    terms: tuple[str, ...]  # tokenizer words, as the index holds them

    def __bool__(self) -> bool:
        return bool(self.terms)


def query_parse(text: str, tokenizer: Tokenizer) -> ParsedQuery:
    """Segment the query with the index's own tokenizer.

    A query made only of stop words (的, 了) would otherwise find nothing: its characters
    are then searched for themselves.
    """
    text = " ".join(text.split())[:MAX_QUERY_CHARS]
    terms = list(dict.fromkeys(tokenizer.query_tokens(text)))
    if not terms:
        terms = list(dict.fromkeys(char for char in normalize(text) if char.isalnum()))
    return ParsedQuery(text=text, terms=tuple(terms[:MAX_TERMS]))


def fts5_expression(terms: tuple[str, ...], *, any_term: bool = False) -> str:
    """An FTS5 MATCH expression: each term a quoted string, all (or any) required."""
    quoted = ['"' + term.replace('"', '""') + '"' for term in terms]
    return (" OR " if any_term else " AND ").join(quoted)
