"""Workspace forms: queue filters, decisions with their reasons, bulk hiding, audit filters
and headline pins."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from yaowen.accounts.models import CreatorApplication
from yaowen.core.http import MAX_ID, parse_id
from yaowen.engagement.models import Comment, Report
from yaowen.governance.audit import audit_action_choices
from yaowen.governance.models import AuditEntry
from yaowen.moderation.selectors.audit import AuditFilter, audit_actors
from yaowen.moderation.selectors.labels import QUEUE_REASONS, REASON_LABELS
from yaowen.moderation.selectors.queues import QueueFilter
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
AGE_CHOICES = [
    ("", _("不限时间")),
    ("1h", _("1 小时内")),
    ("24h", _("24 小时内")),
    ("gt24h", _("超过 24 小时")),
    ("gt3d", _("超过 3 天")),
]
REASON_REQUIRED = _("请填写处理理由。")
NOTHING_SELECTED = _("请至少选择一条跟帖。")
NO_SUCH_COMMENT = _("所选跟帖不存在，请刷新页面后重新选择。")
NO_SUCH_ARTICLE = _("没有这篇文章。")
DATES_REVERSED = _("开始日期不能晚于结束日期。")


REASON_LABEL = _("理由")


def _reason_field(label=REASON_LABEL) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": REASON_REQUIRED},
    )


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


class ArticleActionForm(forms.Form):
    """Every act on an article other than approve/reject needs a written reason."""

    ACTIONS = [
        ("request_changes", _("要求修改")),
        ("take_down", _("下架")),
        ("restore", _("恢复")),
        ("false_original", _("确认原创声明不实")),
        ("suspend", _("暂停创作者")),
        ("unsuspend", _("恢复创作者")),
        ("dismiss_reports", _("驳回举报")),
        ("clear_flags", _("标记无误，保留")),
    ]
    action = forms.ChoiceField(choices=ACTIONS, widget=forms.HiddenInput)
    reason = _reason_field()
    # Taking down only: the category the article page's 410 notice names.
    category = forms.ChoiceField(
        label=_("下架类别"), required=False, choices=[("", _("不注明"))] + Report.Reason.choices
    )


class CommentActionForm(forms.Form):
    ACTIONS = [
        ("release", _("放行跟帖")),
        ("hide", _("隐藏跟帖")),
        ("ban", _("禁止跟帖")),
        ("unban", _("解除禁止跟帖")),
        ("dismiss_reports", _("驳回举报")),
        ("clear_flags", _("标记无误，保留")),
    ]
    action = forms.ChoiceField(choices=ACTIONS, widget=forms.HiddenInput)
    reason = _reason_field()
    hide_earlier = forms.BooleanField(label=_("同时隐藏此人以前的跟帖"), required=False)


class AppealDecisionForm(forms.Form):
    """Another editor keeps or undoes the act appealed against, saying why."""

    verdict = forms.ChoiceField(
        label=_("结论"),
        choices=[("uphold", _("维持原处理")), ("reverse", _("撤销原处理"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择维持还是撤销原处理。")},
    )
    reason = _reason_field(_("处理说明（会发送给申诉人）"))


class RowsField(forms.ModelMultipleChoiceField):
    """Rows picked by id. A value that is no id is refused before the query: "abc" would
    make the ORM raise, and a 20-digit number overflow the database's integer."""

    def _check_values(self, value):
        for pk in value:
            if parse_id(pk) is None:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class BulkHideForm(forms.Form):
    """Hide many reported or flagged comments with one reason."""

    comment_ids = RowsField(
        label=_("跟帖"),
        queryset=Comment.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": NOTHING_SELECTED,
            "invalid_pk_value": NO_SUCH_COMMENT,
            "invalid_choice": NO_SUCH_COMMENT,
        },
    )
    reason = _reason_field(_("隐藏理由"))


class QueueFilterForm(forms.Form):
    """Channel, age and reason; values the editor may not use are form errors."""

    channel = forms.ModelChoiceField(
        label=_("频道"), queryset=Channel.objects.none(), required=False, empty_label=_("全部频道")
    )
    age = forms.ChoiceField(label=_("等待时间"), choices=AGE_CHOICES, required=False)
    reason = forms.ChoiceField(label=_("原因"), required=False)

    def __init__(self, *args, queue: str, channel_ids: set[int] | None, **kwargs) -> None:
        super().__init__(*args, label_suffix="", **kwargs)
        channels = Channel.objects.filter(is_active=True)
        if channel_ids is not None:
            channels = channels.filter(pk__in=channel_ids)
        self.fields["channel"].queryset = channels
        reasons = QUEUE_REASONS.get(queue, ())
        self.fields["reason"].choices = [("", _("全部原因"))] + [
            (code, REASON_LABELS[code]) for code in reasons
        ]
        if not reasons:
            del self.fields["reason"]

    def filters(self) -> QueueFilter:
        """The valid part of the filters (an invalid value filters nothing)."""
        if not self.is_bound:
            return QueueFilter()
        self.is_valid()
        data = self.cleaned_data
        channel = data.get("channel")
        return QueueFilter(
            channel=channel.pk if channel else None,
            age=data.get("age") or "",
            reason=data.get("reason") or "",
        )


class AuditFilterForm(forms.Form):
    actor = forms.ModelChoiceField(
        label=_("操作人"), queryset=None, required=False, empty_label=_("全部")
    )
    action = forms.ChoiceField(label=_("操作"), required=False)
    subject_type = forms.ChoiceField(
        label=_("对象类型"),
        required=False,
        choices=[("", _("全部"))] + AuditEntry.SubjectType.choices,
    )
    since = forms.DateField(
        label=_("开始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("结束日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, label_suffix="", **kwargs)
        self.fields["actor"].queryset = audit_actors()
        self.fields["action"].choices = [("", _("全部"))] + audit_action_choices()

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", DATES_REVERSED)
        return data

    def filters(self) -> AuditFilter:
        """The valid part of the filters (an invalid value filters nothing)."""
        if not self.is_bound:
            return AuditFilter()
        self.is_valid()
        data = self.cleaned_data
        return AuditFilter(
            actor=data.get("actor"),
            action=data.get("action") or "",
            subject_type=data.get("subject_type") or "",
            since=data.get("since"),
            until=data.get("until"),
        )


class PinForm(forms.Form):
    """Pin an article into a channel's headline block for some hours (编辑推荐)."""

    article = forms.IntegerField(
        label=_("文章编号"),
        min_value=1,
        max_value=MAX_ID,
        error_messages={"min_value": NO_SUCH_ARTICLE, "max_value": NO_SUCH_ARTICLE},
    )
    channel = forms.ModelChoiceField(label=_("头条区块"), queryset=None, empty_label=None)
    hours = forms.IntegerField(label=_("置顶小时数"), min_value=1, max_value=720, initial=24)
    position = forms.IntegerField(label=_("位置（越小越靠前）"), min_value=0, initial=0)
    note = forms.CharField(label=_("备注"), required=False, max_length=200)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["channel"].queryset = Channel.objects.filter(in_blocks=True)
