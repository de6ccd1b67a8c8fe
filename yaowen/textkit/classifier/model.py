"""The classifier itself: training the three members, compiling them for fast prediction.

scikit-learn and scipy (most of a second to import) are imported by the training methods
only: a saved model predicts with numpy alone.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import joblib
import numpy as np

from yaowen.textkit.classifier.counting import known_features
from yaowen.textkit.classifier.example import Example
from yaowen.textkit.classifier.features import (
    Block,
    baseline_blocks,
    clean_body,
    default_blocks,
    normalize,
)

if TYPE_CHECKING:
    from sklearn.feature_extraction.text import TfidfVectorizer

FORMAT_VERSION = 3
DEFAULT_C = 1.0
MEMBERS = ("svm", "nbsvm", "nb")
# Additive smoothing of the naive-Bayes member and of the NB-SVM log-count ratios.
NB_ALPHA = 0.1
NBSVM_ALPHA = 1.0
# From this many training articles on, features seen in one article only are dropped.
MIN_DF_FROM = 1000
# Scale of the softmax that turns combined scores into predict_proba's ranking.
PROBA_SCALE = 3.0


def _standardize(scores: np.ndarray) -> np.ndarray:
    """Scores of each row (article) shifted and scaled to zero mean and unit spread."""
    scores = scores - scores.mean(axis=-1, keepdims=True)
    spread = scores.std(axis=-1, keepdims=True)
    return scores / np.where(spread > 0, spread, 1.0)


@dataclass
class _Table:
    """What prediction needs of one feature block: vocabulary, idf and weights."""

    field: str
    analyzer: Callable[[str], list[str]]
    weight: float
    vocabulary: dict[str, int]
    idf: np.ndarray
    svm: np.ndarray | None = None  # (features x classes) SVM weights
    nbsvm: np.ndarray | None = None  # (features x classes) log-count ratio x NB-SVM weight
    ratio2: np.ndarray | None = None  # (features x classes) squared log-count ratios
    nb: np.ndarray | None = None  # (features x classes) naive-Bayes log probabilities

    def __getstate__(self) -> dict:
        # What prediction derives (the stacked tables, the n-gram keys) is rebuilt after
        # loading, not saved.
        return {
            k: v for k, v in self.__dict__.items() if k not in ("_stacked_cache", "_keys_cache")
        }


def _stacked(table: _Table) -> tuple[np.ndarray, dict[str, slice]]:
    """The block's member tables side by side (features x members*classes), built once
    per process, and where each member's columns are.

    Kept in the tables' own precision (float32 as trained): an article's rows are widened
    to float64 after they are gathered, which gives the same values as widening the whole
    table first, with half the memory read from a table of megabytes."""
    cached = table.__dict__.get("_stacked_cache")
    if cached is None:
        matrices, parts, start = [], {}, 0
        for name in ("svm", "nb", "nbsvm", "ratio2"):
            matrix = getattr(table, name)
            if matrix is not None:
                matrices.append(matrix)
                parts[name] = slice(start, start + matrix.shape[1])
                start += matrix.shape[1]
        cached = (np.ascontiguousarray(np.hstack(matrices)), parts)
        table.__dict__["_stacked_cache"] = cached
    return cached


class ChannelClassifier:
    """Predicts an article's channel label from its title and body."""

    def __init__(
        self,
        *,
        c: float | None = None,
        blocks: list[Block] | None = None,
        members: Sequence[str] = MEMBERS,
        sublinear_tf: bool = True,
        normalize_text: bool = True,
        min_df: int | None = None,
        seed: int = 0,
    ) -> None:
        unknown = set(members) - set(MEMBERS)
        if unknown or not members:
            raise ValueError(f"members must be some of {MEMBERS}, not {sorted(unknown)}")
        self.c = c
        self.blocks = blocks if blocks is not None else default_blocks()
        self.members = tuple(members)
        self.sublinear_tf = sublinear_tf
        self.normalize_text = normalize_text
        self.min_df = min_df
        self.seed = seed
        self.chosen_c: float | None = None
        self.tuning: list[tuple[float, float]] = []  # kept for callers; C is not tuned

    # -- features -------------------------------------------------------------------
    def _fields(self, title: str, body: str) -> dict[str, str]:
        if self.normalize_text:
            title, body = normalize(title), clean_body(body)
        return {"title": title, "body": body, "text": f"{title} {body}".strip()}

    def _vectorizers(self, size: int = 0) -> list[TfidfVectorizer]:
        from sklearn.feature_extraction.text import TfidfVectorizer

        min_df = self.min_df if self.min_df is not None else (2 if size >= MIN_DF_FROM else 1)
        return [
            TfidfVectorizer(
                analyzer=analyzer, sublinear_tf=self.sublinear_tf, min_df=min_df, dtype=np.float32
            )
            for _, _, analyzer, _ in self.blocks
        ]

    def _block_matrices(self, vectorizers, fields: list[dict[str, str]], *, fit: bool):
        """Each block's TF-IDF matrix with its block weight; a block with no tokens at all
        (every body empty, as in a corpus of headlines) is left out and its vectorizer set
        to None."""
        parts = []
        for i, (_, field, _, weight) in enumerate(self.blocks):
            if vectorizers[i] is None:
                continue
            texts = [f[field] for f in fields]
            if fit:
                try:
                    part = vectorizers[i].fit_transform(texts)
                except ValueError:  # empty vocabulary
                    vectorizers[i] = None
                    continue
            else:
                part = vectorizers[i].transform(texts)
            parts.append((part, weight))
        if not parts:
            raise ValueError("the training articles have no usable text")
        return parts

    # -- training -------------------------------------------------------------------
    def fit(self, examples: Sequence[Example]) -> ChannelClassifier:
        from scipy.sparse import hstack
        from sklearn.naive_bayes import MultinomialNB
        from sklearn.svm import LinearSVC

        examples = list(examples)
        labels = sorted({e.label for e in examples})
        if len(labels) < 2:
            raise ValueError("training needs articles of at least two channels")
        fields = [self._fields(e.title, e.body) for e in examples]
        y = np.array([e.label for e in examples])
        self.chosen_c = self.c if self.c is not None else DEFAULT_C

        vectorizers = self._vectorizers(len(examples))
        parts = self._block_matrices(vectorizers, fields, fit=True)
        self.classes_ = labels
        classes = np.array(labels)
        k = len(labels)
        sizes = [p.shape[1] for p, _ in parts]
        learned: dict[str, list[np.ndarray]] = {}
        self._intercepts: dict[str, np.ndarray] = {}

        if "svm" in self.members:
            matrix = hstack([p * w if w != 1.0 else p for p, w in parts], format="csr")
            svm = LinearSVC(C=self.chosen_c, random_state=self.seed).fit(matrix, y)
            assert list(svm.classes_) == labels
            coef, intercept = svm.coef_, svm.intercept_
            if k == 2:  # one hyperplane: the first class scores its negation
                coef, intercept = np.vstack([-coef, coef]), np.array([-1, 1]) * intercept
            learned["svm"] = self._split(coef.T, sizes)
            self._intercepts["svm"] = intercept.astype(np.float64)

        presence = []
        for part, _ in parts:
            part = part.copy()
            part.data[:] = 1.0
            presence.append(part)

        if "nb" in self.members:
            nb = MultinomialNB(alpha=NB_ALPHA).fit(hstack(presence, format="csr"), y)
            learned["nb"] = self._split(nb.feature_log_prob_.T, sizes)
            self._intercepts["nb"] = nb.class_log_prior_.astype(np.float64)

        if "nbsvm" in self.members:
            learned["nbsvm"], learned["ratio2"], self._intercepts["nbsvm"] = self._fit_nbsvm(
                presence, [w for _, w in parts], y, classes
            )

        self._compile(vectorizers, learned)
        return self

    @staticmethod
    def _split(matrix: np.ndarray, sizes: list[int]) -> list[np.ndarray]:
        """Rows of a (features x classes) matrix, cut into the blocks' tables."""
        tables, start = [], 0
        for size in sizes:
            tables.append(np.ascontiguousarray(matrix[start : start + size], dtype=np.float32))
            start += size
        return tables

    def _fit_nbsvm(self, presence, weights, y, classes):
        """One binary SVM per class over presence features scaled by the class's NB
        log-count ratio, each block L2-normalised; folded into per-feature tables."""
        from scipy.sparse import diags, hstack
        from sklearn.preprocessing import normalize as l2_rows
        from sklearn.svm import LinearSVC

        sizes = [p.shape[1] for p in presence]
        folded = np.zeros((sum(sizes), len(classes)))
        ratio2 = np.zeros((sum(sizes), len(classes)))
        intercepts = np.zeros(len(classes))
        for j, label in enumerate(classes):
            inside = y == label
            ratios, scaled = [], []
            for part, weight in zip(presence, weights, strict=True):
                p = NBSVM_ALPHA + np.asarray(part[inside].sum(axis=0)).ravel()
                q = NBSVM_ALPHA + np.asarray(part[~inside].sum(axis=0)).ravel()
                ratio = np.log(p / p.sum()) - np.log(q / q.sum())
                ratios.append(ratio)
                block = l2_rows(part @ diags(ratio))
                scaled.append(block * weight if weight != 1.0 else block)
            svm = LinearSVC(C=self.chosen_c, random_state=self.seed)
            svm.fit(hstack(scaled, format="csr"), inside.astype(int))
            ratio = np.concatenate(ratios)
            folded[:, j] = ratio * svm.coef_.ravel()
            ratio2[:, j] = ratio**2
            intercepts[j] = svm.intercept_[0]
        return self._split(folded, sizes), self._split(ratio2, sizes), intercepts

    def _compile(self, vectorizers: list[TfidfVectorizer], learned) -> None:
        """Keep, per block, its vocabulary, idf and (features x classes) weight tables."""
        self._tables = []
        i = 0
        for vectorizer, (_, field, analyzer, weight) in zip(vectorizers, self.blocks, strict=True):
            if vectorizer is None:
                continue
            tables = {name: values[i] for name, values in learned.items()}
            self._tables.append(
                _Table(
                    field,
                    analyzer,
                    weight,
                    vectorizer.vocabulary_,
                    vectorizer.idf_.astype(np.float64),
                    **tables,
                )
            )
            i += 1

    # -- prediction -----------------------------------------------------------------
    def member_scores(self, title: str, body: str = "") -> dict[str, np.ndarray]:
        """Each member's raw per-class scores of one article, in the order of `classes_`."""
        fields = self._fields(title, body)
        scores = {name: self._intercepts[name].copy() for name in self.members}
        nbsvm = "nbsvm" in scores
        for table in self._tables:
            index, tf = known_features(table, fields[table.field])
            if not len(index):
                continue
            # One gather of every member's rows, then one column sum for the summed members.
            stacked, parts = _stacked(table)
            rows = stacked[index].astype(np.float64, copy=False)
            sums = rows.sum(axis=0)
            if "svm" in parts:
                if self.sublinear_tf:
                    tf = 1.0 + np.log(tf)
                values = tf * table.idf[index]
                values *= table.weight / math.sqrt(float(values @ values))
                scores["svm"] += values @ rows[:, parts["svm"]]
            if "nb" in parts:
                scores["nb"] += sums[parts["nb"]]
            if nbsvm:
                norms = np.sqrt(sums[parts["ratio2"]])
                folded = sums[parts["nbsvm"]]
                scores["nbsvm"] += table.weight * folded / np.where(norms > 0, norms, 1.0)
        return scores

    def decision(self, title: str, body: str = "") -> np.ndarray:
        """Per-class scores of one article, in the order of `classes_`: a lone member's
        raw scores, or the average of the members' per-article standardised scores."""
        scores = self.member_scores(title, body)
        if len(scores) == 1:
            return next(iter(scores.values()))
        return sum(_standardize(s) for s in scores.values()) / len(scores)

    def predict(self, title: str, body: str = "") -> str:
        return self.classes_[int(np.argmax(self.decision(title, body)))]

    def predict_proba(self, title: str, body: str = "", top: int = 3) -> list[tuple[str, float]]:
        """The `top` likeliest labels with softmaxed scores (a ranking, not calibrated)."""
        scores = self.decision(title, body)
        exp = np.exp(PROBA_SCALE * (scores - scores.max()))
        probabilities = exp / exp.sum()
        order = np.argsort(-probabilities)[:top]
        return [(self.classes_[i], float(probabilities[i])) for i in order]

    # -- persistence ----------------------------------------------------------------
    def save(self, path: str | Path) -> None:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        joblib.dump({"format": FORMAT_VERSION, "model": self}, path, compress=3)

    @classmethod
    def load(cls, path: str | Path) -> ChannelClassifier:
        try:
            payload = joblib.load(path)
        except (FileNotFoundError, IsADirectoryError):
            raise
        except Exception as error:
            raise ValueError(f"{path} is not a saved channel classifier ({error})") from error
        if not isinstance(payload, dict) or payload.get("format") != FORMAT_VERSION:
            raise ValueError(f"{path}: unsupported classifier format; train it again")
        return payload["model"]


def baseline() -> ChannelClassifier:
    """The plain reference model: words + char 1-3-grams, raw tf, linear SVM with C=0.5."""
    return ChannelClassifier(
        c=0.5,
        blocks=baseline_blocks(),
        members=("svm",),
        sublinear_tf=False,
        normalize_text=False,
        min_df=1,
    )
