"""Shared building blocks: base model, errors, caching helpers, site context."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "yaowen.core"
    verbose_name = "Core"
