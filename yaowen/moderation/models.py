"""Moderation data: every review decision, kept as an append-only record."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReviewDecision(models.Model):
    """Who decided what about which application or article, when, and why. Never edited."""

    class Subject(models.TextChoices):
        APPLICATION = "application", _("入驻申请")
        ARTICLE = "article", _("文章")

    class Verdict(models.TextChoices):
        APPROVE = "approve", _("通过")
        REJECT = "reject", _("驳回")

    subject = models.CharField(_("对象类型"), max_length=16, choices=Subject)
    object_id = models.PositiveBigIntegerField(_("对象编号"))
    verdict = models.CharField(_("结论"), max_length=16, choices=Verdict)
    reviewer = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="review_decisions"
    )
    reasons = models.JSONField(_("原因"), default=list, blank=True)
    note = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("审核记录")
        verbose_name_plural = _("审核记录")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["subject", "object_id"], name="decision_subject_idx")]

    def __str__(self) -> str:
        return f"{self.subject}:{self.object_id} {self.verdict}"
