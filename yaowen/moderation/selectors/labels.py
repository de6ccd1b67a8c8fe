"""The names of the reasons an item is in a queue, shared by badges and filters."""

from django.utils.translation import gettext_lazy as _

from yaowen.engagement.models import Report

REASON_LABELS = {
    "duplicate": _("疑似重复"),
    "channel": _("频道可能不符"),
    "words": _("敏感词"),
    "original": _("声明原创"),
    "resubmitted": _("再次提交"),
    "held": _("待审跟帖"),
    **dict(Report.Reason.choices),
}

# Which reasons each queue can be filtered by.
QUEUE_REASONS = {
    "applications": ("words", "resubmitted"),
    "articles": ("duplicate", "channel", "words", "original"),
    "reported_articles": tuple(Report.Reason.values),
    "reported_comments": tuple(Report.Reason.values),
    "flags": ("duplicate", "channel", "words", "held"),
    "appeals": (),
}
