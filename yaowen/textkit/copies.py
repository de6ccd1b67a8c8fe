"""Copy detection: character shingles, the anchors an index stores, containment, paragraphs.

A text is compared as its normalised characters (NFKC, lower-case, simplified) without
punctuation, symbols or whitespace, cut into overlapping 5-character shingles. Punctuation,
spacing, line breaks and traditional characters therefore change nothing, and a character
inserted or deleted breaks only the five shingles around it.

What an index stores is a *consistent sample* of those shingles, their anchors: the
shingles whose hash has its low ANCHOR_BITS bits zero (one in eight), of which an article
keeps the ANCHORS_KEPT smallest. Whether a shingle is an anchor depends on the shingle alone,
so a text holding a share c of an article's shingles holds about the same share c of its
kept anchors, whatever surrounds them: anchors follow containment, not resemblance. A 洗稿
that puts 60 % of an article inside as much new text shares about half of the article's
anchors, although its Jaccard resemblance to it is 0.1-0.2, where a MinHash band index can
no longer tell it from unrelated text at scale (bench/near_duplicates.py measures both).
Candidates sharing anchors are then checked exactly (`overlap`).
"""

import threading
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np

from yaowen.textkit.normalize import normalize

SHINGLE = 5
# One shingle in 2**ANCHOR_BITS is an anchor; an indexed article keeps at most ANCHORS_KEPT.
ANCHOR_BITS = 3
ANCHORS_KEPT = 32
# ... chosen among its ANCHOR_CHOICE smallest, skipping those too many articles hold.
ANCHOR_CHOICE = 4 * ANCHORS_KEPT
# A lookup sends at most this many anchors, the smallest: the kept anchors of any article
# it could contain are among them unless it is over ~16,000 characters long.
LOOKUP_ANCHORS = 2000
# A copy: at least MIN_SHARED_SHINGLES shingles in common (a long sentence: a shared phrase
# or sign-off in short texts is not a copy) and either MIN_SHARE of the earlier article's
# shingles found in the new text (a whole copy, or 60 % of it inside new text), or
# MIN_SHARE_OF_NEW of the new text's found in the earlier article (an excerpt). Chosen on
# edited copies of real articles (bench/near_duplicates.py, seed 18) and checked on another
# draw (seed 19): a floor of 60 shingles missed most copies of articles under 200
# characters (30 measured no better than 40 here, and lets a shared sentence count), and
# MIN_SHARE_OF_NEW at 0.4 or MIN_SHARE at 0.25 returned articles that merely share a
# passage.
MIN_SHARED_SHINGLES = 40
MIN_SHARE = 0.3
MIN_SHARE_OF_NEW = 0.5
# A paragraph matches another when this share of its shingles (and at least
# MIN_PARAGRAPH_SHINGLES) is found there.
PARAGRAPH_SHARE = 0.3
MIN_PARAGRAPH_SHINGLES = 15

_EMPTY = np.empty(0, dtype=np.uint64)
# The polynomial hash's multiplier and MurmurHash3's fmix64 constants.
_BASE = np.uint64(0x100000001B3)
_MIX1 = np.uint64(0xFF51AFD7ED558CCD)
_MIX2 = np.uint64(0xC4CEB9FE1A85EC53)
_S33 = np.uint64(33)
_ANCHOR_MASK = np.uint64((1 << ANCHOR_BITS) - 1)

_lock = threading.Lock()
_word_table: np.ndarray | None = None


def _words() -> np.ndarray:
    """True at each code point of the Basic Multilingual Plane that is a letter or a digit
    (what `str.isalnum` says); characters beyond it are kept. Built once, on first use."""
    global _word_table
    if _word_table is None:
        with _lock:
            if _word_table is None:
                table = np.ones(0x110000, dtype=bool)
                table[:0x10000] = [chr(code).isalnum() for code in range(0x10000)]
                _word_table = table
    return _word_table


def _codes(text: str) -> np.ndarray:
    # A lone surrogate (from a broken JSON escape) passes here and is dropped as no letter.
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    return codes[_words()[codes]]


def characters(text: str) -> np.ndarray:
    """The text's letters and digits as code points (uint32), normalised: what is shingled.

    Punctuation and spaces go first, so the normalisation mostly meets text that is
    already in NFKC form and passes it at once (on a whole news text NFKC costs 0.6 ms
    per 2,000 characters); what it makes of the rest (① → 1) is filtered once more."""
    words = _codes(text).tobytes().decode("utf-32-le")
    return _codes(normalize(words))


