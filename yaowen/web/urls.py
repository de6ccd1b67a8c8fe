"""Reader URLs: articles by stable numeric id, channels by ASCII slug."""

from django.urls import path
from django.utils.feedgenerator import Rss201rev2Feed

from yaowen.web import actions, care, personal, views
from yaowen.web.discovery import views as discovery
from yaowen.web.feeds import AuthorFeed, ChannelFeed, SiteFeed

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("latest/", views.latest, name="latest"),
    path("feed/", personal.feed, name="feed"),
    path("feed/hide/", personal.hide, name="feed_hide"),
    path("feed/channels/", personal.pick_channels, name="feed_channels"),
    path("a/<int:pk>/", views.article, name="article"),
    path("a/<int:pk>/qr.svg", views.article_qr, name="article_qr"),
    path("a/<int:pk>/share.png", discovery.article_share_image, name="article_share_image"),
    path("a/<int:pk>/like/", actions.like, name="like"),
    path("a/<int:pk>/share/", actions.share_beacon, name="share_beacon"),
    path("a/<int:pk>/share/<str:target>/", actions.share_out, name="share_out"),
    path("a/<int:pk>/report/", actions.report, name="report"),
    path("inbox/", views.inbox, name="inbox"),
    path("c/<slug:slug>/", views.channel, name="channel"),
    path("c/<slug:slug>/feed.xml", ChannelFeed(), name="channel_atom"),
    path("c/<slug:slug>/rss.xml", ChannelFeed(Rss201rev2Feed), name="channel_rss"),
    path("hao/", views.creators, name="creators"),
    path("u/<int:pk>/", views.author, name="author"),
    path("u/<int:pk>/follow/", views.follow, name="follow"),
    path("u/<int:pk>/feed/", AuthorFeed(), name="author_feed"),
    path("u/<int:pk>/rss.xml", AuthorFeed(Rss201rev2Feed), name="author_rss"),
    path("feed.xml", SiteFeed(), name="site_atom"),
    path("rss.xml", SiteFeed(Rss201rev2Feed), name="site_rss"),
    path("robots.txt", discovery.robots_txt, name="robots"),
    path("sitemap.xml", discovery.sitemap_index, name="sitemap_index"),
    path("sitemaps/articles-<int:page>.xml", discovery.sitemap_articles, name="sitemap_articles"),
    path("sitemaps/pages.xml", discovery.sitemap_pages, name="sitemap_pages"),
    path("sitemaps/news.xml", discovery.sitemap_news, name="sitemap_news"),
    path("share.png", discovery.site_share_image, name="site_share_image"),
    path("logo.png", discovery.site_logo, name="site_logo"),
    path("care/<str:state>/", care.care_mode, name="care"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("join/", views.join, name="join"),
    path("terms/", views.terms, name="terms"),
]
