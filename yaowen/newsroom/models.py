"""Newsroom data: channels, articles and the references an article cites."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yaowen.core.models import TimeStampedModel
from yaowen.core.urls import fast_reverse


class Channel(TimeStampedModel):
    """A section of the site: a main news channel or an original column, in staff's order."""

    class Group(models.TextChoices):
        MAIN = "main", _("频道")
        ORIGINAL = "original", _("原创栏目")

    slug = models.SlugField(_("标识"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=16, unique=True)
    group = models.CharField(_("分组"), max_length=16, choices=Group, default=Group.MAIN)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)
    block_title = models.CharField(
        _("要闻块标题"), max_length=16, blank=True, help_text=_("留空则为“频道名 + 要闻”")
    )
    in_blocks = models.BooleanField(_("在要闻块中展示"), default=False)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("频道")
        verbose_name_plural = _("频道")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return fast_reverse("web:channel", [self.slug])

    @property
    def headline_title(self) -> str:
        return self.block_title or _("%(name)s要闻") % {"name": self.name}


class Article(TimeStampedModel):
    """An article: its text, its place in the workflow and its denormalised counters."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PENDING = "pending", _("待审核")
        SCHEDULED = "scheduled", _("定时发布")
        PUBLISHED = "published", _("已发布")
        REJECTED = "rejected", _("未通过")
        REMOVED = "removed", _("已下架")

    author = models.ForeignKey(
        "accounts.CreatorProfile",
        on_delete=models.PROTECT,
        related_name="articles",
        verbose_name=_("作者"),
    )
    channel = models.ForeignKey(
        Channel, on_delete=models.PROTECT, related_name="articles", verbose_name=_("频道")
    )
    title = models.CharField(_("标题"), max_length=64)
    summary = models.CharField(_("摘要"), max_length=200, blank=True)
    body_source = models.TextField(_("正文（Markdown）"))
    body_html = models.TextField(_("正文（HTML）"), editable=False)
    cover = models.ImageField(_("封面"), upload_to="covers/%Y/%m/", blank=True)
    cover_alt = models.CharField(_("封面说明"), max_length=80, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status, default=Status.DRAFT, db_index=False
    )
    tags = models.JSONField(_("标签"), default=list, blank=True)
    is_original = models.BooleanField(_("原创声明"), default=False)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    scheduled_at = models.DateTimeField(_("定时发布时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    rejection_reason = models.CharField(_("未通过原因"), max_length=300, blank=True)
    removed_reason = models.CharField(_("下架原因"), max_length=200, blank=True)
    view_count = models.PositiveIntegerField(_("阅读数"), default=0)
    comment_count = models.PositiveIntegerField(_("跟帖数"), default=0)
    like_count = models.PositiveIntegerField(_("点赞数"), default=0)
    share_count = models.PositiveIntegerField(_("分享数"), default=0)
    hot_score = models.FloatField(_("热度"), default=0.0)

    class Meta:
        verbose_name = _("文章")
        verbose_name_plural = _("文章")
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_latest_idx"),
            models.Index(
                fields=["channel", "status", "-published_at"], name="article_channel_latest_idx"
            ),
            models.Index(fields=["status", "-hot_score"], name="article_hot_idx"),
            models.Index(
                fields=["channel", "status", "-hot_score"], name="article_channel_hot_idx"
            ),
            models.Index(
                fields=["author", "status", "-published_at"], name="article_author_latest_idx"
            ),
            models.Index(fields=["status", "submitted_at"], name="article_review_queue_idx"),
            models.Index(fields=["status", "scheduled_at"], name="article_scheduled_idx"),
        ]
        permissions = [("review_article", _("可以审核文章"))]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return fast_reverse("web:article", [self.pk])

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED


class ArticleReference(models.Model):
    """One entry of an article's 参考资料: where a fact came from, and when."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="references", verbose_name=_("文章")
    )
    position = models.PositiveSmallIntegerField(_("序号"), default=0)
    source = models.CharField(_("来源"), max_length=60)
    title = models.CharField(_("标题"), max_length=120, blank=True)
    published_on = models.DateField(_("日期"), null=True, blank=True)
    url = models.URLField(_("链接"), blank=True)

    class Meta:
        verbose_name = _("参考资料")
        verbose_name_plural = _("参考资料")
        ordering = ["article", "position"]

    def __str__(self) -> str:
        return f"{self.title} {self.source}"


class ArticleRevision(models.Model):
    """A snapshot of an article's editable content, kept at every save; restorable."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("版本号"))
    title = models.CharField(_("标题"), max_length=64)
    summary = models.CharField(_("摘要"), max_length=200, blank=True)
    body_source = models.TextField(_("正文（Markdown）"))
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="+")
    tags = models.JSONField(_("标签"), default=list, blank=True)
    references = models.JSONField(_("参考资料"), default=list, blank=True)
    is_original = models.BooleanField(_("原创声明"), default=False)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("保存时间"), default=timezone.now)

    class Meta:
        verbose_name = _("文章版本")
        verbose_name_plural = _("文章版本")
        ordering = ["article", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="revision_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.article_id} v{self.number}"


class ArticleImage(models.Model):
    """An image a creator uploaded: the cleaned original, its resized variants and alt text."""

    owner = models.ForeignKey(
        "accounts.CreatorProfile", on_delete=models.CASCADE, related_name="images"
    )
    file = models.ImageField(
        _("图片"), upload_to="images/%Y/%m/", width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    alt = models.CharField(_("替代文字"), max_length=120)
    caption = models.CharField(_("图片说明"), max_length=120, blank=True)
    sha256 = models.CharField(max_length=64, db_index=True)
    # [{"width": 480, "format": "WEBP", "name": "images/…"}]
    variants = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("图片")
        verbose_name_plural = _("图片")

    def __str__(self) -> str:
        return self.alt
