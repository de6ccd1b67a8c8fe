"""Admin for editors' headline pins (the workspace page at /review/pins/ is the usual way)."""

from django.contrib import admin

from yaowen.core.cache import invalidate
from yaowen.recommend.models import HeadlinePin


@admin.register(HeadlinePin)
class HeadlinePinAdmin(admin.ModelAdmin):
    list_display = ["article", "channel", "position", "starts_at", "ends_at", "created_by"]
    list_filter = ["channel"]
    raw_id_fields = ["article"]
    readonly_fields = ["created_by", "created_at"]

    # The selectors are imported where they are used: every process imports the admin
    # modules at start-up, and the selectors bring in the hot set's Redis client.
    def save_model(self, request, obj, form, change) -> None:
        from yaowen.recommend.selectors import BLOCKS_KEY

        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        invalidate(BLOCKS_KEY)

    def delete_model(self, request, obj) -> None:
        from yaowen.recommend.selectors import BLOCKS_KEY

        super().delete_model(request, obj)
        invalidate(BLOCKS_KEY)
