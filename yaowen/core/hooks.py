"""Synchronous questions a lower app asks a higher one, answered by functions named in
settings.HOOKS: the lower app calls `hook(name)` and never imports the higher app."""

from collections.abc import Callable

from django.conf import settings
from django.utils.module_loading import import_string


def hook(name: str) -> Callable:
    """The function settings.HOOKS names for `name`."""
    return import_string(settings.HOOKS[name])
