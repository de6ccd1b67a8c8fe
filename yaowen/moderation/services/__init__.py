"""Moderation writes, by topic: actions on content and people, appeals, reports and flags."""
