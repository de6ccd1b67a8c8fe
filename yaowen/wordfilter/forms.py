"""Sensitive-word forms: one word, a batch import, the list's filters, and a test text."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from yaowen.wordfilter.models import WORD_MAX_LENGTH, SensitiveWord

IMPORT_MAX_BYTES = 5 * 1024 * 1024
IMPORT_EMPTY = _("请粘贴词语或选择一个文本文件。")
IMPORT_TOO_LARGE = _("文件不能超过 5 MB，更大的词库请用命令行导入。")
IMPORT_NOT_TEXT = _("文件不是 UTF-8 编码的文本文件。")


class WordForm(forms.Form):
    word = forms.CharField(label=_("词语"), max_length=WORD_MAX_LENGTH)
    category = forms.ChoiceField(label=_("类别"), choices=SensitiveWord.Category.choices)
    action = forms.ChoiceField(
        label=_("处理方式"),
        choices=SensitiveWord.Action.choices,
        help_text=_("禁止发布：直接拒绝；送人工审核：进入审核队列；替换为＊：发布时遮盖。"),
    )
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


class ImportForm(forms.Form):
    words = forms.CharField(
        label=_("词语（每行一个）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("空行和以 # 开头的行会被忽略；已在词库中的词会跳过。"),
    )
    file = forms.FileField(label=_("或上传文本文件"), required=False)
    category = forms.ChoiceField(label=_("类别"), choices=SensitiveWord.Category.choices)
    action = forms.ChoiceField(label=_("处理方式"), choices=SensitiveWord.Action.choices)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return ""
        if upload.size > IMPORT_MAX_BYTES:
            raise ValidationError(str(IMPORT_TOO_LARGE))
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ValidationError(str(IMPORT_NOT_TEXT)) from error

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not (cleaned.get("words", "").strip() or cleaned.get("file")):
            raise ValidationError(str(IMPORT_EMPTY))
        return cleaned

    def lines(self) -> list[str]:
        data = self.cleaned_data
        return data.get("words", "").splitlines() + (data.get("file") or "").splitlines()


class FilterForm(forms.Form):
    """The list's filters; invalid values are ignored rather than refused."""

    q = forms.CharField(label=_("搜索"), required=False, max_length=WORD_MAX_LENGTH)
    category = forms.ChoiceField(
        label=_("类别"),
        required=False,
        choices=[("", _("全部类别")), *SensitiveWord.Category.choices],
    )
    action = forms.ChoiceField(
        label=_("处理方式"),
        required=False,
        choices=[("", _("全部处理方式")), *SensitiveWord.Action.choices],
    )

    def filters(self) -> dict[str, str]:
        """The valid, non-empty filters (cleaned_data keeps the valid fields of a bad query)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}


class CheckForm(forms.Form):
    text = forms.CharField(
        label=_("待检测文本"), max_length=20000, widget=forms.Textarea(attrs={"rows": 8})
    )
