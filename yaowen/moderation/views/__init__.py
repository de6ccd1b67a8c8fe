"""The moderation workspace (not the Django admin): queues, decision pages, the audit log
and headline pins, one module per concern."""

from yaowen.moderation.views.appeals import appeal_review
from yaowen.moderation.views.audit import audit_export, audit_log
from yaowen.moderation.views.comments import comment_review
from yaowen.moderation.views.decisions import application_review, article_review, report_decide
from yaowen.moderation.views.pins import pin_end, pins
from yaowen.moderation.views.workspace import comments_hide_view, queue

__all__ = [
    "appeal_review",
    "application_review",
    "article_review",
    "audit_export",
    "audit_log",
    "comment_review",
    "comments_hide_view",
    "pin_end",
    "pins",
    "queue",
    "report_decide",
]
