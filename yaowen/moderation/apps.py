"""Moderation: review queues for applications and articles, and the record of decisions."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "yaowen.moderation"
    verbose_name = _("审核")
