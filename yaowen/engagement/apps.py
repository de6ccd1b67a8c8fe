"""Reader engagement: comments (跟帖) and likes."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngagementConfig(AppConfig):
    name = "yaowen.engagement"
    verbose_name = _("互动")
