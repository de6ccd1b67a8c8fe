"""The public pages an article appears on: what the page cache forgets when it changes.

One list for every hook (publish, edit, takedown, import), so they cannot drift apart.
Feeds and sitemaps are named by URL string: the cache keys them by path, whether or not
the URL exists yet. What an article shows through hot lists, headline blocks and other
articles' related lists is not listed: those parts are up to PAGE_TTL seconds old.
"""

from collections.abc import Iterable

from django.db import transaction
from django.urls import reverse

from yaowen.core.cache import invalidate
from yaowen.core.pagecache import pages_purge
from yaowen.jobs.events import announce
from yaowen.newsroom.models import Article, Channel
from yaowen.newsroom.selectors import CHANNELS_KEY

SITE_PAGES = ("/feed.xml", "/rss.xml", "/sitemap.xml", "/sitemaps/news.xml")


def channel_pages(channel: Channel) -> list[str]:
    """A channel's page and its feeds."""
    base = channel.get_absolute_url()
    return [base, f"{base}feed.xml", f"{base}rss.xml"]


def author_pages(author_id: int) -> list[str]:
    """A creator's page and their feeds."""
    base = reverse("web:author", args=[author_id])
    return [base, f"{base}feed/", f"{base}rss.xml"]


def article_pages(article: Article, *, channels: Iterable[Channel] = ()) -> list[str]:
    """Every page listing or showing `article`: itself, its author's and channel's pages
    (and `channels` it has just left), home, latest, the feeds and the sitemaps."""
    paths = [
        article.get_absolute_url(),
        reverse("web:home"),
        reverse("web:latest"),
        *SITE_PAGES,
        *author_pages(article.author_id),
    ]
    for channel in {article.channel, *channels}:
        paths.extend(channel_pages(channel))
    return list(dict.fromkeys(paths))


def comment_pages(article_id: int) -> list[str]:
    """A comment changes its article's page; the comment counts on list pages are left
    to expire (PAGE_TTL), so busy threads do not keep emptying home and channel pages."""
    return [reverse("web:article", args=[article_id])]


def channels_changed() -> None:
    """A channel was added, edited, reordered or removed: every page shows the channel
    navigation, so the cached channel list and every page go (and, when recommend hears
    of it, the headline blocks)."""
    invalidate(CHANNELS_KEY)
    announce("channels.changed")
    transaction.on_commit(pages_purge)
