"""Governance: what every domain app needs to act on people's content accountably.

Roles and permissions (`roles`), the append-only audit log (`audit`), review decisions
(`decisions`) and the notification inbox (`inbox`). It sits below every domain app: it
refers to their tables by name only and imports none of them.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "yaowen.governance"
    verbose_name = _("权限、日志与通知")
