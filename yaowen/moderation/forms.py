"""Review forms: approve, or reject with reasons from a list plus free text."""

from django import forms
from django.utils.translation import gettext_lazy as _

from yaowen.accounts.models import CreatorApplication
from yaowen.newsroom.models import Channel

ARTICLE_REASONS = [
    ("quality", _("内容质量不达标")),
    ("title", _("标题夸张或与正文不符")),
    ("channel", _("频道选择不当")),
    ("copy", _("疑似抄袭或未注明来源")),
    ("ad", _("含有广告或营销内容")),
    ("facts", _("事实性错误或缺少信源")),
    ("other", _("其他")),
]


class DecisionForm(forms.Form):
    verdict = forms.ChoiceField(
        choices=[("approve", _("通过")), ("reject", _("驳回"))], widget=forms.HiddenInput
    )
    reasons = forms.MultipleChoiceField(
        label=_("驳回原因"), required=False, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(
        label=_("说明"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, reasons=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reasons"].choices = reasons or []


def application_decision_form(data=None) -> DecisionForm:
    return DecisionForm(data, reasons=CreatorApplication.Reason.choices)


def article_decision_form(data=None) -> DecisionForm:
    return DecisionForm(data, reasons=ARTICLE_REASONS)


class PinForm(forms.Form):
    """Pin an article into a channel's headline block for some hours (编辑推荐)."""

    article = forms.IntegerField(label=_("文章编号"), min_value=1)
    channel = forms.ModelChoiceField(label=_("头条区块"), queryset=None, empty_label=None)
    hours = forms.IntegerField(label=_("置顶小时数"), min_value=1, max_value=720, initial=24)
    position = forms.IntegerField(label=_("位置（越小越靠前）"), min_value=0, initial=0)
    note = forms.CharField(label=_("备注"), required=False, max_length=200)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["channel"].queryset = Channel.objects.filter(in_blocks=True)
