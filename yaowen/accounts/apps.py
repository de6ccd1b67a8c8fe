"""Users, creator profiles and follows."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "yaowen.accounts"
    verbose_name = _("账号")
