"""Editors' headline pins (编辑推荐): the pins in force or scheduled, add one, end one."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from yaowen.core.errors import ApplicationError
from yaowen.moderation.forms import NO_SUCH_ARTICLE, PinForm
from yaowen.newsroom.models import Article
from yaowen.recommend.models import HeadlinePin
from yaowen.recommend.services.pins import headline_pin, headline_unpin


def _require_pins(request: HttpRequest) -> None:
    if not request.user.has_perm("recommend.pin_headline"):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def pins(request: HttpRequest) -> HttpResponse:
    """Editors' picks: the pins in force or scheduled, and a form to add one."""
    _require_pins(request)
    form = PinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        article = Article.objects.filter(pk=data["article"]).first()
        if article is None:
            form.add_error("article", NO_SUCH_ARTICLE)
        else:
            try:
                headline_pin(
                    article=article,
                    channel=data["channel"],
                    ends_at=timezone.now() + dt.timedelta(hours=data["hours"]),
                    position=data["position"],
                    note=data["note"],
                    by=request.user,
                )
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("已置顶。"))
                return redirect("moderation:pins")
    current = (
        HeadlinePin.objects.filter(ends_at__gt=timezone.now())
        .select_related("article", "channel", "created_by")
        .order_by("channel__position", "position", "-starts_at")
    )
    return render(request, "moderation/pins.html", {"form": form, "pins": current})


@login_required
@require_POST
def pin_end(request: HttpRequest, pk: int) -> HttpResponse:
    _require_pins(request)
    headline_unpin(pin=get_object_or_404(HeadlinePin, pk=pk), by=request.user)
    messages.success(request, _("已取消置顶。"))
    return redirect("moderation:pins")
