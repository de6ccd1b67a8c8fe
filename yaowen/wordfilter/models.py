"""Sensitive-word data: the administrator-edited list the automaton is compiled from."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

WORD_MAX_LENGTH = 50


class SensitiveWord(models.Model):
    """One listed word and what happens to a text containing it. Words are unique by
    `key` (their matching skeleton), so 發財, 发 财 and 发财 cannot be listed twice."""

    class Category(models.TextChoices):
        POLITICS = "politics", _("政治")
        PORN = "porn", _("色情")
        TERROR = "terror", _("暴恐")
        GAMBLING = "gambling", _("赌博")
        DRUGS = "drugs", _("毒品违禁")
        FRAUD = "fraud", _("诈骗")
        ADS = "ads", _("广告")
        ABUSE = "abuse", _("辱骂")
        OTHER = "other", _("其他")

    class Action(models.TextChoices):
        BLOCK = "block", _("禁止发布")
        REVIEW = "review", _("送人工审核")
        MASK = "mask", _("替换为＊")

    word = models.CharField(_("词语"), max_length=WORD_MAX_LENGTH)
    key = models.CharField(_("匹配形式"), max_length=200, unique=True, editable=False)
    category = models.CharField(_("类别"), max_length=16, choices=Category)
    action = models.CharField(_("处理方式"), max_length=8, choices=Action)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sensitive_words",
        verbose_name=_("添加人"),
    )
    created_at = models.DateTimeField(_("添加时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("敏感词")
        verbose_name_plural = _("敏感词")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["category", "action"], name="word_category_action_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=["block", "review", "mask"]),
                name="word_action_valid",
            ),
            models.CheckConstraint(condition=~models.Q(key=""), name="word_key_not_empty"),
        ]

    def __str__(self) -> str:
        return self.word

    def as_state(self) -> dict:
        """What the audit log keeps before and after a change."""
        return {
            "word": self.word,
            "category": self.category,
            "action": self.action,
            "note": self.note,
        }
