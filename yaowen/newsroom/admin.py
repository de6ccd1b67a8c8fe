"""Staff admin: channels are edited and ordered here; articles are inspected."""

from django.contrib import admin

from yaowen.newsroom.models import Article, ArticleImage, ArticleReference, Channel


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "group", "position", "in_blocks", "block_title", "is_active")
    list_editable = ("position", "in_blocks", "is_active")
    list_filter = ("group", "is_active")
    prepopulated_fields = {"slug": ("name",)}

    # The services are imported where they are used: every process imports the admin
    # modules at start-up, and the services bring in half the project.
    def save_model(self, request, obj, form, change):
        from yaowen.newsroom.services.pages import channels_changed

        super().save_model(request, obj, form, change)
        channels_changed()

    def delete_model(self, request, obj):
        from yaowen.newsroom.services.pages import channels_changed

        super().delete_model(request, obj)
        channels_changed()


class ReferenceInline(admin.TabularInline):
    model = ArticleReference
    extra = 0


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "author", "channel", "status", "published_at", "hot_score")
    list_filter = ("status", "channel")
    search_fields = ("title",)
    raw_id_fields = ("author",)
    # Bodies change through the newsroom services (which render and sanitise), not here.
    readonly_fields = (
        "body_source", "status", "published_at", "view_count", "comment_count", "like_count",
        "share_count", "hot_score",
    )  # fmt: skip
    date_hierarchy = "published_at"
    inlines = [ReferenceInline]


@admin.register(ArticleImage)
class ArticleImageAdmin(admin.ModelAdmin):
    list_display = ("alt", "owner", "width", "height", "created_at")
    raw_id_fields = ("owner",)
    readonly_fields = ("sha256", "variants", "width", "height")