def shingles(codes: np.ndarray, size: int = SHINGLE) -> np.ndarray:
    """The distinct 64-bit hashes of the `size`-character shingles, sorted (uint64).

    Vectorised: the code points are combined by a polynomial over 2**64 and finalised
    with MurmurHash3's mixer, the same in every process."""
    count = len(codes) - size + 1
    if count <= 0:
        return _EMPTY
    wide = codes.astype(np.uint64)
    hashes = wide[:count].copy()
    for offset in range(1, size):
        hashes *= _BASE
        hashes += wide[offset : offset + count]
    hashes ^= hashes >> _S33
    hashes *= _MIX1
    hashes ^= hashes >> _S33
    hashes *= _MIX2
    hashes ^= hashes >> _S33
    # Sorted and deduplicated by hand: np.unique hashes its input, four times slower here.
    hashes.sort()
    return hashes[np.concatenate(([True], hashes[1:] != hashes[:-1]))]


@dataclass(frozen=True)
class Sketch:
    """A text as copy detection sees it: its shingles and their anchors (both sorted)."""

    shingles: np.ndarray
    anchors: np.ndarray

    @property
    def comparable(self) -> bool:
        """Long enough to be called a copy of anything, or to have copies."""
        return len(self.shingles) >= MIN_SHARED_SHINGLES

    def lookup_anchors(self) -> np.ndarray:
        return self.anchors[:LOOKUP_ANCHORS]

    def candidate_anchors(self) -> np.ndarray:
        """The anchors `kept_anchors` chooses among: the ANCHOR_CHOICE smallest."""
        return self.anchors[:ANCHOR_CHOICE]

    def kept_anchors(self, *, common: Collection[int] = ()) -> np.ndarray:
        """What an index stores for this text: its ANCHORS_KEPT smallest anchors that are
        not `common` (signed values of anchors too many articles already hold), chosen
        among its ANCHOR_CHOICE smallest: a text most of whose anchors are common keeps
        fewer, being mostly boilerplate itself."""
        anchors = self.candidate_anchors()
        if common:
            skip = np.fromiter(common, dtype=np.int64, count=len(common))
            anchors = anchors[~np.isin(anchors.view(np.int64), skip)]
        return anchors[:ANCHORS_KEPT]


def sketch(text: str) -> Sketch:
    """The shingles and anchors of a plain text (Markdown already reduced to prose)."""
    hashes = shingles(characters(text))
    return Sketch(hashes, hashes[(hashes & _ANCHOR_MASK) == 0])


def to_signed(values: np.ndarray) -> list[int]:
    """uint64 hashes as Python ints in a signed BIGINT column's range."""
    return values.view(np.int64).tolist()


@dataclass(frozen=True)
class Overlap:
    shared: int  # shingles in both texts
    of_earlier: float  # share of the earlier article's shingles found in the new text
    of_new: float  # share of the new text's shingles found in the earlier article

    @property
    def is_copy(self) -> bool:
        return self.shared >= MIN_SHARED_SHINGLES and (
            self.of_earlier >= MIN_SHARE or self.of_new >= MIN_SHARE_OF_NEW
        )

    @property
    def percent(self) -> int:
        """The larger share, in whole percent: what an editor is shown."""
        return round(100 * max(self.of_earlier, self.of_new))


def overlap(new: Sketch | np.ndarray, earlier: Sketch | np.ndarray) -> Overlap:
    """How much of each other two texts hold (sketches or their shingle arrays)."""
    a = new.shingles if isinstance(new, Sketch) else new
    b = earlier.shingles if isinstance(earlier, Sketch) else earlier
    if not len(a) or not len(b):
        return Overlap(0, 0.0, 0.0)
    shared = len(np.intersect1d(a, b, assume_unique=True))
    return Overlap(shared, shared / len(b), shared / len(a))


@dataclass(frozen=True)
class ParagraphMatch:
    paragraph: int  # index among the new text's paragraphs
    source: int  # index among the earlier article's paragraphs
    share: float  # of the paragraph's shingles found in the source paragraph


def paragraph_matches(new: Sequence[str], earlier: Sequence[str]) -> list[ParagraphMatch]:
    """Which paragraphs of a new text come from which paragraphs of an earlier one.

    Each paragraph of `new` is compared with every paragraph of `earlier`; a pair is kept
    when PARAGRAPH_SHARE of the new paragraph's shingles are in the earlier one. In order
    of `new`'s paragraphs, each one's sources strongest first."""
    theirs = [shingles(characters(text)) for text in earlier]
    found = []
    for index, text in enumerate(new):
        mine = shingles(characters(text))
        if len(mine) < MIN_PARAGRAPH_SHINGLES:
            continue
        row = []
        for source, other in enumerate(theirs):
            if not len(other):
                continue
            shared = len(np.intersect1d(mine, other, assume_unique=True))
            share = shared / len(mine)
            if shared >= MIN_PARAGRAPH_SHINGLES and share >= PARAGRAPH_SHARE:
                row.append(ParagraphMatch(index, source, share))
        found.extend(sorted(row, key=lambda match: -match.share))
    return found
