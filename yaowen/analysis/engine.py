"""The process's text engine: one tokenizer with the platform's words, one classifier.

The tokenizer is shared by indexing, querying, keywords and fingerprints. Its dictionary
holds the channel names, the active creators' names and the `DictionaryWord` entries;
saving any of them bumps a version in the cache, and each process reloads its words when
it sees a newer version (checked at most every `RELOAD_CHECK_SECONDS`). Words can be
added to a running segmenter but not removed: a deleted word stays until a restart.
"""

import secrets
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache

from yaowen.textkit.tokenize import Tokenizer

if TYPE_CHECKING:
    from yaowen.textkit.classifier import ChannelClassifier

DICTIONARY_VERSION_KEY = "analysis:dictionary-version"
RELOAD_CHECK_SECONDS = 10.0

_lock = threading.Lock()
_tokenizer: Tokenizer | None = None
_loaded_version: str | int | None = None
_checked_at = 0.0

_classifier: "ChannelClassifier | None" = None
_classifier_stamp: tuple[Path, float] | None = None


def platform_words() -> list[str]:
    """Channel names, active creator names and the platform's own dictionary words."""
    from yaowen.accounts.models import CreatorProfile
    from yaowen.analysis.models import DictionaryWord
    from yaowen.newsroom.models import Channel

    words = list(Channel.objects.values_list("name", flat=True))
    words += CreatorProfile.objects.filter(status=CreatorProfile.Status.ACTIVE).values_list(
        "display_name", flat=True
    )
    words += DictionaryWord.objects.values_list("word", flat=True)
    return words


def dictionary_changed() -> None:
    """Tell every process to load the dictionary again."""
    # A new random version rather than a counter: a counter restarted by a cleared or
    # culled cache could come back to the number a process already holds.
    cache.set(DICTIONARY_VERSION_KEY, secrets.token_hex(8), None)


def tokenizer() -> Tokenizer:
    """The shared tokenizer, with the platform's current words added."""
    global _tokenizer, _loaded_version, _checked_at
    now = time.monotonic()
    if _tokenizer is not None and now - _checked_at < RELOAD_CHECK_SECONDS:
        return _tokenizer
    with _lock:
        version = cache.get(DICTIONARY_VERSION_KEY, 0)
        if _tokenizer is None:
            _tokenizer = Tokenizer(user_words=platform_words())
        elif version != _loaded_version:
            _tokenizer.add_words(platform_words())
        _loaded_version = version
        _checked_at = now
        return _tokenizer


def reset() -> None:
    """Forget the loaded tokenizer and classifier (tests, and after retraining)."""
    global _tokenizer, _loaded_version, _classifier, _classifier_stamp
    with _lock:
        _tokenizer = None
        _loaded_version = None
        _classifier = None
        _classifier_stamp = None


def classifier_path() -> Path:
    return Path(settings.CLASSIFIER_PATH)


def classifier() -> "ChannelClassifier | None":
    """The trained channel classifier, reloaded when its file changes; None if untrained."""
    global _classifier, _classifier_stamp
    path = classifier_path()
    try:
        stamp = (path, path.stat().st_mtime)
    except OSError:
        return None
    if _classifier is None or stamp != _classifier_stamp:
        # Imported here: the model needs numpy, which a process that classifies nothing
        # (a manage.py command, a worker that only reads) never loads.
        from yaowen.textkit.classifier import ChannelClassifier

        with _lock:
            try:
                _classifier = ChannelClassifier.load(path)
            except (OSError, ValueError):
                return None
            _classifier_stamp = stamp
    return _classifier
