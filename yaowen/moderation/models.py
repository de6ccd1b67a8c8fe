"""Moderation data: appeals against audit entries (the log itself, decisions and scopes
are governance's)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yaowen.governance.models import AuditEntry


class Appeal(models.Model):
    """The affected person's one appeal against one moderation act, and its decision."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待处理")
        UPHELD = "upheld", _("维持原处理")
        REVERSED = "reversed", _("已撤销原处理")

    entry = models.OneToOneField(
        AuditEntry, on_delete=models.PROTECT, related_name="appeal", verbose_name=_("处理记录")
    )
    appellant = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="appeals", verbose_name=_("申诉人")
    )
    text = models.TextField(_("申诉理由"), max_length=1000)
    status = models.CharField(_("状态"), max_length=16, choices=Status, default=Status.PENDING)
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    decided_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decided_appeals",
        verbose_name=_("处理人"),
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decision_reason = models.TextField(_("处理说明"), blank=True)

    class Meta:
        verbose_name = _("申诉")
        verbose_name_plural = _("申诉")
        indexes = [models.Index(fields=["status", "created_at"], name="appeal_queue_idx")]

    def __str__(self) -> str:
        return f"appeal {self.pk} on {self.entry_id}"
