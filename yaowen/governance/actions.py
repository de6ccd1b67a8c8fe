"""The platform's roles and the acts they allow, and the names the audit log gives acts.

Plain choices, no queries: the models, the role checks and the templates all read them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Role(models.TextChoices):
    READER = "reader", _("读者")
    CREATOR = "creator", _("创作者")
    EDITOR = "editor", pgettext_lazy("role", "编辑")
    ADMIN = "admin", _("管理员")


class Action(models.TextChoices):
    """What a role may do; also the audit log's name for the act where they coincide."""

    APPLICATION_REVIEW = "application_review", _("审核入驻申请")
    ARTICLE_REVIEW = "article_review", _("审核文章")
    ARTICLE_TAKE_DOWN = "article_take_down", _("下架文章")
    ARTICLE_RESTORE = "article_restore", _("恢复文章")
    COMMENT_HIDE = "comment_hide", _("隐藏跟帖")
    READER_BAN = "reader_ban", _("禁止跟帖")
    CREATOR_SUSPEND = "creator_suspend", _("暂停创作者")
    REPORT_REVIEW = "report_review", _("处理举报")
    APPEAL_DECIDE = "appeal_decide", _("处理申诉")
    ORIGINAL_CLAIM_REVIEW = "original_claim_review", _("审核原创声明")
    AUDIT_VIEW = "audit_view", _("查看审核日志")
    WORDS_EDIT = "words_edit", _("编辑敏感词")
    PIN_EDIT = "pin_edit", _("编辑推荐置顶")


# Acts the log names that are not themselves permissions (roles.Action covers the rest).
EVENT_LABELS = {
    "application_approve": _("通过入驻申请"),
    "application_reject": _("驳回入驻申请"),
    "article_approve": _("通过文章"),
    "article_reject": _("驳回文章"),
    "article_request_changes": _("要求修改文章"),
    "comment_release": _("放行跟帖"),
    "comment_unhide": _("恢复跟帖"),
    "reader_unban": _("解除禁止跟帖"),
    "creator_unsuspend": _("恢复创作者"),
    "original_claim_reinstate": _("恢复原创声明"),
    "appeal_uphold": _("申诉驳回，维持原处理"),
    "appeal_reverse": _("申诉成立，撤销原处理"),
    "flag_clear": _("确认标记无需处理"),
}


# Acts the affected person may appeal against: each can be undone (services.appeals).
APPEALABLE = frozenset(
    {
        Action.ARTICLE_TAKE_DOWN,
        Action.COMMENT_HIDE,
        Action.READER_BAN,
        Action.CREATOR_SUSPEND,
        Action.ORIGINAL_CLAIM_REVIEW,
    }
)


def action_label(code: str) -> str:
    """The reader-facing name of an audit action code (the code itself if unknown)."""
    if code in Action.values:
        return str(Action(code).label)
    return str(EVENT_LABELS.get(code, code))
