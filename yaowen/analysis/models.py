"""Per-article text analysis, copy-detection anchors, platform dictionary words and corpus
term statistics."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ArticleAnalysis(models.Model):
    """What the text engine derived from one article's current text; the search index's source.

    Copies are found through `CopyAnchor` rows; `published_at` and `author` are copied from
    the article so that the search index and the copy check filter on them without a join.
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
    # Three independently seeded SimHashes of the body: related lists and the feed keep two
    # articles within 3 bits of each other on any of them off the same page.
    fingerprint = models.BigIntegerField(_("指纹"), default=0)
    fingerprint2 = models.BigIntegerField(default=0)
    fingerprint3 = models.BigIntegerField(default=0)
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
    # For a body copy: the share of the original's text found in this article, or of this
    # article's found in the original when that is larger (an excerpt), in percent.
    duplicate_share = models.PositiveSmallIntegerField(_("重合比例"), null=True, blank=True)
    analysed_at = models.DateTimeField(default=timezone.now)

    # The copy-detection sketch of the text just analysed (`textkit.copies.Sketch`), set by
    # the analysis services for the copy lookup and the anchors; not stored.
    sketch = None

    class Meta:
        verbose_name = _("文章分析")
        verbose_name_plural = _("文章分析")
        indexes = [
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


class CopyAnchor(models.Model):
    """One anchor an article's text is indexed by for copy detection (`textkit.copies`).

    Looked up by anchor (the primary key's leading column) with one `IN` query; an anchor
    already held by COMMON_ANCHOR articles is not given to more (it is boilerplate), so no
    lookup reads more than that many rows per anchor. Rows exist for every analysed
    article; whether one is published is read from its analysis.
    """

    pk = models.CompositePrimaryKey("anchor", "article")
    # The shingle's unsigned 64-bit hash stored as a signed BIGINT.
    anchor = models.BigIntegerField()
    article = models.ForeignKey("newsroom.Article", on_delete=models.CASCADE, related_name="+")

    COMMON_ANCHOR = 32

    class Meta:
        verbose_name = _("查重锚点")
        verbose_name_plural = _("查重锚点")

    def __str__(self) -> str:
        return f"{self.anchor} in {self.article_id}"


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
