"""Sensitive words: administrator-edited lists, compiled into one automaton per process."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WordfilterConfig(AppConfig):
    name = "yaowen.wordfilter"
    verbose_name = _("敏感词")

    def ready(self) -> None:
        from yaowen.wordfilter import signals  # noqa: F401 - connects the receivers
