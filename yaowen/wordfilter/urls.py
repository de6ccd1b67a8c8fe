"""Sensitive-word list pages, for administrators."""

from django.urls import path

from yaowen.wordfilter import views

app_name = "wordfilter"

urlpatterns = [
    path("", views.word_index, name="index"),
    path("add/", views.word_add, name="add"),
    path("<int:pk>/edit/", views.word_edit, name="edit"),
    path("<int:pk>/delete/", views.word_remove, name="delete"),
    path("import/", views.word_import, name="import"),
    path("export.csv", views.word_export, name="export"),
    path("check/", views.word_check, name="check"),
]
