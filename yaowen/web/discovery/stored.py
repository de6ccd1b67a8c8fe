"""Generated share images kept in the media storage: drawn once, then found there by every
web server, whether the storage is a folder on this machine or a bucket shared by many."""

import hashlib
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from yaowen.web.discovery.cards import Text, drawn

# Part of every name: changing how images are drawn changes it, and they are drawn again.
DESIGN = "1"


def image_stored(*, folder: str, draw: Callable[..., bytes], texts: dict[str, Text]) -> str:
    """The storage name of the PNG `draw(**texts)` makes, drawn and saved only when no image
    of the same texts is stored yet (names are content-addressed, so never stale)."""
    key = "\x1f".join((DESIGN, *drawn(*texts.values())))
    name = f"{folder}/{hashlib.sha256(key.encode()).hexdigest()[:24]}.png"
    if default_storage.exists(name):
        return name
    return default_storage.save(name, ContentFile(draw(**texts)))
