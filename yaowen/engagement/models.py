"""Engagement data: comments (跟帖) and likes (顶); articles keep the counts denormalised."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Comment(models.Model):
    """A reader's comment on an article, optionally replying to another comment."""

    class Status(models.TextChoices):
        VISIBLE = "visible", _("可见")
        HIDDEN = "hidden", _("已隐藏")
        DELETED = "deleted", _("已删除")

    article = models.ForeignKey(
        "newsroom.Article", on_delete=models.CASCADE, related_name="comments"
    )
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    body = models.TextField(_("内容"), max_length=2000)
    status = models.CharField(_("状态"), max_length=16, choices=Status, default=Status.VISIBLE)
    like_count = models.PositiveIntegerField(_("点赞数"), default=0)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("跟帖")
        verbose_name_plural = _("跟帖")
        indexes = [
            models.Index(fields=["article", "status", "-created_at"], name="comment_article_idx")
        ]

    def __str__(self) -> str:
        return self.body[:30]


class Like(models.Model):
    """A reader's 顶 on an article: one per reader and article."""

    article = models.ForeignKey("newsroom.Article", on_delete=models.CASCADE, related_name="likes")
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="likes")
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("点赞")
        verbose_name_plural = _("点赞")
        constraints = [models.UniqueConstraint(fields=["article", "user"], name="like_once")]

    def __str__(self) -> str:
        return f"{self.user_id} 顶 {self.article_id}"
