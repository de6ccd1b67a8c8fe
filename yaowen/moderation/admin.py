"""Decisions are visible to administrators and never editable."""

from django.contrib import admin

from yaowen.moderation.models import ReviewDecision


@admin.register(ReviewDecision)
class ReviewDecisionAdmin(admin.ModelAdmin):
    list_display = ("subject", "object_id", "verdict", "reviewer", "created_at")
    list_filter = ("subject", "verdict")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
