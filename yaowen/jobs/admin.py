"""Event deliveries and job runs in the admin: failures are visible and can be retried."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from yaowen.jobs.delivery import deliveries_retry
from yaowen.jobs.models import Delivery, JobRun
from yaowen.jobs.tasks import enqueue


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("pk", "event", "listener", "status", "attempts", "created_at", "done_at")
    list_filter = ("status", "event")
    search_fields = ("listener", "last_error")
    readonly_fields = [field.name for field in Delivery._meta.fields]
    actions = ["retry"]

    @admin.action(description=_("重新投递选中的失败事件"))
    def retry(self, request, queryset) -> None:
        chosen = deliveries_retry(ids=list(queryset.values_list("pk", flat=True)))
        enqueue(chosen)
        self.message_user(request, _("已重新排队 %(n)d 个投递。") % {"n": len(chosen)})

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    list_display = ("job", "started_at", "duration_ms", "outcome")
    list_filter = ("outcome", "job")
    readonly_fields = [field.name for field in JobRun._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
