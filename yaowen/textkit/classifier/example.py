"""One labelled article: what the TSV reader yields, training takes and evaluation scores."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Example:
    label: str
    title: str
    body: str = ""
