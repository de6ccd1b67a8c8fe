"""Decisions, the audit log, appeals and bans are visible to administrators and never
editable here (they change only through the audited services); editors' channel scopes
are set here."""

from django.contrib import admin

from yaowen.moderation.models import Appeal, AuditEntry, CommentBan, EditorScope, ReviewDecision


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


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    list_display = ("entry", "appellant", "status", "created_at", "decided_by", "decided_at")
    list_filter = ("status",)
    list_select_related = ("entry", "appellant", "decided_by")


@admin.register(CommentBan)
class CommentBanAdmin(ReadOnlyAdmin):
    list_display = ("user", "by", "reason", "created_at")
    list_select_related = ("user", "by")


@admin.register(EditorScope)
class EditorScopeAdmin(admin.ModelAdmin):
    list_display = ("user",)
    filter_horizontal = ("channels",)
    autocomplete_fields = ("user",)
