"""Staff admin for accounts and creator profiles."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from yaowen.accounts.models import CreatorProfile, Follow, User


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
