"""Chinese word segmentation for the search index, keywords and fingerprints."""

import re
import threading
import unicodedata
from collections.abc import Iterable
from functools import cache, lru_cache
from importlib import resources

from yaowen.textkit.normalize import normalize

ENGINES = ("jieba", "rjieba")

# Characters a token may start or end with that carry no meaning on their own: jieba keeps
# "._-&#+%" inside its alphanumeric runs, so "-5g." would otherwise differ from "5g".
_EDGE_JUNK = ".-_&"
# Raw segments remembered per tokenizer with what they become (`Tokenizer.tokens`); the
# memory is emptied when it grows past this many.
_KEPT_MAX = 200_000


@cache
def _bundled_stopwords() -> frozenset[str]:
    text = resources.files("yaowen.textkit").joinpath("data/stopwords.txt").read_text("utf-8")
    words = (line.strip() for line in text.splitlines() if not line.startswith("# "))
    return frozenset(normalize(word) for word in words if word)


@lru_cache(maxsize=65536)
def _is_noise(token: str) -> bool:
    """True for tokens made only of punctuation, symbols, separators or control characters."""
    return all(unicodedata.category(char)[0] in "PSZC" for char in token)


@cache
def _compatibility_forms() -> tuple[dict[str, str], re.Pattern[str]]:
    """Each Basic Multilingual Plane character that NFKC changes on its own, with its
    compatibility decomposition (NFKD): full-width letters, digits and punctuation, the
    ideographic space, the ellipsis, the no-break space and the like; and a pattern that
    finds them. Built on first use (15 ms), not on import.

    Only characters with a decomposition can change (asking the others halves the time);
    one left out would only be normalised the slow way."""
    forms = {}
    for code in range(0x10000):
        if 0xD800 <= code < 0xE000:
            continue
        char = chr(code)
        if unicodedata.decomposition(char) and not unicodedata.is_normalized("NFKC", char):
            forms[char] = unicodedata.normalize("NFKD", char)
    return forms, re.compile("[" + "".join(map(re.escape, forms)) + "]")


def unfold_forms(text: str) -> str:
    """`text` with each character that NFKC changes on its own replaced by its NFKD form:
    NFKC, and so `normalize`, gives the same result for it as for `text`, faster.

    One "，" sends Python's NFKC down its slow path for the whole string (0.27 ms for a
    2,000-character news text, a third of segmenting it); with no such character left,
    its quick check passes the text at once. Replacing a character by its NFKD form
    leaves the text's NFKD, hence its NFKC, unchanged."""
    forms, pattern = _compatibility_forms()
    return pattern.sub(lambda match: forms[match.group()], text)


class _JiebaEngine:
    def __init__(self) -> None:
        import jieba

        self._jieba = jieba.Tokenizer()
        # Build the prefix dictionary now, quietly, instead of on the first cut.
        jieba.setLogLevel(60)
        self._jieba.initialize()

    def add_word(self, word: str) -> None:
        self._jieba.add_word(word)

    def cut(self, text: str) -> list[str]:
        return self._jieba.lcut(text, HMM=True)


class _RjiebaEngine:
    def __init__(self) -> None:
        import rjieba

        self._jieba = rjieba.Jieba()

    def add_word(self, word: str) -> None:
        self._jieba.add_word(word, None, None)

    def cut(self, text: str) -> list[str]:
        return self._jieba.cut(text, True)


class Tokenizer:
    """Normalise, segment and filter Chinese text; indexing and querying share one pipeline.

    Both engines use jieba's dictionary and gave identical tokens on composer articles;
    rjieba (Rust) segments ~20x faster than jieba (bench/textkit.py), so it is the default.
    """

    def __init__(
        self,
        *,
        user_words: Iterable[str] = (),
        stopwords: Iterable[str] | None = None,
        engine: str = "rjieba",
    ) -> None:
        if engine not in ENGINES:
            raise ValueError(f"unknown engine {engine!r}; expected one of: {', '.join(ENGINES)}")
        self.engine = engine
        self._engine = _JiebaEngine() if engine == "jieba" else _RjiebaEngine()
        self._lock = threading.Lock()
        self.stopwords = (
            _bundled_stopwords()
            if stopwords is None
            else frozenset(normalize(word).strip() for word in stopwords)
        )
        # raw segment -> the token it gives, "" for none: news repeats most of its words,
        # and a dictionary lookup costs less than stripping and classifying each again.
        # Valid for these stopwords only.
        self._kept: dict[str, str] = {}
        self._kept_for = self.stopwords
        self.add_words(user_words)

    def add_words(self, words: Iterable[str]) -> None:
        """Keep these words (channel names, creator names, platform terms) whole."""
        # Words are normalised like the text they must match, so "國際頻道" finds "国际频道".
        # A word with inner spaces can never come out of the segmenter whole; skip it.
        cleaned = {normalize(word).strip() for word in words}
        with self._lock:
            for word in sorted(cleaned):
                if word and not any(char.isspace() for char in word):
                    self._engine.add_word(word)

    def tokens(self, text: str) -> list[str]:
        """Tokens to index: normalised words without stopwords, punctuation or whitespace."""
        if not text:
            return []
        kept = self._kept
        if len(kept) > _KEPT_MAX or self._kept_for is not self.stopwords:
            kept.clear()
            self._kept_for = self.stopwords
        out: list[str] = []
        for raw in self._engine.cut(normalize(unfold_forms(text))):
            token = kept.get(raw)
            if token is None:
                token = kept[raw] = self._token(raw)
            if token:
                out.append(token)
        return out

    def _token(self, raw: str) -> str:
        """What one segment gives: the token, or "" for a stopword, punctuation or space."""
        token = raw.strip().strip(_EDGE_JUNK)
        if not token or token in self.stopwords or _is_noise(token):
            return ""
        return token

    def query_tokens(self, text: str) -> list[str]:
        """Tokens to search for; the same pipeline as `tokens`, so indexed text matches itself."""
        return self.tokens(text)


_CHINESE_WORD = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]{2,}")


def subword_grams(tokens: Iterable[str]) -> list[str]:
    """The characters and two-character pieces inside longer Chinese words.

    Indexed beside the words so that one- and two-character queries still match inside
    longer words: 猫 and 熊猫 both find 大熊猫. Each gram is listed once per distinct word
    holding it: a word said ten times does not make its characters ten times as relevant,
    and the index stays about a third smaller.
    """
    grams: list[str] = []
    for token in dict.fromkeys(tokens):
        grams.extend(_grams(token))
    return grams


@lru_cache(maxsize=131072)
def _grams(token: str) -> tuple[str, ...]:
    """One word's grams for `subword_grams`, worked out once per process."""
    if len(token) < 2 or not _CHINESE_WORD.fullmatch(token):
        return ()
    grams = tuple(dict.fromkeys(token))
    if len(token) > 2:
        grams += tuple(dict.fromkeys(token[i : i + 2] for i in range(len(token) - 1)))
    return grams


_default: Tokenizer | None = None
_default_lock = threading.Lock()


def default_tokenizer() -> Tokenizer:
    """The process-wide tokenizer (rjieba, bundled stopwords), built on first use."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = Tokenizer()
    return _default
