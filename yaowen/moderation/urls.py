"""Review workspace URLs."""

from django.urls import path

from yaowen.moderation import views

app_name = "moderation"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("applications/<int:pk>/", views.application_review, name="application"),
    path("articles/<int:pk>/", views.article_review, name="article"),
    path("reports/<int:pk>/", views.report_decide, name="report"),
    path("pins/", views.pins, name="pins"),
    path("pins/<int:pk>/end/", views.pin_end, name="pin_end"),
]
