"""Creator studio URLs."""

from django.urls import path

from yaowen.studio import views

app_name = "studio"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("standing/", views.standing, name="standing"),
    path("write/", views.article_new, name="new"),
    path("articles/<int:pk>/", views.article_edit, name="edit"),
    path("articles/<int:pk>/images/", views.image_add, name="image"),
    path("articles/<int:pk>/revisions/", views.revisions, name="revisions"),
]
