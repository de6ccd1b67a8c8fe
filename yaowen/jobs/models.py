"""What background work leaves behind: one row per event delivery, one per periodic run."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Delivery(models.Model):
    """One announced event for one listener: the outbox row that makes delivery durable.

    Written in the announcing transaction, so an event exists exactly when the change it
    reports was committed. Marked done in the same transaction as the listener's own
    writes, so delivering it again (a consumer killed mid-task, a sweep racing a queued
    task) finds it done and changes nothing.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("待处理")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    event = models.CharField(_("事件"), max_length=64)
    uid = models.UUIDField(_("事件编号"), help_text=_("同一次事件的各个投递共用一个编号。"))
    payload = models.JSONField(_("内容"), default=dict)
    listener = models.CharField(_("接收方"), max_length=200)
    status = models.CharField(
        _("状态"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"))
    last_error = models.TextField(_("最近的错误"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("事件投递")
        verbose_name_plural = _("事件投递")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="jobs_delivery_due"),
            models.Index(fields=["-created_at"], name="jobs_delivery_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.listener} ({self.status})"


class JobRun(models.Model):
    """One run of a periodic job: when, how long, and how it ended."""

    class Outcome(models.TextChoices):
        RUNNING = "running", _("运行中")
        OK = "ok", _("成功")
        FAILED = "failed", _("失败")

    job = models.CharField(_("任务"), max_length=64)
    started_at = models.DateTimeField(_("开始时间"))
    duration_ms = models.PositiveIntegerField(_("耗时（毫秒）"), null=True, blank=True)
    outcome = models.CharField(
        _("结果"), max_length=8, choices=Outcome.choices, default=Outcome.RUNNING
    )
    detail = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("定时任务记录")
        verbose_name_plural = _("定时任务记录")
        indexes = [models.Index(fields=["job", "-started_at"], name="jobs_run_recent")]

    def __str__(self) -> str:
        return f"{self.job} {self.started_at:%Y-%m-%d %H:%M} {self.outcome}"
