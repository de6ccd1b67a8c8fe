"""Decisions and the audit log are visible to administrators and never editable here (they
change only through the audited services); editors' channel scopes are set here."""

from django.contrib import admin

from yaowen.governance.models import AuditEntry, EditorScope, ReviewDecision


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReviewDecision)
class ReviewDecisionAdmin(ReadOnlyAdmin):
    list_display = ("subject", "object_id", "verdict", "reviewer", "created_at")
    list_filter = ("subject", "verdict")


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "actor", "action", "subject_type", "subject_id", "reason")
    list_filter = ("action", "subject_type")
    search_fields = ("reason",)
    date_hierarchy = "created_at"
    list_select_related = ("actor",)


@admin.register(EditorScope)
class EditorScopeAdmin(admin.ModelAdmin):
    list_display = ("user",)
    filter_horizontal = ("channels",)
    autocomplete_fields = ("user",)
