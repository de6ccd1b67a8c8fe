"""ArticleCard: the small, cacheable view of an article that every list on the site shows.

Cards are data; the card templates (`templates/jinja2/cards/`) draw them.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.db import connection
from django.db.models import Field, QuerySet
from django.utils.timezone import get_current_timezone

from yaowen.accounts.models import CreatorProfile
from yaowen.core.rows import converted_rows
from yaowen.core.urls import fast_reverse
from yaowen.newsroom.models import Article, Channel

# The layout of the cards' fields: part of the key of every cached value that holds cards,
# so that after a change of the fields an older pickle reads as a miss, never as a broken
# card. 2: cards are data only (the markup they used to carry now lives in the templates).
CARD_LAYOUT = 2


def cards_key(key: str) -> str:
    """The cache key `key` of a value that holds cards (or picks of them)."""
    return f"{key}:cards{CARD_LAYOUT}"


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
    """An article as a list item: enough to render a link, a thumbnail and a byline.

    URLs and the date label are resolved once, when the card is built (and cached), not on
    every render.
    """

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
    url: str
    author_url: str
    cover_url: str
    published_label: str

    def __reduce__(self):
        # Pages unpickle cached cards by the hundred; the dataclass default looks up the
        # fields again for every card (about 4x slower).
        return (ArticleCard, tuple(getattr(self, name) for name in ArticleCard.__slots__))


def cards_from(queryset: QuerySet) -> list[ArticleCard]:
    """Evaluate `queryset` (of Article) as cards, in one query with no model instances."""
    return [card for card, _extra in cards_with(queryset)]


def cards_with(queryset: QuerySet, *extra: str) -> list[tuple[ArticleCard, tuple]]:
    """Cards with the values of `extra` fields of the same rows (a join's rank, say)."""
    return cards_from_rows(queryset.values_list(*CARD_FIELDS, *extra))


def card_rows_sql(*, source: str, where: str, order: str, extra: str = "") -> str:
    """SQL for card rows: CARD_FIELDS' values of articles `a` (joined to their author `p`
    and channel `c`), then the `extra` columns. `source` is the FROM clause naming the
    article table `a` (it may join others first). Written once per list: compiling the
    joined queryset cost more than running it."""
    quote = connection.ops.quote_name
    return (
        "SELECT a.id, a.title, a.published_at, a.cover, a.cover_alt, a.comment_count,"
        f" a.author_id, p.display_name, c.slug, c.name{extra} FROM {source}"
        f" JOIN {quote(CreatorProfile._meta.db_table)} p ON p.id = a.author_id"
        f" JOIN {quote(Channel._meta.db_table)} c ON c.id = a.channel_id"
        f" WHERE {where} ORDER BY {order}"
    )


def cards_by_sql(
    sql: str, params: list, extra_fields: tuple[Field, ...] = ()
) -> list[tuple[ArticleCard, tuple]]:
    """Cards (with their extra columns) from `card_rows_sql`'s SQL."""
    fields = [None, None, Article._meta.get_field("published_at"), *[None] * 7, *extra_fields]
    return cards_from_rows(converted_rows(sql, params, fields))


def cards_from_rows(rows: Iterable[tuple]) -> list[tuple[ArticleCard, tuple]]:
    """Cards from rows holding CARD_FIELDS' values in order (datetimes converted), each
    with the rest of its row."""
    article_url = fast_reverse("web:article", [0]).removesuffix("0/")
    author_url = fast_reverse("web:author", [0]).removesuffix("0/")
    media_url = default_storage.url  # covers may be in a bucket: never MEDIA_URL + name
    zone = get_current_timezone()
    cards = []
    width = len(CARD_FIELDS)
    for values in rows:
        row = values[:width]
        card = ArticleCard(
            *row,
            url=f"{article_url}{row[0]}/",
            author_url=f"{author_url}{row[6]}/",
            cover_url=media_url(row[3]) if row[3] else "",
            published_label=row[2].astimezone(zone).strftime("%Y-%m-%d %H:%M") if row[2] else "",
        )
        cards.append((card, values[width:]))
    return cards
