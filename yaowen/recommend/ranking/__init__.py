"""The personal feed's ranking: profile, scoring, diversity. Pure Python, no Django."""

from .diversity import feed_diversify
from .duplicates import DuplicateIndex, near_duplicate
from .profile import profile_build, profile_confidence
from .score import feed_rank
from .types import Candidate, Hidden, Interaction, Profile, Ranked, Reason

__all__ = [
    "Candidate",
    "DuplicateIndex",
    "Hidden",
    "Interaction",
    "Profile",
    "Ranked",
    "Reason",
    "feed_diversify",
    "feed_rank",
    "near_duplicate",
    "profile_build",
    "profile_confidence",
]
