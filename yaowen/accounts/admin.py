"""Staff admin for accounts and creator profiles, second factors and signed-in sessions."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from yaowen.accounts.models import (
    CreatorApplication,
    CreatorProfile,
    Follow,
    Passkey,
    TotpDevice,
    User,
    UserSession,
)
from yaowen.accounts.security.services import requirement_forget
from yaowen.accounts.security.sessions import session_revoke


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


class _FactorAdmin(admin.ModelAdmin):
    """Second factors can only be looked at and deleted here (a staff member who lost a
    phone is helped by deleting it: the next sign-in then asks for a new one). Nothing
    secret is shown; adding one takes the person's own device."""

    raw_id_fields = ("user",)
    search_fields = ("user__username",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        requirement_forget(obj.user_id)

    def delete_queryset(self, request, queryset):
        users = list(queryset.values_list("user_id", flat=True))
        super().delete_queryset(request, queryset)
        for user_id in users:
            requirement_forget(user_id)


@admin.register(TotpDevice)
class TotpDeviceAdmin(_FactorAdmin):
    list_display = ("user", "created_at", "last_used_at")
    fields = ("user", "created_at", "last_used_at")


@admin.register(Passkey)
class PasskeyAdmin(_FactorAdmin):
    list_display = ("user", "name", "sign_count", "backed_up", "created_at", "last_used_at")
    fields = ("user", "name", "sign_count", "transports", "backed_up", "created_at", "last_used_at")


@admin.register(UserSession)
class UserSessionAdmin(admin.ModelAdmin):
    """Signed-in sessions; deleting one here signs it out (the session is deleted too)."""

    list_display = ("user", "ip", "user_agent", "created_at", "last_seen")
    fields = ("user", "ip", "user_agent", "created_at", "last_seen")
    search_fields = ("user__username", "ip")
    raw_id_fields = ("user",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        session_revoke(user=obj.user, session_id=obj.pk)

    def delete_queryset(self, request, queryset):
        for record in queryset.select_related("user"):
            session_revoke(user=record.user, session_id=record.pk)
