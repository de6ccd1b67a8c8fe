"""Engagement data: comments (跟帖), likes (顶), shares, reports, and readers banned from
commenting (the inbox is governance's).

Articles and comments keep their counts denormalised; services move them with the rows.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Comment(models.Model):
    """A reader's comment on an article, optionally replying to another comment."""

    class Status(models.TextChoices):
        VISIBLE = "visible", _("可见")
        # Held by the word filter until an editor releases or hides it; not counted.
        PENDING = "pending", _("待审核")
        HIDDEN = "hidden", _("已隐藏")
        DELETED = "deleted", _("已删除")

    article = models.ForeignKey(
        "newsroom.Article", on_delete=models.CASCADE, related_name="comments"
    )
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="comments")
    # Replies hang under a top-level comment (one level shown); `reply_to` names whom a
    # reply answers, which may be another reply's author.
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    reply_to = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    body = models.TextField(_("内容"), max_length=2000)
    status = models.CharField(_("状态"), max_length=16, choices=Status, default=Status.VISIBLE)
    like_count = models.PositiveIntegerField(_("点赞数"), default=0)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("跟帖")
        verbose_name_plural = _("跟帖")
        indexes = [
            models.Index(fields=["article", "status", "-created_at"], name="comment_article_idx"),
            models.Index(fields=["article", "status", "-like_count"], name="comment_liked_idx"),
            models.Index(fields=["user", "-created_at"], name="comment_user_idx"),
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


class CommentLike(models.Model):
    """A reader's like of a comment: one per reader and comment."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="likes")
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("跟帖点赞")
        verbose_name_plural = _("跟帖点赞")
        constraints = [
            models.UniqueConstraint(fields=["comment", "user"], name="comment_like_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} likes comment {self.comment_id}"


class Share(models.Model):
    """One share of an article to a target; anonymous readers share too."""

    class Target(models.TextChoices):
        WECHAT = "wechat", _("微信")
        WEIBO = "weibo", _("微博")
        QQ = "qq", _("QQ")
        LINK = "link", _("复制链接")

    article = models.ForeignKey("newsroom.Article", on_delete=models.CASCADE, related_name="shares")
    user = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    target = models.CharField(_("分享到"), max_length=16, choices=Target)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("分享")
        verbose_name_plural = _("分享")
        indexes = [models.Index(fields=["article", "target"], name="share_article_idx")]

    def __str__(self) -> str:
        return f"{self.article_id} → {self.target}"


class Report(models.Model):
    """A reader's report of an article or a comment, waiting for a moderator."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("垃圾广告")
        FALSE = "false", _("虚假信息")
        ABUSE = "abuse", _("辱骂攻击")
        PORN = "porn", _("色情低俗")
        ILLEGAL = "illegal", _("违法违规")
        COPYRIGHT = "copyright", _("侵犯版权")
        OTHER = "other", _("其他")

    class Status(models.TextChoices):
        OPEN = "open", _("待处理")
        RESOLVED = "resolved", _("已处理")
        DISMISSED = "dismissed", _("已驳回")

    article = models.ForeignKey(
        "newsroom.Article", on_delete=models.CASCADE, related_name="reports"
    )
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    reporter = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(_("原因"), max_length=16, choices=Reason)
    note = models.CharField(_("补充说明"), max_length=300, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status, default=Status.OPEN)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("举报")
        verbose_name_plural = _("举报")
        indexes = [models.Index(fields=["status", "created_at"], name="report_queue_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "article"],
                condition=models.Q(comment__isnull=True),
                name="report_article_once",
            ),
            models.UniqueConstraint(
                fields=["reporter", "comment"],
                condition=models.Q(comment__isnull=False),
                name="report_comment_once",
            ),
        ]
        permissions = [("review_report", _("可以处理举报"))]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} #{self.pk}"


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
        db_table = "moderation_commentban"
        verbose_name = _("禁止跟帖")
        verbose_name_plural = _("禁止跟帖")

    def __str__(self) -> str:
        return str(self.user_id)
