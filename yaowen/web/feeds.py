"""Atom feeds: each author's latest 50 articles."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from yaowen.accounts.models import CreatorProfile
from yaowen.accounts.selectors import creator_get
from yaowen.newsroom.models import Article
from yaowen.newsroom.selectors import article_list_by_author

FEED_SIZE = 50


class AuthorFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, pk: int) -> CreatorProfile:
        creator = creator_get(pk)
        if creator is None:
            raise Http404
        return creator

    def title(self, creator: CreatorProfile) -> str:
        return _("%(name)s - 要闻号") % {"name": creator.display_name}

    def link(self, creator: CreatorProfile) -> str:
        return creator.get_absolute_url()

    def subtitle(self, creator: CreatorProfile) -> str:
        return creator.bio

    def items(self, creator: CreatorProfile):
        return article_list_by_author(author_id=creator.pk).select_related("author")[:FEED_SIZE]

    def item_title(self, article: Article) -> str:
        return article.title

    def item_description(self, article: Article) -> str:
        return article.summary

    def item_pubdate(self, article: Article):
        return article.published_at

    def item_updateddate(self, article: Article):
        return article.updated_at

    def item_author_name(self, article: Article) -> str:
        return article.author.display_name
