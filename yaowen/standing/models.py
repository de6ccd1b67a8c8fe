"""Standing data: a creator's violations and their stored standing (创作者指数)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A violation keeps the first this many characters of the reason.
VIOLATION_REASON_LENGTH = 300


class Violation(models.Model):
    """A confirmed breach of the rules by a creator; it costs standing while it is recent.

    Rows are only added, or voided when an appeal reverses the action behind them."""

    class Kind(models.TextChoices):
        TAKEDOWN = "takedown", _("文章被下架")
        FALSE_ORIGINAL = "false_original", _("虚假原创声明")
        SUSPENSION = "suspension", _("账号被暂停")
        WORD_BLOCK = "word_block", _("发布违禁内容")

    creator = models.ForeignKey(
        "accounts.CreatorProfile",
        on_delete=models.CASCADE,
        related_name="violations",
        verbose_name=_("创作者"),
    )
    kind = models.CharField(_("类型"), max_length=16, choices=Kind)
    article = models.ForeignKey(
        "newsroom.Article",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="violations",
        verbose_name=_("文章"),
    )
    reason = models.CharField(_("原因"), max_length=VIOLATION_REASON_LENGTH)
    by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("处理人"),
    )
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    voided_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    voided_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    void_reason = models.CharField(_("撤销原因"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("违规记录")
        verbose_name_plural = _("违规记录")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["creator", "-created_at"], name="violation_creator_idx")]

    def __str__(self) -> str:
        return f"{self.creator_id} {self.kind} {self.created_at:%Y-%m-%d}"

    @property
    def is_void(self) -> bool:
        return self.voided_at is not None


class Standing(models.Model):
    """A creator's last computed standing: the score, its level and each part's score."""

    class Level(models.IntegerChoices):
        NOVICE = 1, _("新手")
        GROWING = 2, _("成长")
        QUALITY = 3, _("优质")
        AUTHORITY = 4, _("权威")

    creator = models.OneToOneField(
        "accounts.CreatorProfile",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="standing",
        verbose_name=_("创作者"),
    )
    score = models.PositiveSmallIntegerField(_("创作者指数"), default=0)
    level = models.PositiveSmallIntegerField(_("等级"), choices=Level, default=Level.NOVICE)
    # {"health": 100, "originality": 50, ...}: each part's score, 0-100.
    parts = models.JSONField(_("分项"), default=dict, blank=True)
    # The counts the parts came from, shown to the creator next to each part.
    facts = models.JSONField(_("依据"), default=dict, blank=True)
    computed_at = models.DateTimeField(_("计算时间"), default=timezone.now)

    class Meta:
        verbose_name = _("创作者指数")
        verbose_name_plural = _("创作者指数")

    def __str__(self) -> str:
        return f"{self.creator_id}: {self.score} (L{self.level})"
