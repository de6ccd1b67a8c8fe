"""Reader actions on an article: like (顶), share, report. Each works without JavaScript
(form post or link, then back to the article) and answers JSON to `Accept: application/json`.
"""

from contextlib import suppress
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from yaowen.core.errors import ApplicationError
from yaowen.core.http import id_or_404, wants_json
from yaowen.engagement.models import Comment, Share
from yaowen.engagement.services.reactions import (
    article_like_set,
    report_create,
    share_record,
)
from yaowen.newsroom.models import Article

REPORTED = _("举报已提交，感谢你帮助维护社区。")


def _article(pk: int) -> Article:
    return get_object_or_404(Article.objects.select_related("author"), pk=pk)


@require_POST
def like(request: HttpRequest, pk: int) -> HttpResponse:
    """Like or unlike: the form says which (`liked` = 1 or 0), so a repeated or doubled
    request leaves the state the reader chose instead of flipping it back."""
    article = _article(pk)
    if not request.user.is_authenticated:
        return redirect_to_login(article.get_absolute_url())
    # Without the field (a page from before it existed) the button meant 顶.
    wanted = request.POST.get("liked", "1") not in ("0", "false")
    try:
        liked, count = article_like_set(article=article, user=request.user, liked=wanted)
    except ApplicationError as error:
        if wants_json(request):
            return JsonResponse({"error": error.message}, status=400)
        messages.error(request, error.message)
        return HttpResponseRedirect(article.get_absolute_url())
    if wants_json(request):
        return JsonResponse({"liked": liked, "count": count})
    return HttpResponseRedirect(f"{article.get_absolute_url()}#actions")


def _address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "")


def share_targets(url: str, title: str) -> dict[str, str]:
    """Where each share target sends the reader."""
    quoted_url, quoted_title = quote(url, safe=""), quote(title, safe="")
    return {
        Share.Target.WEIBO: (
            f"https://service.weibo.com/share/share.php?url={quoted_url}&title={quoted_title}"
        ),
        Share.Target.QQ: (
            "https://connect.qq.com/widget/shareqq/index.html"
            f"?url={quoted_url}&title={quoted_title}"
        ),
    }


@require_GET
def share_out(request: HttpRequest, pk: int, target: str) -> HttpResponse:
    """Record a share to Weibo or QQ, then go there (a plain link: no JavaScript needed)."""
    article = _article(pk)
    url = request.build_absolute_uri(article.get_absolute_url())
    destination = share_targets(url, article.title).get(target)
    if destination is None:
        raise Http404
    # Sharing an article that cannot be counted still takes the reader where they asked.
    with suppress(ApplicationError):
        share_record(
            article_id=article.pk, target=target, address=_address(request), user=request.user
        )
    return HttpResponseRedirect(destination)


@csrf_exempt  # counted once per reader and capped per address; cached pages carry no token
@require_POST
def share_beacon(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a WeChat (QR opened) or copy-link share sent by the page's script."""
    target = request.POST.get("target", "")
    if target not in (Share.Target.WECHAT, Share.Target.LINK):
        return JsonResponse({"error": "unknown target"}, status=400)
    try:
        counted = share_record(
            article_id=pk, target=target, address=_address(request), user=request.user
        )
    except ApplicationError as error:
        return JsonResponse({"error": error.message}, status=400)
    return JsonResponse({"counted": counted})


@require_POST
def report(request: HttpRequest, pk: int) -> HttpResponse:
    article = _article(pk)
    if not request.user.is_authenticated:
        return redirect_to_login(article.get_absolute_url())
    comment = None
    if comment_id := request.POST.get("comment"):
        comment = Comment.objects.filter(pk=id_or_404(comment_id), article=article).first()
        if comment is None:
            raise Http404
    try:
        report_create(
            reporter=request.user,
            article=article,
            comment=comment,
            reason=request.POST.get("reason", ""),
            note=request.POST.get("note", ""),
        )
    except ApplicationError as error:
        if wants_json(request):
            return JsonResponse({"error": error.message}, status=400)
        messages.error(request, error.message)
    else:
        if wants_json(request):
            return JsonResponse({"ok": True, "message": str(REPORTED)})
        messages.success(request, REPORTED)
    return HttpResponseRedirect(f"{article.get_absolute_url()}#actions")
