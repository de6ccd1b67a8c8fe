"""ArticleCard: the small, cacheable view of an article that every list on the site shows."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse

CARD_FIELDS = (
    "id",
    "title",
    "published_at",
    "cover",
    "cover_alt",
    "comment_count",
    "author_id",
    "author__display_name",
    "channel__slug",
    "channel__name",
)


@dataclass(frozen=True, slots=True)
class ArticleCard:
    """An article as a list item: enough to render a link, a thumbnail and a byline."""

    id: int
    title: str
    published_at: dt.datetime
    cover: str
    cover_alt: str
    comment_count: int
    author_id: int
    author_name: str
    channel_slug: str
    channel_name: str

    @property
    def url(self) -> str:
        return reverse("web:article", args=[self.id])

    @property
    def author_url(self) -> str:
        return reverse("web:author", args=[self.author_id])

    @property
    def cover_url(self) -> str:
        return f"{settings.MEDIA_URL}{self.cover}" if self.cover else ""


def cards_from(queryset: QuerySet) -> list[ArticleCard]:
    """Evaluate `queryset` (of Article) as cards, in one query with no model instances."""
    return [ArticleCard(*row) for row in queryset.values_list(*CARD_FIELDS)]
