"""Filling a page's recommendation blocks so that no article appears twice on it."""

from collections.abc import Hashable, Iterable, Sequence
from typing import Protocol, TypeVar


class HasId(Protocol):
    id: int


C = TypeVar("C", bound=HasId)
K = TypeVar("K", bound=Hashable)


def fill_blocks(
    blocks: Sequence[tuple[K, Sequence[C], int]], *, exclude: Iterable[int] = ()
) -> dict[K, list[C]]:
    """Give each block, in order, up to its limit of candidates not shown anywhere before.

    `blocks` is (key, ranked candidates, limit); earlier blocks win a shared article.
    Articles in `exclude` (the page's own article) appear in no block.
    """
    seen = set(exclude)
    filled: dict[K, list[C]] = {}
    for key, candidates, limit in blocks:
        chosen: list[C] = []
        for card in candidates:
            if len(chosen) >= limit:
                break
            if card.id not in seen:
                seen.add(card.id)
                chosen.append(card)
        filled[key] = chosen
    return filled
