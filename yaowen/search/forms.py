"""The search form: what a reader may type and filter by, checked before any query runs."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yaowen.core.http import MAX_ID
from yaowen.newsroom.models import Channel
from yaowen.search.query import MAX_QUERY_CHARS
from yaowen.search.selectors import Filters

PERIODS = {
    "day": dt.timedelta(days=1),
    "week": dt.timedelta(days=7),
    "month": dt.timedelta(days=30),
    "year": dt.timedelta(days=365),
}

NO_SUCH_AUTHOR = _("没有这位作者。")


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("搜索"),
        max_length=MAX_QUERY_CHARS,
        required=False,
        error_messages={"max_length": _("搜索词最多 %(limit_value)d 个字。")},
    )
    channel = forms.ModelChoiceField(
        label=_("频道"),
        queryset=Channel.objects.filter(is_active=True),
        to_field_name="slug",
        required=False,
        empty_label=_("全部频道"),
        error_messages={"invalid_choice": _("没有这个频道。")},
    )
    author = forms.IntegerField(
        label=_("作者"),
        required=False,
        min_value=1,
        # A larger number is no author, and would overflow the database's integer.
        max_value=MAX_ID,
        widget=forms.HiddenInput,
        error_messages={
            "invalid": NO_SUCH_AUTHOR,
            "min_value": NO_SUCH_AUTHOR,
            "max_value": NO_SUCH_AUTHOR,
        },
    )
    time = forms.ChoiceField(
        label=_("时间"),
        required=False,
        choices=[
            ("", _("不限时间")),
            ("day", _("一天内")),
            ("week", _("一周内")),
            ("month", _("一月内")),
            ("year", _("一年内")),
        ],
    )
    sort = forms.ChoiceField(
        label=_("排序"),
        required=False,
        choices=[("", _("综合排序")), ("time", _("按时间"))],
    )

    def filters(self) -> Filters:
        data = self.cleaned_data
        period = PERIODS.get(data.get("time") or "")
        return Filters(
            channel_id=data["channel"].pk if data.get("channel") else None,
            author_id=data.get("author"),
            since=timezone.now() - period if period else None,
        )
