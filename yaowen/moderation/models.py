"""Moderation data: review decisions, the append-only audit log, appeals, editors' channel
scopes and readers banned from commenting."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yaowen.moderation.roles import Action


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


class AppendOnlyError(Exception):
    """Code tried to change or delete an audit entry; the log only ever grows."""


class AuditQuerySet(models.QuerySet):
    """Audit entries can be read and added, never updated or deleted in bulk."""

    def update(self, **kwargs):
        raise AppendOnlyError("audit entries cannot be updated")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("audit entries cannot be updated")

    def delete(self):
        raise AppendOnlyError("audit entries cannot be deleted")

    # What the deletion collector uses for fast deletes of related rows.
    def _raw_delete(self, using):
        raise AppendOnlyError("audit entries cannot be deleted")


# Acts the log names that are not themselves permissions (roles.Action covers the rest).
EVENT_LABELS = {
    "application_approve": _("通过入驻申请"),
    "application_reject": _("驳回入驻申请"),
    "article_approve": _("通过文章"),
    "article_reject": _("驳回文章"),
    "article_request_changes": _("要求修改文章"),
    "comment_release": _("放行跟帖"),
    "comment_unhide": _("恢复跟帖"),
    "reader_unban": _("解除禁止跟帖"),
    "creator_unsuspend": _("恢复创作者"),
    "original_claim_reinstate": _("恢复原创声明"),
    "appeal_uphold": _("申诉驳回，维持原处理"),
    "appeal_reverse": _("申诉成立，撤销原处理"),
    "flag_clear": _("确认标记无需处理"),
}


# Acts the affected person may appeal against: each can be undone (services.appeals).
APPEALABLE = frozenset(
    {
        Action.ARTICLE_TAKE_DOWN,
        Action.COMMENT_HIDE,
        Action.READER_BAN,
        Action.CREATOR_SUSPEND,
        Action.ORIGINAL_CLAIM_REVIEW,
    }
)


def action_label(code: str) -> str:
    """The reader-facing name of an audit action code (the code itself if unknown)."""
    if code in Action.values:
        return str(Action(code).label)
    return str(EVENT_LABELS.get(code, code))


class AuditEntry(models.Model):
    """One moderation act: who did what to which object, when, why, and the state before
    and after. Rows are only ever added (see AuditQuerySet, save() and delete())."""

    class SubjectType(models.TextChoices):
        APPLICATION = "application", _("入驻申请")
        ARTICLE = "article", _("文章")
        COMMENT = "comment", _("跟帖")
        USER = "user", _("用户")
        CREATOR = "creator", _("创作者")
        APPEAL = "appeal", _("申诉")
        WORD = "word", _("敏感词")

    actor = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_entries",
        verbose_name=_("操作人"),
    )
    action = models.CharField(_("操作"), max_length=40)
    subject_type = models.CharField(_("对象类型"), max_length=16, choices=SubjectType)
    subject_id = models.PositiveBigIntegerField(_("对象编号"))
    reason = models.TextField(_("原因"), blank=True)
    before = models.JSONField(_("操作前"), null=True, blank=True)
    after = models.JSONField(_("操作后"), null=True, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("审核日志")
        verbose_name_plural = _("审核日志")
        ordering = ["-created_at", "-pk"]
        base_manager_name = "objects"
        indexes = [
            models.Index(fields=["subject_type", "subject_id"], name="audit_subject_idx"),
            models.Index(fields=["actor", "-created_at"], name="audit_actor_idx"),
            models.Index(fields=["action", "-created_at"], name="audit_action_idx"),
        ]
        permissions = [("administer", _("可以管理审核日志与敏感词"))]

    def __str__(self) -> str:
        return f"{self.action} {self.subject_type}:{self.subject_id}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise AppendOnlyError("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit entries cannot be deleted")

    @property
    def action_label(self) -> str:
        return action_label(self.action)


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


class EditorScope(models.Model):
    """Limits an editor to some channels; an editor without a scope works on every one."""

    user = models.OneToOneField(
        "accounts.User", on_delete=models.CASCADE, related_name="editor_scope"
    )
    channels = models.ManyToManyField(
        "newsroom.Channel", related_name="editor_scopes", verbose_name=_("负责频道")
    )

    class Meta:
        verbose_name = _("编辑负责范围")
        verbose_name_plural = _("编辑负责范围")

    def __str__(self) -> str:
        return str(self.user_id)


class CommentBan(models.Model):
    """A reader who may not comment while this row exists; lifting the ban deletes it."""

    user = models.OneToOneField(
        "accounts.User", on_delete=models.CASCADE, related_name="comment_ban"
    )
    by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("操作人")
    )
    reason = models.TextField(_("原因"))
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("禁止跟帖")
        verbose_name_plural = _("禁止跟帖")

    def __str__(self) -> str:
        return str(self.user_id)
