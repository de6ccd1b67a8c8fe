"""Creator standing (创作者指数): violations, the score and its parts, trust levels."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StandingConfig(AppConfig):
    name = "yaowen.standing"
    verbose_name = _("创作者指数")
