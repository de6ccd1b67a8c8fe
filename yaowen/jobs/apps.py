"""Background work: the task queue, domain events and their deliveries, periodic jobs."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "yaowen.jobs"
    verbose_name = _("后台任务")
