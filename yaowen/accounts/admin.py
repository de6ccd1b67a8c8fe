"""Staff admin for accounts and creator profiles."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from yaowen.accounts.models import CreatorApplication, CreatorProfile, Follow, User


@admin.register(User)
class YaowenUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, (None, {"fields": ("nickname",)}))
    list_display = ("username", "nickname", "email", "is_staff", "date_joined")


@admin.register(CreatorProfile)
class CreatorProfileAdmin(admin.ModelAdmin):
    list_display = (
        "display_name",
        "account_type",
        "field",
        "badge",
        "status",
        "article_count",
        "follower_count",
    )
    list_filter = ("account_type", "badge", "status", "field")
    search_fields = ("display_name", "user__username")
    raw_id_fields = ("user",)
    readonly_fields = ("article_count", "follower_count")


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ("follower", "followee", "created_at")
    raw_id_fields = ("follower", "followee")


@admin.register(CreatorApplication)
class CreatorApplicationAdmin(admin.ModelAdmin):
    """Read-only here: decisions are made in the review workspace, which records them."""

    list_display = (
        "display_name",
        "account_type",
        "field",
        "status",
        "submission_count",
        "submitted_at",
    )
    list_filter = ("status", "account_type")
    search_fields = ("display_name", "user__username")

    def has_change_permission(self, request, obj=None):
        return False
