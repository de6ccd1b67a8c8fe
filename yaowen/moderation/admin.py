"""Appeals and comment bans are visible to administrators and never editable here (they
change only through the audited services)."""

from django.contrib import admin

from yaowen.engagement.models import CommentBan
from yaowen.governance.admin import ReadOnlyAdmin
from yaowen.moderation.models import Appeal


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    list_display = ("entry", "appellant", "status", "created_at", "decided_by", "decided_at")
    list_filter = ("status",)
    list_select_related = ("entry", "appellant", "decided_by")


@admin.register(CommentBan)
class CommentBanAdmin(ReadOnlyAdmin):
    list_display = ("user", "by", "reason", "created_at")
    list_select_related = ("user", "by")
