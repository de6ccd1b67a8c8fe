"""Engagement writes, by topic: comments, reactions (likes, shares, reports), the inbox."""
