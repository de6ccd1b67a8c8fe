"""Account writes: following and unfollowing creators, with exact follower counts."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from yaowen.accounts.models import CreatorProfile, Follow, User
from yaowen.core.errors import ApplicationError

CANNOT_FOLLOW_SELF = _("不能关注自己。")
CREATOR_SUSPENDED = _("该创作者账号已暂停，暂时无法关注。")


@transaction.atomic
def follow_create(*, follower: User, creator: CreatorProfile) -> bool:
    """Follow `creator`; returns False if already following. The count moves with the row."""
    if follower.pk == creator.user_id:
        raise ApplicationError(str(CANNOT_FOLLOW_SELF))
    if creator.status != CreatorProfile.Status.ACTIVE:
        raise ApplicationError(str(CREATOR_SUSPENDED))
    try:
        with transaction.atomic():
            Follow.objects.create(follower=follower, followee_id=creator.user_id)
    except IntegrityError:
        return False
    CreatorProfile.objects.filter(pk=creator.pk).update(follower_count=F("follower_count") + 1)
    return True


@transaction.atomic
def follow_delete(*, follower: User, creator: CreatorProfile) -> bool:
    """Stop following `creator`; returns False if the reader was not following."""
    deleted, _rows = Follow.objects.filter(follower=follower, followee_id=creator.user_id).delete()
    if not deleted:
        return False
    CreatorProfile.objects.filter(pk=creator.pk, follower_count__gt=0).update(
        follower_count=F("follower_count") - 1
    )
    return True
