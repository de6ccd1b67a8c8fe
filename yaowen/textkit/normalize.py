"""Text normalisation shared by indexing, querying, keywords and fingerprints."""

import re
import threading
import unicodedata

import opencc

# Converter choice (measured on composer news text, see bench/textkit.py): the `opencc` wheel
# (C++ core, bundled "t2s" config, no network) converts ~60 MB/s; the pure-Python
# `opencc-python-reimplemented` ~1.2 MB/s with identical output on our samples. Both packages
# install as the module `opencc`, so only `opencc` may be declared.
_T2S_CONFIG = "t2s"

# Invisible characters that split words without showing: zero-width space/joiners, word
# joiner, BOM and soft hyphen. Surrogates cannot be encoded and would make OpenCC raise.
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u2060-\u2064\ufeff\ud800-\udfff]")
# Other control characters become spaces, so they still separate the words around them.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

_lock = threading.Lock()
_converter: opencc.OpenCC | None = None


def _t2s() -> opencc.OpenCC:
    global _converter
    if _converter is None:
        with _lock:
            if _converter is None:
                _converter = opencc.OpenCC(_T2S_CONFIG)
    return _converter


def normalize(text: str) -> str:
    """NFKC (full-width to half-width), lower-case, traditional to simplified, no invisibles."""
    if not text:
        return ""
    text = _INVISIBLE.sub("", text)
    text = unicodedata.normalize("NFKC", text)
    # NFKC can produce new invisibles from compatibility forms; strip them again cheaply.
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub(" ", text).lower()
    return _t2s().convert(text)
