"""Studio forms: the writing page, plain-text import and image upload."""

import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from yaowen.core.errors import TEXT_TOO_LONG
from yaowen.core.imaging import MAX_BYTES, TOO_LARGE
from yaowen.newsroom.models import ArticleImage, Channel
from yaowen.newsroom.services import ArticleInput, ReferenceInput
from yaowen.newsroom.services.articles import (
    BODY_MAX_LENGTH,
    MAX_REFERENCES,
    REFERENCE_SOURCE_MAX_LENGTH,
    REFERENCE_TITLE_MAX_LENGTH,
    REFERENCE_URL_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    TOO_MANY_REFERENCES,
)

REFERENCE_LINE_HELP = _("每行一条：来源 | 标题 | 日期（2025-11-13）| 链接（可选）")
BAD_REFERENCE = _("第 %(line)d 行格式不对：请写成“来源 | 标题 | 日期 | 链接”。")
BAD_REFERENCE_DATE = _("第 %(line)d 行的日期应写成 2025-11-13。")
BAD_REFERENCE_URL = _("第 %(line)d 行的链接必须以 http:// 或 https:// 开头。")
REFERENCE_PART_TOO_LONG = _("第 %(line)d 行的%(part)s最多 %(limit)d 个字。")
# Every reference at its longest, with its separators.
REFERENCES_MAX_LENGTH = MAX_REFERENCES * (
    REFERENCE_SOURCE_MAX_LENGTH + REFERENCE_TITLE_MAX_LENGTH + REFERENCE_URL_MAX_LENGTH + 20
)
LIMITED = {"max_length": TEXT_TOO_LONG}


def references_to_text(references) -> str:
    """One line per reference; takes anything with source, title, published_on and url."""
    lines = []
    for reference in references:
        date = reference.published_on.isoformat() if reference.published_on else ""
        parts = [reference.source, reference.title, date, reference.url]
        lines.append(" | ".join(parts).rstrip(" |"))
    return "\n".join(lines)


def parse_references(text: str) -> list[ReferenceInput]:
    references = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if len(references) == MAX_REFERENCES:
            raise ValidationError(TOO_MANY_REFERENCES, params={"limit": MAX_REFERENCES})
        parts = [part.strip() for part in line.split("|")]
        if len(parts) > 4 or not parts[0]:
            raise ValidationError(BAD_REFERENCE, params={"line": number})
        parts += [""] * (4 - len(parts))
        source, title, date, url = parts
        for part, value, limit in (
            (_("来源"), source, REFERENCE_SOURCE_MAX_LENGTH),
            (_("标题"), title, REFERENCE_TITLE_MAX_LENGTH),
            (_("链接"), url, REFERENCE_URL_MAX_LENGTH),
        ):
            if len(value) > limit:
                raise ValidationError(
                    REFERENCE_PART_TOO_LONG, params={"line": number, "part": part, "limit": limit}
                )
        published = None
        if date:
            try:
                published = dt.date.fromisoformat(date)
            except ValueError:
                raise ValidationError(BAD_REFERENCE_DATE, params={"line": number}) from None
        if url and not re.match(r"^https?://\S+$", url):
            raise ValidationError(BAD_REFERENCE_URL, params={"line": number})
        references.append(
            ReferenceInput(source=source, title=title, published_on=published, url=url)
        )
    return references


class ArticleForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=TITLE_MAX_LENGTH, error_messages=LIMITED)
    channel = forms.ModelChoiceField(
        label=_("频道"), queryset=Channel.objects.filter(is_active=True), empty_label=None
    )
    tags = forms.CharField(
        label=_("标签"),
        required=False,
        max_length=100,
        help_text=_("用逗号或空格分隔，最多 5 个"),
        error_messages=LIMITED,
    )
    summary = forms.CharField(
        label=_("摘要"),
        required=False,
        max_length=SUMMARY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages=LIMITED,
    )
    body_source = forms.CharField(
        label=_("正文"),
        max_length=BODY_MAX_LENGTH,
        error_messages=LIMITED,
        widget=forms.Textarea(attrs={"rows": 20, "class": "editor"}),
        help_text=_('支持 Markdown：## 小标题，空行分段，![图片说明](图片地址 "图注")'),
    )
    references = forms.CharField(
        label=_("参考资料"),
        required=False,
        max_length=REFERENCES_MAX_LENGTH,
        error_messages=LIMITED,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=REFERENCE_LINE_HELP,
    )
    cover = forms.ModelChoiceField(
        label=_("封面"),
        queryset=ArticleImage.objects.none(),
        required=False,
        empty_label=_("（自动：正文第一张上传的图片）"),
        help_text=_("从你上传过的图片中选择"),
    )
    is_original = forms.BooleanField(label=_("声明原创"), required=False)
    scheduled_at = forms.DateTimeField(
        label=_("定时发布"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("留空则审核通过后立即发布"),
    )

    def __init__(self, *args, creator=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if creator is not None:
            self.fields["cover"].queryset = ArticleImage.objects.filter(owner=creator).order_by(
                "-created_at"
            )
            self.fields["cover"].label_from_instance = lambda image: image.alt

    def clean_tags(self) -> list[str]:
        return [tag for tag in re.split(r"[,，、\s]+", self.cleaned_data["tags"]) if tag]

    def clean_references(self) -> list[ReferenceInput]:
        return parse_references(self.cleaned_data["references"])

    def to_input(self) -> ArticleInput:
        data = self.cleaned_data
        cover = data.get("cover")
        return ArticleInput(
            title=data["title"],
            channel=data["channel"],
            body_source=data["body_source"],
            summary=data["summary"],
            tags=data["tags"],
            references=data["references"],
            is_original=data["is_original"],
            cover=cover.file.name if cover else "",
            cover_alt=cover.alt if cover else "",
        )


class ImportForm(forms.Form):
    text = forms.CharField(
        label=_("粘贴纯文本"),
        # The body and its references, each at its longest.
        max_length=BODY_MAX_LENGTH + REFERENCES_MAX_LENGTH,
        error_messages=LIMITED,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("从别处复制的全文：自动识别段落、小标题和参考资料，确认后再保存"),
    )


class ImageForm(forms.Form):
    image = forms.FileField(label=_("图片"), help_text=_("JPEG、PNG、WebP 或 GIF，不超过 10 MB"))

    def clean_image(self):
        upload = self.cleaned_data["image"]
        # Refuse before reading: the size is known from the upload without loading it.
        if upload.size > MAX_BYTES:
            raise ValidationError(str(TOO_LARGE))
        return upload

    alt = forms.CharField(
        label=_("替代文字"),
        max_length=120,
        help_text=_("描述图片内容，供视障读者使用（必填）"),
        error_messages=LIMITED,
    )
    caption = forms.CharField(
        label=_("图注"), max_length=120, required=False, error_messages=LIMITED
    )
