"""Channel classifier: a linear SVM over TF-IDF features of a Chinese article's title and body.

Features come in separately normalised blocks so that a long body cannot drown the title:
the title gives jieba words and character 1-3-grams, the body (its first characters only)
gives character 1-2-grams; segmenting a whole body with jieba would cost tens of
milliseconds per article, character n-grams cost a fraction of one. Training uses
scikit-learn; prediction of one article reads the learned vocabularies and weights
directly, which is an order of magnitude faster than going through sparse matrices.
"""

from __future__ import annotations

import math
import random
import re
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import jieba
import joblib
import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import accuracy_score, classification_report, f1_score
from sklearn.svm import LinearSVC

jieba.setLogLevel(60)

FORMAT_VERSION = 1
# Enough for the lead paragraphs, which name the topic; keeps a prediction under 1 ms.
BODY_CHARS = 1000
C_GRID = (0.5, 1.0, 2.0)
DEFAULT_C = 1.0
# Below this many examples a validation split is too small to choose C from.
MIN_TUNING_EXAMPLES = 300

_MARKDOWN_NOISE = re.compile(
    r"!\[[^\]]*\]\([^)]*\)"  # images: the alt text of a figure rarely names the topic
    r"|\]\([^)]*\)"  # link targets; the link text stays
    r"|https?://\S+"
    r"|[#>*_`|\[\]~-]+"
)
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Example:
    label: str
    title: str
    body: str = ""


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


def normalize(text: str) -> str:
    """Fold full-width forms and case, drop U+FFFD, squeeze whitespace."""
    text = unicodedata.normalize("NFKC", text).lower().replace("\ufffd", "")
    return _SPACES.sub(" ", text).strip()


def clean_body(body: str) -> str:
    """Keep the first BODY_CHARS characters of prose from a Markdown body."""
    return normalize(_MARKDOWN_NOISE.sub(" ", body[: BODY_CHARS * 2]))[:BODY_CHARS]


class Words:
    """jieba words of a text (a class, not a lambda, so that models pickle)."""

    def __call__(self, text: str) -> list[str]:
        return [w for w in jieba.lcut(text) if not w.isspace()]


class CharGrams:
    """Character n-grams of a text for lo <= n <= hi, spaces removed.

    With `sklearn_like`, spaces are kept and the text lower-cased, as scikit-learn's own
    "char" analyzer does; the baseline uses it so that it measures what it claims to.
    """

    def __init__(self, lo: int, hi: int, *, sklearn_like: bool = False) -> None:
        self.lo, self.hi, self.sklearn_like = lo, hi, sklearn_like

    def __call__(self, text: str) -> list[str]:
        text = _SPACES.sub(" ", text.lower()) if self.sklearn_like else text.replace(" ", "")
        size = len(text)
        return [text[i : i + n] for n in range(self.lo, self.hi + 1) for i in range(size - n + 1)]


# (name, which field, analyzer, block weight)
Block = tuple[str, str, Callable[[str], list[str]], float]


def default_blocks() -> list[Block]:
    return [
        ("title-words", "title", Words(), 1.0),
        ("title-chars", "title", CharGrams(1, 3), 1.0),
        ("body-chars", "body", CharGrams(1, 2), 1.0),
    ]


def baseline_blocks() -> list[Block]:
    """The plain reference: title and raw body text together, words + char 1-3-grams."""
    return [
        ("words", "text", Words(), 1.0),
        ("chars", "text", CharGrams(1, 3, sklearn_like=True), 1.0),
    ]


