"""Turning a ranked list into a feed page: no near-duplicates, no creator flooding, mixed channels.

Greedy, in the spirit of MMR: each slot takes the candidate whose score, less a penalty for
keyword similarity to what is already on the page and for its channel's count on the page,
is highest. Penalties only lower a score, so the scan stops as soon as a raw score cannot
beat the best adjusted one found (lazy greedy), and each candidate is compared only with the
items chosen since it was last looked at.
"""

from collections.abc import Iterable, Sequence

from .duplicates import PRINT_BITS, DuplicateIndex
from .types import Candidate, Ranked

# Subtracted per unit of the highest keyword cosine with an item already chosen.
SIMILARITY_PENALTY = 0.3
# Subtracted per item of the same channel already on the current page.
CHANNEL_PENALTY = 0.08


def feed_diversify(
    ranked: Sequence[Ranked],
    *,
    limit: int,
    per_author: int = 2,
    max_run: int = 2,
    page_size: int | None = None,
    shown: Iterable[Candidate] = (),
    similarity_penalty: float = SIMILARITY_PENALTY,
    channel_penalty: float = CHANNEL_PENALTY,
) -> list[Ranked]:
    """Up to `limit` items, deterministic: no near-duplicates (of each other or of `shown`),
    at most `per_author` per creator in each `page_size` slice, at most `max_run` in a row
    from one channel unless nothing else is left.
    """
    page_size = page_size or limit
    order = sorted(ranked, key=lambda r: (-r.score, r.candidate.id))
    cands = [r.candidate for r in order]
    scores = [r.score for r in order]
    size = len(order)
    earlier = DuplicateIndex()
    for candidate in shown:
        earlier.add(candidate)
    vectors: list[dict[str, float]] = [{}] * size
    # Per candidate: how many chosen items it has been compared with, and its top similarity.
    checked = [-1] * size
    max_sim = [0.0] * size
    taken = [False] * size
    # The page on which a candidate's creator reached the cap; skipped cheaply until it ends.
    capped = [-1] * size
    by_author: dict[int, list[int]] = {}
    for i, candidate in enumerate(cands):
        by_author.setdefault(candidate.author_id, []).append(i)

    chosen: list[int] = []
    authors: dict[int, int] = {}
    channels: dict[int, int] = {}
    run_channel, run_length = None, 0
    first = 0
    while len(chosen) < limit:
        page = len(chosen) // page_size
        if len(chosen) % page_size == 0:
            authors.clear()
            channels.clear()
        best, best_value, fallback = -1, float("-inf"), -1
        beaten: set[int] = set()
        while first < size and taken[first]:
            first += 1
        for i in range(first, size):
            if taken[i] or capped[i] == page:
                continue
            score = scores[i]
            if score <= best_value:
                break
            candidate = cands[i]
            channel_id = candidate.channel_id
            if channel_id in beaten:
                continue
            if channels:
                score -= channel_penalty * channels.get(channel_id, 0)
                if score <= best_value:
                    # Later items of this channel score lower and pay the same penalty.
                    beaten.add(channel_id)
                    continue
            if checked[i] < 0:
                if earlier and earlier.hits(candidate):
                    taken[i] = True
                    continue
                vectors[i] = dict(candidate.keywords)
                checked[i] = 0
            if checked[i] < len(chosen):
                if _compare(
                    candidate, vectors[i], chosen[checked[i] :], cands, vectors, max_sim, i
                ):
                    taken[i] = True
                    continue
                checked[i] = len(chosen)
            if channel_id == run_channel and run_length >= max_run:
                # Kept only for a page that would otherwise end early.
                if fallback < 0:
                    fallback = i
                continue
            value = score - similarity_penalty * max_sim[i]
            if value > best_value:
                best, best_value = i, value
        if best < 0:
            if fallback < 0:
                break
            best = fallback
        taken[best] = True
        chosen.append(best)
        candidate = cands[best]
        authors[candidate.author_id] = authors.get(candidate.author_id, 0) + 1
        if authors[candidate.author_id] >= per_author:
            for j in by_author[candidate.author_id]:
                capped[j] = page
        channels[candidate.channel_id] = channels.get(candidate.channel_id, 0) + 1
        if candidate.channel_id == run_channel:
            run_length += 1
        else:
            run_channel, run_length = candidate.channel_id, 1
    return [order[i] for i in chosen]


def _compare(
    candidate: Candidate,
    mine: dict[str, float],
    new: list[int],
    cands: list[Candidate],
    vectors: list[dict[str, float]],
    max_sim: list[float],
    i: int,
) -> bool:
    """Brings max_sim[i] up to date with the `new` chosen items; True on a near-duplicate."""
    # near_duplicate() inlined: this loop runs hundreds of times per page.
    ident, original, prints = candidate.id, candidate.duplicate_of, candidate.prints
    top = max_sim[i]
    for j in new:
        other = cands[j]
        if (
            other.id == original
            or other.duplicate_of == ident
            or (original is not None and original == other.duplicate_of)
        ):
            return True
        for x, y in zip(prints, other.prints, strict=False):
            if x and y and (x ^ y).bit_count() <= PRINT_BITS:
                return True
        theirs = vectors[j]
        common = mine.keys() & theirs.keys()
        if common:
            sim = sum(mine[word] * theirs[word] for word in common)
            if sim > top:
                top = sim
    max_sim[i] = top
    return False
