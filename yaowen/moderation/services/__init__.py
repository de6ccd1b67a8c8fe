"""Moderation writes, by topic: decisions, the audit log, actions and appeals.

Only the decision record is re-exported here: newsroom and accounts import this package,
and the action and appeal modules import them back.
"""

from yaowen.moderation.services.decisions import decision_record

__all__ = ["decision_record"]
