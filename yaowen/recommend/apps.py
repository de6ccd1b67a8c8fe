"""The read side of recommendations: hot lists, related lists, channel headline blocks."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecommendConfig(AppConfig):
    name = "yaowen.recommend"
    verbose_name = _("推荐")
