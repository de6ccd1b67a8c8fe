"""Stored recommendation data: the related index and lists, editors' pins, reader signals."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Posting(models.Model):
    """One feature of a published article's related vector: the inverted index's entry.

    Only published articles have postings, so every candidate found through them is live.
    Read by (feature, weight DESC) with a cap per feature; the covering index holds the
    article id, so a capped read touches only the index. An article's own vector is read
    through the foreign key's index.
    """

    feature = models.CharField(max_length=64)
    article = models.ForeignKey(
        "newsroom.Article", on_delete=models.CASCADE, related_name="postings"
    )
    weight = models.FloatField()

    class Meta:
        indexes = [
            models.Index(
                fields=["feature", "-weight", "article"], name="posting_feature_weight_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.feature} → {self.article_id} ({self.weight:.3f})"


class RelatedItem(models.Model):
    """One entry of an article's stored related list (相关推荐), best first.

    Written when the article or a neighbour is published or edited, so reading the list
    is one indexed query. `reason` holds the shared keywords shown as 推荐理由.
    """

    article = models.ForeignKey(
        "newsroom.Article", on_delete=models.CASCADE, related_name="related_items"
    )
    related = models.ForeignKey(
        "newsroom.Article", on_delete=models.CASCADE, related_name="related_in"
    )
    rank = models.PositiveSmallIntegerField()
    score = models.FloatField()
    reason = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "rank"], name="related_item_rank_unique"),
        ]
        indexes = [models.Index(fields=["related"], name="related_item_related_idx")]

    def __str__(self) -> str:
        return f"{self.article_id} #{self.rank}: {self.related_id}"


class HeadlinePin(models.Model):
    """An editor's pick (编辑推荐) pinned into a channel's headline block for a time.

    Pins come first in their block, by position; the rest of the block fills from the
    channel's hot list.
    """

    channel = models.ForeignKey(
        "newsroom.Channel",
        on_delete=models.CASCADE,
        related_name="pins",
        verbose_name=_("频道"),
    )
    article = models.ForeignKey(
        "newsroom.Article", on_delete=models.CASCADE, related_name="pins", verbose_name=_("文章")
    )
    position = models.PositiveSmallIntegerField(_("位置"), default=0)
    starts_at = models.DateTimeField(_("开始时间"), default=timezone.now)
    ends_at = models.DateTimeField(_("结束时间"))
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("头条置顶")
        verbose_name_plural = _("头条置顶")
        permissions = [("pin_headline", _("可以置顶头条"))]
        ordering = ["channel", "position", "-starts_at"]
        indexes = [models.Index(fields=["ends_at"], name="pin_ends_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="pin_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel_id}: {self.article_id}"


class Reading(models.Model):
    """A logged-in reader opened an article: the feed's reading history (latest time kept)."""

    # Indexed by (user, -read_at) below, which also serves lookups by user alone.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="readings",
        db_index=False,
    )
    article = models.ForeignKey("newsroom.Article", on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "article"], name="reading_unique"),
        ]
        indexes = [models.Index(fields=["user", "-read_at"], name="reading_user_time_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.article_id}"


class FeedHide(models.Model):
    """不感兴趣: the reader does not want this article, creator or channel in their feed."""

    class Kind(models.TextChoices):
        ARTICLE = "article", _("这篇文章")
        AUTHOR = "author", _("这个作者")
        CHANNEL = "channel", _("这个频道")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_hides"
    )
    kind = models.CharField(max_length=8, choices=Kind)
    target_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "target_id"], name="feed_hide_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} hides {self.kind} {self.target_id}"


class ChannelPick(models.Model):
    """A channel the reader said they care about (for a new reader's feed)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="channel_picks"
    )
    channel = models.ForeignKey("newsroom.Channel", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "channel"], name="channel_pick_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} picks {self.channel_id}"


class TopicModel(models.Model):
    """The fitted topic clusterings (`similarity.topic_models_fit`): centroids per model.

    Refitted nightly (`manage.py recommend topics`); the newest row is the one in use.
    """

    centroids = models.JSONField()
    articles = models.PositiveIntegerField()
    fitted_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"topics fitted {self.fitted_at:%Y-%m-%d %H:%M} on {self.articles} articles"


class TopicAssignment(models.Model):
    """A published article's nearest topic in each clustering: its related list's votes."""

    article = models.OneToOneField(
        "newsroom.Article", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    topics = models.JSONField(default=list)

    def __str__(self) -> str:
        return f"{self.article_id}: {self.topics}"