class ChannelClassifier:
    """Predicts an article's channel label from its title and body."""

    def __init__(
        self,
        *,
        c: float | None = None,
        blocks: list[Block] | None = None,
        sublinear_tf: bool = True,
        normalize_text: bool = True,
        seed: int = 0,
    ) -> None:
        self.c = c
        self.blocks = blocks if blocks is not None else default_blocks()
        self.sublinear_tf = sublinear_tf
        self.normalize_text = normalize_text
        self.seed = seed
        self.chosen_c: float | None = None
        self.tuning: list[tuple[float, float]] = []  # (C, validation accuracy)

    # -- features -------------------------------------------------------------------
    def _fields(self, title: str, body: str) -> dict[str, str]:
        if self.normalize_text:
            title, body = normalize(title), clean_body(body)
        return {"title": title, "body": body, "text": f"{title} {body}".strip()}

    def _vectorizers(self) -> list[TfidfVectorizer]:
        return [
            TfidfVectorizer(analyzer=analyzer, sublinear_tf=self.sublinear_tf, dtype=np.float32)
            for _, _, analyzer, _ in self.blocks
        ]

    def _matrix(self, vectorizers, fields: list[dict[str, str]], *, fit: bool) -> csr_matrix:
        """Stack the blocks' TF-IDF matrices; a block with no tokens at all (every body
        empty, as in a corpus of headlines) is left out and its vectorizer set to None."""
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
            parts.append(part * weight if weight != 1.0 else part)
        if not parts:
            raise ValueError("the training articles have no usable text")
        return hstack(parts, format="csr")

    # -- training -------------------------------------------------------------------
    def fit(self, examples: Sequence[Example]) -> ChannelClassifier:
        examples = list(examples)
        labels = sorted({e.label for e in examples})
        if len(labels) < 2:
            raise ValueError("training needs articles of at least two channels")
        fields = [self._fields(e.title, e.body) for e in examples]
        y = np.array([e.label for e in examples])

        self.chosen_c = self.c if self.c is not None else self._tune(fields, y)
        vectorizers = self._vectorizers()
        matrix = self._matrix(vectorizers, fields, fit=True)
        svm = LinearSVC(C=self.chosen_c, random_state=self.seed).fit(matrix, y)
        self.classes_ = list(svm.classes_)
        self._compile(vectorizers, svm)
        return self

    def _tune(self, fields: list[dict[str, str]], y: np.ndarray) -> float:
        """Choose C on a stratified tenth of the training data; too little data: default."""
        if len(y) < MIN_TUNING_EXAMPLES:
            return DEFAULT_C
        rng = random.Random(self.seed)
        held = np.zeros(len(y), dtype=bool)
        for label in np.unique(y):
            rows = list(np.flatnonzero(y == label))
            rng.shuffle(rows)
            held[rows[: max(1, len(rows) // 10)]] = True
        train_fields = [f for f, h in zip(fields, held, strict=True) if not h]
        held_fields = [f for f, h in zip(fields, held, strict=True) if h]
        vectorizers = self._vectorizers()
        train_matrix = self._matrix(vectorizers, train_fields, fit=True)
        held_matrix = self._matrix(vectorizers, held_fields, fit=False)
        self.tuning = []
        for c in C_GRID:
            svm = LinearSVC(C=c, random_state=self.seed).fit(train_matrix, y[~held])
            self.tuning.append((c, accuracy_score(y[held], svm.predict(held_matrix))))
        # Ties go to the smaller C: the simpler model.
        return max(self.tuning, key=lambda row: (row[1], -row[0]))[0]

    def _compile(self, vectorizers: list[TfidfVectorizer], svm: LinearSVC) -> None:
        """Keep, per block, a vocabulary, idf and a (features x classes) weight table."""
        coef = svm.coef_ if len(self.classes_) > 2 else np.vstack([-svm.coef_, svm.coef_])
        intercept = svm.intercept_ if len(self.classes_) > 2 else np.array([-1, 1]) * svm.intercept_
        self._intercept = intercept.astype(np.float64)
        self._tables = []
        start = 0
        for vectorizer, (_, field, analyzer, weight) in zip(vectorizers, self.blocks, strict=True):
            if vectorizer is None:
                continue
            size = len(vectorizer.vocabulary_)
            weights = np.ascontiguousarray(coef[:, start : start + size].T, dtype=np.float32)
            self._tables.append(
                (field, analyzer, weight, vectorizer.vocabulary_, vectorizer.idf_, weights)
            )
            start += size

    # -- prediction -----------------------------------------------------------------
    def decision(self, title: str, body: str = "") -> np.ndarray:
        """Raw per-class scores of one article, in the order of `classes_`."""
        fields = self._fields(title, body)
        scores = self._intercept.copy()
        for field, analyzer, weight, vocabulary, idf, weights in self._tables:
            counts = Counter(analyzer(fields[field]))
            index, tf = [], []
            for token, count in counts.items():
                column = vocabulary.get(token)
                if column is not None:
                    index.append(column)
                    tf.append(count)
            if not index:
                continue
            tf = np.asarray(tf, dtype=np.float64)
            if self.sublinear_tf:
                tf = 1.0 + np.log(tf)
            values = tf * idf[index]
            values *= weight / math.sqrt(float(values @ values))
            scores += values @ weights[index]
        return scores

    def predict(self, title: str, body: str = "") -> str:
        return self.classes_[int(np.argmax(self.decision(title, body)))]

    def predict_proba(self, title: str, body: str = "", top: int = 3) -> list[tuple[str, float]]:
        """The `top` likeliest labels with softmaxed SVM scores (a ranking, not calibrated)."""
        scores = self.decision(title, body)
        exp = np.exp(3.0 * (scores - scores.max()))
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
        c=0.5, blocks=baseline_blocks(), sublinear_tf=False, normalize_text=False
    )


def evaluate(model: ChannelClassifier, examples: Iterable[Example]) -> tuple[str, float, float]:
    """Per-class report, accuracy and macro-F1 of `model` on labelled examples."""
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
