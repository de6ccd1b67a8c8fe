"""Moderation reads: the workspace queues, automatic flags, appeals and the audit log."""

from yaowen.moderation.selectors.audit import (
    AuditFilter,
    audit_actors,
    audit_entries,
    audit_for,
)
from yaowen.moderation.selectors.flags import (
    FLAG_WINDOW,
    Flagged,
    ItemFlags,
    application_badges,
    article_badges,
    comment_badges,
    flagged_items,
    report_badges,
)
from yaowen.moderation.selectors.queues import (
    QueueFilter,
    appeal_queue,
    application_queue,
    article_queue,
    decision_history,
    open_reports_for,
    reported_article_queue,
    reported_comment_queue,
    subject_channel_id,
)
from yaowen.moderation.selectors.screening import Badge, hit_snippets, text_screen

__all__ = [
    "FLAG_WINDOW",
    "AuditFilter",
    "Badge",
    "Flagged",
    "ItemFlags",
    "QueueFilter",
    "appeal_queue",
    "application_badges",
    "application_queue",
    "article_badges",
    "article_queue",
    "audit_actors",
    "audit_entries",
    "audit_for",
    "comment_badges",
    "decision_history",
    "flagged_items",
    "hit_snippets",
    "open_reports_for",
    "report_badges",
    "reported_article_queue",
    "reported_comment_queue",
    "subject_channel_id",
    "text_screen",
]
