"""Review decisions: the record every application and article verdict leaves behind."""

from collections.abc import Sequence

from django.contrib.auth.base_user import AbstractBaseUser

from yaowen.governance.models import ReviewDecision


def decision_record(
    *,
    subject: str,
    object_id: int,
    verdict: str,
    reviewer: AbstractBaseUser,
    reasons: Sequence[str] = (),
    note: str = "",
) -> ReviewDecision:
    """Append one decision (who, when, what, why); decisions are never edited."""
    return ReviewDecision.objects.create(
        subject=subject,
        object_id=object_id,
        verdict=verdict,
        reviewer=reviewer,
        reasons=list(reasons),
        note=note.strip(),
    )
