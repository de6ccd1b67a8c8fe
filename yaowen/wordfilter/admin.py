"""The lists in the Django admin, read-only: edits go through /review/words/, which audits
them."""

from django.contrib import admin

from yaowen.wordfilter.models import SensitiveWord


@admin.register(SensitiveWord)
class SensitiveWordAdmin(admin.ModelAdmin):
    list_display = ("word", "category", "action", "note", "created_by", "created_at")
    list_filter = ("category", "action")
    search_fields = ("word", "key", "note")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
