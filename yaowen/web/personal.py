"""The personal feed (/feed/): pages of recommendations, 不感兴趣, and channel picks.

Which items a reader has seen is kept in the session, so each "more" page continues
after the last one (no repeats), and a 不感兴趣 takes effect from the next page on.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from yaowen.core.errors import ApplicationError
from yaowen.core.http import parse_ids, wants_json
from yaowen.newsroom.models import Channel
from yaowen.newsroom.selectors import channel_list
from yaowen.recommend.feed import feed_page, reader_signals
from yaowen.recommend.models import FeedHide
from yaowen.recommend.services.feed import channel_picks_set, feed_hide

SHOWN_KEY = "feed_shown"
MAX_SHOWN = 400


def feed_context(request: HttpRequest, number: int = 1) -> dict:
    """Page `number` of this reader's feed; page one starts a new sequence of pages, each
    later page continues after everything shown since (kept in the session)."""
    signals = reader_signals(request.user)
    signed_in = request.user.is_authenticated
    shown = list(request.session.get(SHOWN_KEY, [])) if signed_in and number > 1 else []
    page = feed_page(signals=signals, shown=shown)
    if signed_in:
        request.session[SHOWN_KEY] = [*shown, *(pick.id for pick in page.items)][-MAX_SHOWN:]
    return {
        "page": page,
        "next_page": number + 1 if page.has_more and signed_in else None,
        # A reader with no history yet is offered the channels to start from.
        "channels": [c for c in channel_list() if c.group == Channel.Group.MAIN]
        if signed_in and not page.profile.history
        else [],
        "picked": set(signals.picked),
        "hide_kinds": FeedHide.Kind.choices,
    }


@require_GET
@cache_control(private=True, no_cache=True)
def feed(request: HttpRequest) -> HttpResponse:
    """推荐: the personal feed; `?page=N` continues after what was shown. Never in the page
    cache, nor in a shared one: each page depends on what this reader was already shown."""
    try:
        number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        number = 1
    context = feed_context(request, number)
    if request.GET.get("fragment"):
        return render(request, "includes/feed_items.html", context)
    return render(request, "web/feed.html", context)


@login_required
@require_POST
def hide(request: HttpRequest) -> HttpResponse:
    """不感兴趣: by article, creator or channel; honoured from the next page on."""
    kind, target = request.POST.get("kind", ""), request.POST.get("target", "")
    if kind == FeedHide.Kind.CHANNEL and not target.isdigit():
        # Cards name their channel by slug.
        target = str(Channel.objects.filter(slug=target).values_list("pk", flat=True).first() or 0)
    try:
        feed_hide(user=request.user, kind=kind, target_id=int(target or "0"))
    except (ApplicationError, ValueError) as error:
        message = error.message if isinstance(error, ApplicationError) else _("参数错误。")
        if wants_json(request):
            return JsonResponse({"error": message}, status=400)
        messages.error(request, message)
        return HttpResponseRedirect(reverse("web:feed"))
    if wants_json(request):
        return JsonResponse({"hidden": True})
    messages.success(request, _("好的，将减少这类内容。"))
    return HttpResponseRedirect(reverse("web:feed"))


@login_required
@require_POST
def pick_channels(request: HttpRequest) -> HttpResponse:
    """A reader's channels of interest (shown to readers with no history yet)."""
    wanted = parse_ids(request.POST.getlist("channel"))
    channels = list(Channel.objects.filter(pk__in=wanted))
    try:
        channel_picks_set(user=request.user, channels=channels)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已更新你感兴趣的频道。"))
    return HttpResponseRedirect(reverse("web:feed"))
