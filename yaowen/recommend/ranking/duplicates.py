"""Near-duplicate tests between candidates, and an index that answers them without a scan."""

from .types import Candidate

# Two fingerprints at the same position within this many bits are the same story.
PRINT_BITS = 3
# 64 bits in 4 bands of 16: prints within 3 bits differ in at most 3 bands, so at least one
# band is equal and the index only needs exact band lookups (pigeonhole).
_BANDS = 4
_BAND_BITS = 16
_BAND_MASK = (1 << _BAND_BITS) - 1


def near_duplicate(a: Candidate, b: Candidate) -> bool:
    """Same article, a known copy of the other or of the same original, or close prints."""
    if a.id == b.id or a.duplicate_of == b.id or b.duplicate_of == a.id:
        return True
    if a.duplicate_of is not None and a.duplicate_of == b.duplicate_of:
        return True
    return _close_prints(a, b)


# Below this many added candidates, comparing prints directly beats building band keys.
_DIRECT_LIMIT = 12
_BAND_PREFIXES = tuple(
    tuple((position * _BANDS + band) << _BAND_BITS for band in range(_BANDS))
    for position in range(3)
)


def _band_keys(candidate: Candidate) -> list[int]:
    # One int per (position, band, band value): cheaper to build and hash than a tuple.
    keys: list[int] = []
    for position, print_ in enumerate(candidate.prints[:3]):
        if print_:
            a, b, c, d = _BAND_PREFIXES[position]
            keys += (
                a | (print_ & _BAND_MASK),
                b | ((print_ >> 16) & _BAND_MASK),
                c | ((print_ >> 32) & _BAND_MASK),
                d | ((print_ >> 48) & _BAND_MASK),
            )
    return keys


def _close_prints(a: Candidate, b: Candidate) -> bool:
    for x, y in zip(a.prints, b.prints, strict=False):
        if x and y and (x ^ y).bit_count() <= PRINT_BITS:
            return True
    return False


class DuplicateIndex:
    """The candidates added so far, asked "is this one a near-duplicate of any of them?"."""

    __slots__ = ("_bands", "_pairs", "_printed", "_roots")

    def __init__(self) -> None:
        self._printed: list[Candidate] = []
        self._pairs: list[tuple[int, int]] = []  # (position, print) of each added candidate
        self._bands: dict[int, list[Candidate]] | None = None
        # An article and its known copies share a root: the original's id.
        self._roots: set[int] = set()

    def __bool__(self) -> bool:
        return bool(self._roots)

    def add(self, candidate: Candidate) -> None:
        self._roots.add(candidate.id)
        if candidate.duplicate_of is not None:
            self._roots.add(candidate.duplicate_of)
        if not any(candidate.prints):
            return
        self._printed.append(candidate)
        self._pairs += ((position, p) for position, p in enumerate(candidate.prints) if p)
        if self._bands is None and len(self._printed) > _DIRECT_LIMIT:
            self._bands = {}
            for earlier in self._printed[:-1]:
                self._index(earlier)
        if self._bands is not None:
            self._index(candidate)

    def _index(self, candidate: Candidate) -> None:
        for key in _band_keys(candidate):
            self._bands.setdefault(key, []).append(candidate)

    def add_ids(self, ids: frozenset[int] | set[int]) -> None:
        """Block articles known only by id (already read, not in the pool) and their copies."""
        self._roots.update(ids)

    def hits(self, candidate: Candidate) -> bool:
        """True when `candidate` is a near-duplicate of anything added (or a blocked id)."""
        if candidate.id in self._roots or candidate.duplicate_of in self._roots:
            return True
        if not self._printed or not candidate.prints:
            return False
        if self._bands is None:
            prints = candidate.prints
            count = len(prints)
            for position, print_ in self._pairs:
                if position < count:
                    mine = prints[position]
                    if mine and (mine ^ print_).bit_count() <= PRINT_BITS:
                        return True
            return False
        for key in _band_keys(candidate):
            for other in self._bands.get(key, ()):
                if _close_prints(candidate, other):
                    return True
        return False
