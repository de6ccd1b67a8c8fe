"""Appeal pages: the affected person appeals a moderation action once."""

from django.urls import path

from yaowen.moderation import appeal_views

app_name = "appeals"

urlpatterns = [
    path("", appeal_views.mine, name="mine"),
    path("<int:entry_id>/", appeal_views.appeal, name="create"),
]
