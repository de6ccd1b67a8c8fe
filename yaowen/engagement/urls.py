"""Comment actions (跟帖): post or reply, like, delete; the list lives on the article page."""

from django.urls import path

from yaowen.engagement import views

app_name = "engagement"

urlpatterns = [
    path("a/<int:article_id>/comments/", views.comment_create, name="comment_create"),
    path("c/<int:pk>/like/", views.comment_like, name="comment_like"),
    path("c/<int:pk>/delete/", views.comment_delete, name="comment_delete"),
]
