"""Admin for editors' headline pins (the workspace page at /review/pins/ is the usual way)."""

from django.contrib import admin

from yaowen.core.cache import invalidate
from yaowen.recommend.models import HeadlinePin
from yaowen.recommend.selectors import BLOCKS_KEY


@admin.register(HeadlinePin)
class HeadlinePinAdmin(admin.ModelAdmin):
    list_display = ["article", "channel", "position", "starts_at", "ends_at", "created_by"]
    list_filter = ["channel"]
    raw_id_fields = ["article"]
    readonly_fields = ["created_by", "created_at"]

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        invalidate(BLOCKS_KEY)

    def delete_model(self, request, obj) -> None:
        super().delete_model(request, obj)
        invalidate(BLOCKS_KEY)
