"""Review forms: approve, or reject with reasons from a list plus free text."""

from django import forms
from django.utils.translation import gettext_lazy as _

from yaowen.accounts.models import CreatorApplication

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
