"""The reader's feed signals: reading history, 不感兴趣, and channels picked by hand."""

from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yaowen.accounts.models import CreatorProfile, User
from yaowen.core.cache import Outage
from yaowen.core.errors import ApplicationError
from yaowen.newsroom.models import Article, Channel
from yaowen.recommend.models import ChannelPick, FeedHide, Reading

# A reader reopening an article within this window is one reading: no write per view.
READING_WINDOW_SECONDS = 30 * 60
MAX_PICKS = 10
BAD_HIDE = _("无法识别要屏蔽的内容。")
TOO_MANY_PICKS = _("最多选择 10 个频道。")
_history_outage = Outage("reading history (pages served without recording readings)")


def reading_record(*, user: User, article_id: int) -> bool:
    """Remember that a logged-in reader opened an article (the feed's history); at most
    one write per reader and article per window. Returns whether it wrote."""
    if not user.is_authenticated:
        return False
    key = f"reading:{user.pk}:{article_id}"
    if not cache.add(key, 1, READING_WINDOW_SECONDS):
        return False
    try:
        with transaction.atomic():
            Reading.objects.update_or_create(
                user=user, article_id=article_id, defaults={"read_at": timezone.now()}
            )
    except DatabaseError as exc:
        # A database refusing writes (read-only, disk full) must not cost the reader the
        # page: the history misses one reading, logged once a minute.
        cache.delete(key)
        _history_outage.failed("record a reading", exc)
        return False
    _history_outage.succeeded()
    return True


def feed_hide(*, user: User, kind: str, target_id: int) -> FeedHide:
    """不感兴趣: keep an article, a creator or a channel out of the reader's feed."""
    exists = {
        FeedHide.Kind.ARTICLE: Article.objects.filter(pk=target_id),
        FeedHide.Kind.AUTHOR: CreatorProfile.objects.filter(pk=target_id),
        FeedHide.Kind.CHANNEL: Channel.objects.filter(pk=target_id),
    }.get(kind)
    if exists is None or not exists.exists():
        raise ApplicationError(str(BAD_HIDE))
    hide, _created = FeedHide.objects.get_or_create(user=user, kind=kind, target_id=target_id)
    return hide


@transaction.atomic
def channel_picks_set(*, user: User, channels: list[Channel]) -> None:
    """The channels a reader cares about, replacing earlier picks (a new reader's feed)."""
    if len(channels) > MAX_PICKS:
        raise ApplicationError(str(TOO_MANY_PICKS))
    ChannelPick.objects.filter(user=user).delete()
    ChannelPick.objects.bulk_create(ChannelPick(user=user, channel=c) for c in channels)
