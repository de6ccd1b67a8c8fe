"""Reader URLs: articles by stable numeric id, channels by ASCII slug."""

from django.urls import path

from yaowen.web import actions, care, personal, views
from yaowen.web.feeds import AuthorFeed

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("latest/", views.latest, name="latest"),
    path("feed/", personal.feed, name="feed"),
    path("feed/hide/", personal.hide, name="feed_hide"),
    path("feed/channels/", personal.pick_channels, name="feed_channels"),
    path("a/<int:pk>/", views.article, name="article"),
    path("a/<int:pk>/qr.svg", views.article_qr, name="article_qr"),
    path("a/<int:pk>/like/", actions.like, name="like"),
    path("a/<int:pk>/share/", actions.share_beacon, name="share_beacon"),
    path("a/<int:pk>/share/<str:target>/", actions.share_out, name="share_out"),
    path("a/<int:pk>/report/", actions.report, name="report"),
    path("inbox/", views.inbox, name="inbox"),
    path("c/<slug:slug>/", views.channel, name="channel"),
    path("hao/", views.creators, name="creators"),
    path("u/<int:pk>/", views.author, name="author"),
    path("u/<int:pk>/follow/", views.follow, name="follow"),
    path("u/<int:pk>/feed/", AuthorFeed(), name="author_feed"),
    path("care/<str:state>/", care.care_mode, name="care"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("join/", views.join, name="join"),
]
