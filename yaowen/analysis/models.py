"""Per-article text analysis, platform dictionary words and corpus term statistics."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ArticleAnalysis(models.Model):
    """What the text engine derived from one article's current text; the search index's source.

    Each fingerprint's four 16-bit blocks are indexed columns: two fingerprints within
    Hamming distance 3 share at least one block, so a near-duplicate lookup reads twelve
    small index ranges instead of every fingerprint. `published_at` and `author` are
    copied from the article so the lookup needs no join.
    """

    FINGERPRINT_FIELDS = ("fingerprint", "fingerprint2", "fingerprint3")

    class DuplicateKind(models.TextChoices):
        NONE = "", _("无")
        BODY = "body", _("正文高度相似")
        TITLE = "title", _("标题相同")

    article = models.OneToOneField(
        "newsroom.Article",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="analysis",
        verbose_name=_("文章"),
    )
    author = models.ForeignKey(
        "accounts.CreatorProfile", on_delete=models.CASCADE, related_name="+"
    )
    channel = models.ForeignKey("newsroom.Channel", on_delete=models.CASCADE, related_name="+")
    # Set while the article is published: the article is then searchable and can be found
    # as the earlier original of a near-duplicate.
    published_at = models.DateTimeField(null=True, blank=True)
    # The tokenizer's words, space-separated: what the search index and the IDF read.
    title_terms = models.TextField(blank=True)
    body_terms = models.TextField(blank=True)
    # Characters and two-character pieces of longer words, for short queries.
    grams = models.TextField(blank=True)
    # Filter tokens for the SQLite index: channel (c12), author (a345) and, once
    # published, month (m202611); an FTS5 query intersects them with the words.
    facets = models.CharField(max_length=64, blank=True)
    # [[term, weight], ...], strongest first; weights are L2-normalised TF-IDF.
    keywords = models.JSONField(_("关键词"), default=list, blank=True)
    # Three independently seeded SimHashes of the body; each with its four 16-bit blocks
    # (block0-3 of the first, block4-7 of the second, block8-11 of the third).
    fingerprint = models.BigIntegerField(_("指纹"), default=0)
    fingerprint2 = models.BigIntegerField(default=0)
    fingerprint3 = models.BigIntegerField(default=0)
    block0 = models.PositiveIntegerField(default=0)
    block1 = models.PositiveIntegerField(default=0)
    block2 = models.PositiveIntegerField(default=0)
    block3 = models.PositiveIntegerField(default=0)
    block4 = models.PositiveIntegerField(default=0)
    block5 = models.PositiveIntegerField(default=0)
    block6 = models.PositiveIntegerField(default=0)
    block7 = models.PositiveIntegerField(default=0)
    block8 = models.PositiveIntegerField(default=0)
    block9 = models.PositiveIntegerField(default=0)
    block10 = models.PositiveIntegerField(default=0)
    block11 = models.PositiveIntegerField(default=0)
    title_key = models.CharField(max_length=64, blank=True)
    predicted_channel = models.ForeignKey(
        "newsroom.Channel",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("预测频道"),
    )
    duplicate_of = models.ForeignKey(
        "newsroom.Article",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("疑似来源"),
    )
    duplicate_kind = models.CharField(
        _("相似类型"), max_length=8, choices=DuplicateKind, default=DuplicateKind.NONE, blank=True
    )
    duplicate_distance = models.PositiveSmallIntegerField(null=True, blank=True)
    analysed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("文章分析")
        verbose_name_plural = _("文章分析")
        indexes = [
            models.Index(fields=["block0"], name="analysis_block0_idx"),
            models.Index(fields=["block1"], name="analysis_block1_idx"),
            models.Index(fields=["block2"], name="analysis_block2_idx"),
            models.Index(fields=["block3"], name="analysis_block3_idx"),
            models.Index(fields=["block4"], name="analysis_block4_idx"),
            models.Index(fields=["block5"], name="analysis_block5_idx"),
            models.Index(fields=["block6"], name="analysis_block6_idx"),
            models.Index(fields=["block7"], name="analysis_block7_idx"),
            models.Index(fields=["block8"], name="analysis_block8_idx"),
            models.Index(fields=["block9"], name="analysis_block9_idx"),
            models.Index(fields=["block10"], name="analysis_block10_idx"),
            models.Index(fields=["block11"], name="analysis_block11_idx"),
            models.Index(fields=["title_key"], name="analysis_title_key_idx"),
        ]

    def __str__(self) -> str:
        return f"analysis of {self.article_id}"

    @property
    def prints(self) -> tuple[int, ...]:
        """The fingerprints as unsigned 64-bit integers."""
        return tuple(getattr(self, name) & (1 << 64) - 1 for name in self.FINGERPRINT_FIELDS)

    @property
    def keyword_terms(self) -> list[str]:
        return [term for term, _weight in self.keywords]


class DictionaryWord(models.Model):
    """A term the platform wants segmented whole (besides channel and creator names)."""

    word = models.CharField(_("词语"), max_length=32, unique=True)
    created_at = models.DateTimeField(_("添加时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("自定义词")
        verbose_name_plural = _("自定义词典")
        ordering = ["word"]

    def __str__(self) -> str:
        return self.word


class TermStat(models.Model):
    """How many published articles contain a term: the IDF's document frequencies.

    The row with the empty term counts the documents themselves.
    """

    term = models.CharField(max_length=64, primary_key=True)
    df = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("词频统计")
        verbose_name_plural = _("词频统计")

    def __str__(self) -> str:
        return f"{self.term}: {self.df}"
