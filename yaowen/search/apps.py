"""Search: SQLite FTS5 on the default, a tsvector with a GIN index on PostgreSQL."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "yaowen.search"
    verbose_name = _("搜索")
