"""Account reads: creators and follow state."""

from yaowen.accounts.models import CreatorProfile, Follow, User


def creator_get(creator_id: int) -> CreatorProfile | None:
    return CreatorProfile.objects.select_related("user", "field").filter(pk=creator_id).first()


def follow_exists(*, follower: User, creator: CreatorProfile) -> bool:
    if not follower.is_authenticated:
        return False
    return Follow.objects.filter(follower=follower, followee_id=creator.user_id).exists()


def creator_list():
    """Active creators, most followed first (the 要闻号 directory)."""
    return (
        CreatorProfile.objects.filter(status=CreatorProfile.Status.ACTIVE)
        .select_related("field")
        .order_by("-follower_count", "pk")
    )
