"""Editors' picks: pinning articles into channel headline blocks for a time (编辑推荐)."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yaowen.accounts.models import User
from yaowen.core.cache import invalidate
from yaowen.core.errors import ApplicationError, PermissionDeniedError
from yaowen.newsroom.models import Article, Channel
from yaowen.recommend.models import HeadlinePin
from yaowen.recommend.selectors import BLOCKS_KEY

NOT_AN_EDITOR = _("你没有置顶头条的权限。")
PIN_NOT_PUBLISHED = _("只能置顶已发布的文章。")
PIN_NO_BLOCK = _("这个频道没有头条区块。")
PIN_BAD_WINDOW = _("结束时间必须晚于开始时间和当前时间。")
PIN_TOO_LONG = _("置顶最长 30 天。")
MAX_PIN = dt.timedelta(days=30)


def _require_editor(user: User) -> None:
    if not user.has_perm("recommend.pin_headline"):
        raise PermissionDeniedError(str(NOT_AN_EDITOR))


@transaction.atomic
def headline_pin(
    *,
    article: Article,
    channel: Channel,
    ends_at: dt.datetime,
    by: User,
    starts_at: dt.datetime | None = None,
    position: int = 0,
    note: str = "",
) -> HeadlinePin:
    """Pin a published article into a channel's headline block from `starts_at` (now) to
    `ends_at`; pins lead the block by position, the hot list fills the rest."""
    _require_editor(by)
    now = timezone.now()
    starts_at = starts_at or now
    if article.status != Article.Status.PUBLISHED:
        raise ApplicationError(str(PIN_NOT_PUBLISHED))
    if not channel.in_blocks:
        raise ApplicationError(str(PIN_NO_BLOCK))
    if ends_at <= starts_at or ends_at <= now:
        raise ApplicationError(str(PIN_BAD_WINDOW))
    if ends_at - starts_at > MAX_PIN:
        raise ApplicationError(str(PIN_TOO_LONG))
    pin = HeadlinePin.objects.create(
        channel=channel,
        article=article,
        starts_at=starts_at,
        ends_at=ends_at,
        position=position,
        note=note.strip(),
        created_by=by,
    )
    transaction.on_commit(lambda: invalidate(BLOCKS_KEY))
    return pin


@transaction.atomic
def headline_unpin(*, pin: HeadlinePin, by: User) -> HeadlinePin:
    """End a pin now; the row stays as the record of what was pinned, by whom, when."""
    _require_editor(by)
    now = timezone.now()
    if pin.ends_at > now:
        pin.ends_at = max(now, pin.starts_at + dt.timedelta(microseconds=1))
        pin.save(update_fields=["ends_at"])
    transaction.on_commit(lambda: invalidate(BLOCKS_KEY))
    return pin
