"""Hot score: engagement with time decay. A pure function; the constants are the policy.

    score = (views + 8·comments + 4·likes + 10·shares) / (age_hours + 2) ^ 1.5

A comment, like or share says more than a view, so they weigh more. The +2 hours keeps a
brand-new article from dividing by almost zero; the 1.5 gravity halves an article's score
in roughly its first 1.2 hours and keeps it falling, so yesterday's hit yields to today's.
"""

VIEW_WEIGHT = 1.0
COMMENT_WEIGHT = 8.0
LIKE_WEIGHT = 4.0
SHARE_WEIGHT = 10.0
AGE_OFFSET_HOURS = 2.0
GRAVITY = 1.5
# Articles older than this drop out of hot lists entirely (score 0).
HOT_WINDOW_HOURS = 30 * 24


def hot_score(*, views: int, comments: int, likes: int, shares: int, age_hours: float) -> float:
    """The time-decayed engagement score of one article; 0 outside the hot window."""
    if age_hours > HOT_WINDOW_HOURS:
        return 0.0
    engagement = (
        VIEW_WEIGHT * views
        + COMMENT_WEIGHT * comments
        + LIKE_WEIGHT * likes
        + SHARE_WEIGHT * shares
    )
    return engagement / (max(age_hours, 0.0) + AGE_OFFSET_HOURS) ** GRAVITY
