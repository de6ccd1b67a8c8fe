"""Channels, articles, references and the publishing workflow."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsroomConfig(AppConfig):
    name = "yaowen.newsroom"
    verbose_name = _("内容")
