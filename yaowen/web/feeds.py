"""Atom and RSS feeds of the latest 50 articles: the whole site, each channel, each author.

What creators write reaches feed readers as text. Readers take an RSS title or description,
and an Atom summary (`type="html"`), as HTML: those carry the text HTML-escaped, so a
summary written as markup shows as the characters typed and never runs. Atom titles and
subtitles are text already (no type attribute) and are sent as they are.
"""

import html

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, SyndicationFeed
from django.utils.html import escape, strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from yaowen.accounts.models import CreatorProfile
from yaowen.accounts.selectors import creator_get
from yaowen.newsroom.models import Article, Channel
from yaowen.newsroom.selectors import article_list_by_author, article_list_latest, channel_get

FEED_SIZE = 50
SUMMARY_CHARS = 120


class ArticleFeed(Feed):
    """What every feed shares: the items' fields. Subclasses give the object and its articles.

    The format is chosen per URL (`ArticleFeed(Rss201rev2Feed)`), so one class serves both.
    """

    language = "zh-cn"

    def __init__(self, feed_type: type[SyndicationFeed] = Atom1Feed):
        self.feed_type = feed_type

    def articles(self, obj) -> QuerySet[Article]:
        raise NotImplementedError

    def text(self, value: str) -> str:
        """`value` for an element the feed's readers take as HTML unless it is Atom's text."""
        return value if issubclass(self.feed_type, Atom1Feed) else escape(value)

    def items(self, obj) -> QuerySet[Article]:
        # One query: each item names its author and channel.
        return (
            self.articles(obj)
            .select_related("author", "channel")
            .defer("body_source", "tags", "rejection_reason", "removed_reason")[:FEED_SIZE]
        )

    def description(self, obj) -> str:
        return _("要闻：自媒体新闻平台，创作者入驻发布，读者阅读、跟帖与分享。")

    def subtitle(self, obj) -> str:
        return self.description(obj)

    def item_title(self, article: Article) -> str:
        return self.text(article.title)

    def item_description(self, article: Article) -> str:
        # The body's text, not its markup: entities the sanitiser wrote are decoded first,
        # or "&lt;script&gt;" would reach the reader as a tag.
        text = html.unescape(strip_tags(article.body_html)).strip()
        summary = article.summary or Truncator(text).chars(SUMMARY_CHARS)
        # Escaped in both formats: an Atom summary is type="html".
        return escape(summary)

    def item_pubdate(self, article: Article):
        return article.published_at

    def item_updateddate(self, article: Article):
        return article.updated_at

    def item_author_name(self, article: Article) -> str:
        return article.author.display_name

    def item_categories(self, article: Article) -> tuple[str, ...]:
        return (article.channel.name,)


class SiteFeed(ArticleFeed):
    def title(self) -> str:
        return self.text(settings.SITE_NAME)

    def link(self) -> str:
        return reverse("web:home")

    def articles(self, obj) -> QuerySet[Article]:
        return article_list_latest()


class ChannelFeed(ArticleFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Channel:
        channel = channel_get(slug)
        if channel is None:
            raise Http404
        return channel

    def title(self, channel: Channel) -> str:
        return self.text(f"{channel.name} - {settings.SITE_NAME}")

    def link(self, channel: Channel) -> str:
        return channel.get_absolute_url()

    def description(self, channel: Channel) -> str:
        return self.text(_("%(name)s频道的最新文章") % {"name": channel.name})

    def articles(self, channel: Channel) -> QuerySet[Article]:
        return article_list_latest(channel=channel)


class AuthorFeed(ArticleFeed):
    def get_object(self, request: HttpRequest, pk: int) -> CreatorProfile:
        creator = creator_get(pk)
        if creator is None:
            raise Http404
        return creator

    def title(self, creator: CreatorProfile) -> str:
        return self.text(_("%(name)s - 要闻号") % {"name": creator.display_name})

    def link(self, creator: CreatorProfile) -> str:
        return creator.get_absolute_url()

    def description(self, creator: CreatorProfile) -> str:
        return self.text(creator.bio or _("%(name)s的最新文章") % {"name": creator.display_name})

    def articles(self, creator: CreatorProfile) -> QuerySet[Article]:
        return article_list_by_author(author_id=creator.pk)
