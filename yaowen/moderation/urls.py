"""Moderation workspace URLs (under /review/)."""

from django.urls import path

from yaowen.moderation import views

app_name = "moderation"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("applications/<int:pk>/", views.application_review, name="application"),
    path("articles/<int:pk>/", views.article_review, name="article"),
    path("appeals/<int:pk>/", views.appeal_review, name="appeal"),
    path("comments/<int:pk>/", views.comment_review, name="comment"),
    path("comments/hide/", views.comments_hide_view, name="comments_hide"),
    path("reports/<int:pk>/", views.report_decide, name="report"),
    path("audit/", views.audit_log, name="audit"),
    path("audit/export.csv", views.audit_export, name="audit_export"),
    path("pins/", views.pins, name="pins"),
    path("pins/<int:pk>/end/", views.pin_end, name="pin_end"),
]
