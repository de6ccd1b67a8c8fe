"""Governance data: review decisions, the append-only audit log, editors' channel scopes
and the notification inbox.

Their tables keep the names they had in the moderation and engagement apps. Other apps'
models are named as strings, never imported: this app sits below all of them.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yaowen.governance.actions import APPEALABLE, action_label


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
        db_table = "moderation_reviewdecision"
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
        db_table = "moderation_auditentry"
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


class EditorScope(models.Model):
    """Limits an editor to some channels; an editor without a scope works on every one."""

    user = models.OneToOneField(
        "accounts.User", on_delete=models.CASCADE, related_name="editor_scope"
    )
    channels = models.ManyToManyField(
        "newsroom.Channel",
        related_name="editor_scopes",
        verbose_name=_("负责频道"),
        db_table="moderation_editorscope_channels",
    )

    class Meta:
        db_table = "moderation_editorscope"
        verbose_name = _("编辑负责范围")
        verbose_name_plural = _("编辑负责范围")

    def __str__(self) -> str:
        return str(self.user_id)


class Notification(models.Model):
    """An inbox item: a comment on your article, a reply to your comment, a new follower,
    or the platform's moderation of something of yours (with the reason, and the audit entry
    the person may appeal against)."""

    class Kind(models.TextChoices):
        COMMENT = "comment", _("评论了你的文章")
        REPLY = "reply", _("回复了你的跟帖")
        FOLLOW = "follow", _("关注了你")
        MODERATION = "moderation", _("平台处理通知")

    recipient = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("类型"), max_length=16, choices=Kind)
    actor = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(
        "newsroom.Article", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    comment = models.ForeignKey(
        "engagement.Comment", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # Moderation notices only: the audit action code (kept here so the inbox needs no
    # join to name it), the reason given, and the entry an appeal is made against.
    action = models.CharField(_("处理"), max_length=40, blank=True)
    reason = models.TextField(_("原因"), blank=True)
    audit_entry = models.ForeignKey(
        AuditEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notifications",
    )
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        db_table = "engagement_notification"
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"], name="inbox_idx")]

    def __str__(self) -> str:
        return f"{self.actor_id} {self.kind} → {self.recipient_id}"

    @property
    def action_label(self) -> str:
        """What the platform did, for a moderation notice ("下架文章")."""
        return action_label(self.action) if self.action else ""

    @property
    def appealable(self) -> bool:
        return self.audit_entry_id is not None and self.action in APPEALABLE
