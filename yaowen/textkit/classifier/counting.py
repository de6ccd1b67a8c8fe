"""An article's known features for prediction: vocabulary columns and counts, as arrays."""

from __future__ import annotations

from collections import Counter
from typing import Any  # `table` is a model._Table; model imports this module

import numpy as np

from yaowen.textkit.classifier.features import CharGrams

# The character n-grams of a text this long or longer are counted as integers (21 bits per
# code point, so up to three characters in one int64) with numpy: the same counts in the
# same order as the analyzer's strings in a Counter, in a third of the time on a body's
# 1,000 characters; a headline is quicker as strings.
ARRAY_FROM = 200
_BITS = 21
_ARRAY_MAX_N = 3
_NO_KEYS = (np.empty(0, dtype=np.int64), np.empty(0, dtype=np.intp))


def known_features(table: Any, text: str) -> tuple[np.ndarray, np.ndarray]:
    """The columns of the table's vocabulary that `text`'s features fill, and how often
    each occurs (float64), in the order the features first occur: the order of
    `Counter(table.analyzer(text))`, so that sums over them come out the same."""
    analyzer = table.analyzer
    if (
        isinstance(analyzer, CharGrams)
        and not analyzer.sklearn_like
        and analyzer.hi <= _ARRAY_MAX_N
        and len(text) >= ARRAY_FROM
    ):
        return _gram_features(table, analyzer, text)
    get = table.vocabulary.get
    columns, counts = [], []
    for token, count in Counter(analyzer(text)).items():
        column = get(token)
        if column is not None:
            columns.append(column)
            counts.append(count)
    return np.array(columns, dtype=np.intp), np.array(counts, dtype=np.float64)


def _gram_features(table: Any, analyzer: CharGrams, text: str) -> tuple[np.ndarray, ...]:
    """`known_features` for character n-grams, computed on code points."""
    text = text.replace(" ", "")  # as CharGrams does
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    codes = codes.astype(np.int64)
    vocabulary = _vocabulary_keys(table)
    columns, counts = [], []
    for n in range(analyzer.lo, analyzer.hi + 1):
        size = len(codes) - n + 1
        if size <= 0:
            break
        keys = codes[:size].copy()
        for offset in range(1, n):
            keys <<= _BITS
            keys |= codes[offset : offset + size]
        distinct, first, count = np.unique(keys, return_index=True, return_counts=True)
        order = np.argsort(first)
        distinct, count = distinct[order], count[order]
        known_keys, known_columns = vocabulary.get(n, _NO_KEYS)
        if not len(known_keys):
            continue
        at = np.minimum(np.searchsorted(known_keys, distinct), len(known_keys) - 1)
        found = known_keys[at] == distinct
        columns.append(known_columns[at[found]])
        counts.append(count[found])
    if not columns:
        return _NO_KEYS[1], np.empty(0, dtype=np.float64)
    return np.concatenate(columns), np.concatenate(counts).astype(np.float64)


def _vocabulary_keys(table: Any) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """n -> the integer keys of the vocabulary's n-grams (sorted) and their columns; built
    once per process and table, not saved with the model."""
    cached = table.__dict__.get("_keys_cache")
    if cached is None:
        grouped: dict[int, tuple[list[int], list[int]]] = {}
        for gram, column in table.vocabulary.items():
            key = 0
            for char in gram:
                key = key << _BITS | ord(char)
            keys, columns = grouped.setdefault(len(gram), ([], []))
            keys.append(key)
            columns.append(column)
        cached = {}
        for n, (keys, columns) in grouped.items():
            key_array = np.array(keys, dtype=np.int64)
            order = np.argsort(key_array)
            cached[n] = (key_array[order], np.array(columns, dtype=np.intp)[order])
        table.__dict__["_keys_cache"] = cached
    return cached
