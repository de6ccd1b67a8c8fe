"""The reader's site: thin views over the domain apps."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "yaowen.web"
    verbose_name = _("读者站点")
