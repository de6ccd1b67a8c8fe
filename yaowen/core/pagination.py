"""Pagination that never raises on a bad ?page= value."""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

DEFAULT_PAGE_SIZE = 20


def paginate(queryset: QuerySet, page: str | None, *, per_page: int = DEFAULT_PAGE_SIZE) -> Page:
    """The requested page; a missing, non-numeric or out-of-range page gives the nearest one."""
    return Paginator(queryset, per_page).get_page(page)
