"""Labelled articles: the TSV format, evaluation and timing."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from yaowen.textkit.classifier.example import Example

if TYPE_CHECKING:
    from yaowen.textkit.classifier.model import ChannelClassifier


def read_tsv(path: str | Path) -> list[Example]:
    """Read `label<TAB>title<TAB>body` lines; blank lines are skipped, a bad one raises.

    Tolerates a byte-order mark, CRLF line ends, a missing body field and undecodable
    bytes (read as U+FFFD); raises ValueError naming the line of a malformed row.
    """
    examples = []
    with open(path, encoding="utf-8-sig", errors="replace", newline="") as handle:
        for number, line in enumerate(handle, start=1):
            line = line.rstrip("\r\n")
            if not line.strip():
                continue
            fields = line.split("\t")
            if len(fields) < 2:
                raise ValueError(
                    f"{path}, line {number}: expected label<TAB>title<TAB>body, found no tab"
                )
            label = fields[0].strip()
            if not label:
                raise ValueError(f"{path}, line {number}: empty label")
            body = "\t".join(fields[2:])
            examples.append(Example(label=label, title=fields[1].strip(), body=body.strip()))
    return examples


def evaluate(model: ChannelClassifier, examples: Iterable[Example]) -> tuple[str, float, float]:
    """Per-class report, accuracy and macro-F1 of `model` on labelled examples."""
    # scikit-learn takes most of a second to import: only an evaluation needs it.
    from sklearn.metrics import accuracy_score, classification_report, f1_score

    examples = list(examples)
    if not examples:
        raise ValueError("no examples to evaluate on")
    truth = [e.label for e in examples]
    predicted = [model.predict(e.title, e.body) for e in examples]
    labels = sorted(set(truth) | set(predicted))
    report = classification_report(truth, predicted, labels=labels, digits=4, zero_division=0)
    return (
        report,
        accuracy_score(truth, predicted),
        f1_score(truth, predicted, labels=labels, average="macro", zero_division=0),
    )


def timed_fit(model: ChannelClassifier, examples: Sequence[Example]) -> float:
    """Fit `model` and return the seconds it took."""
    start = time.perf_counter()
    model.fit(examples)
    return time.perf_counter() - start
