"""The creator studio: writing, revisions, images and submission, over newsroom services."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudioConfig(AppConfig):
    name = "yaowen.studio"
    verbose_name = _("创作者中心")
