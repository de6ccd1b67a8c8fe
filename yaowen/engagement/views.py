"""Comment actions: post or reply, like, delete.

Each is a plain form post that goes back to the article (with a message when something was
refused), and answers JSON to `Accept: application/json`, which `static/js/comments.js`
uses to update the page in place.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from yaowen.core.errors import ApplicationError, NotFoundError, PermissionDeniedError
from yaowen.core.http import wants_json
from yaowen.engagement.forms import CommentForm
from yaowen.engagement.models import Comment
from yaowen.engagement.rendering import Viewer, comment_html
from yaowen.engagement.selectors import comment_for_display, comment_list_for_article
from yaowen.engagement.services import comments as services
from yaowen.newsroom.models import Article

COMMENT_POSTED = _("跟帖已发表。")
COMMENT_DELETED = _("跟帖已删除。")
LOGIN_REQUIRED = _("请先登录，再参与跟帖。")

# A refused comment is kept for the no-JavaScript reader, who would otherwise lose it in the
# redirect; the article page puts it back into the form once.
DRAFT_KEY = "comment_draft"
HIDDEN_TO_READERS = (
    Article.Status.DRAFT,
    Article.Status.PENDING,
    Article.Status.SCHEDULED,
    Article.Status.REJECTED,
)


def comment_section_context(request: HttpRequest, article: Article) -> dict:
    """What the comment section (the Jinja2 template `engagement/section.html`) needs on the
    article page, from the query string (`sort`, `page`, `thread`): `comments` and
    `comment_viewer` (who reads, and a refused draft to put back into its form)."""
    section = comment_list_for_article(
        article_id=article.pk,
        viewer=request.user,
        sort=request.GET.get("sort"),
        page=request.GET.get("page"),
        thread=request.GET.get("thread"),
        visible_total=article.comment_count,
    )
    initial = {}
    # Only a logged-in reader can have a draft; anonymous requests never touch the session.
    session = getattr(request, "session", None)
    if request.user.is_authenticated and session is not None and DRAFT_KEY in session:
        draft = session.pop(DRAFT_KEY)
        if isinstance(draft, dict) and draft.get("article") == article.pk:
            initial = {"body": draft.get("body", ""), "parent": draft.get("parent")}
    viewer = Viewer.of(
        request,
        article,
        sort=section.sort,
        back=request.get_full_path(),
        draft_parent=initial.get("parent"),
        draft_body=initial.get("body", ""),
    )
    return {"comments": section, "comment_viewer": viewer}


def _back(request: HttpRequest, article: Article, anchor: str) -> str:
    """The page the reader posted from (the `next` field), else the article, at `anchor`."""
    target = request.POST.get("next") or ""
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = article.get_absolute_url()
    return f"{target.split('#', 1)[0]}#{anchor}"


def _login_required(request: HttpRequest, article: Article) -> HttpResponse:
    if wants_json(request):
        login_url = resolve_url(settings.LOGIN_URL)
        query = urlencode({"next": article.get_absolute_url()})
        return JsonResponse(
            {"error": str(LOGIN_REQUIRED), "login_url": f"{login_url}?{query}"}, status=401
        )
    return redirect_to_login(article.get_absolute_url())


def _refused(
    request: HttpRequest, message: str, *, status: int, back: str, draft: dict | None = None
) -> HttpResponse:
    if wants_json(request):
        return JsonResponse({"error": message}, status=status)
    messages.error(request, message)
    if draft is not None:
        request.session[DRAFT_KEY] = draft
    return HttpResponseRedirect(back)


def _comment_count(article: Article) -> dict:
    """The article's comment count and the page's label for it (“3 跟帖”, “3 comments”)."""
    n = Article.objects.values_list("comment_count", flat=True).get(pk=article.pk)
    return {"count": n, "count_label": ngettext("%(n)s 跟帖", "%(n)s 跟帖", n) % {"n": n}}


@require_POST
def comment_create(request: HttpRequest, article_id: int) -> HttpResponse:
    """Post a top-level comment, or a reply when the form names a `parent`."""
    article = get_object_or_404(Article, pk=article_id)
    if article.status in HIDDEN_TO_READERS:
        raise Http404
    if not request.user.is_authenticated:
        return _login_required(request, article)
    form = CommentForm(request.POST)
    raw_parent = request.POST.get("parent") or None
    draft = {"article": article.pk, "body": request.POST.get("body", "")[:5000]}
    if raw_parent and raw_parent.isascii() and raw_parent.isdigit():
        draft["parent"] = int(raw_parent)
    back = _back(request, article, f"c{raw_parent}" if "parent" in draft else "comments")
    if not form.is_valid():
        return _refused(request, form.first_error(), status=400, back=back, draft=draft)
    parent = None
    if form.cleaned_data["parent"]:
        parent = Comment.objects.filter(pk=form.cleaned_data["parent"], article=article).first()
        if parent is None:
            return _refused(request, str(services.PARENT_GONE), status=400, back=back, draft=draft)
    try:
        comment = services.comment_create(
            user=request.user, article=article, body=form.cleaned_data["body"], parent=parent
        )
    except services.RateLimitedError as error:
        return _refused(request, error.message, status=429, back=back, draft=draft)
    except ApplicationError as error:
        return _refused(request, error.message, status=400, back=back, draft=draft)

    if comment.status == Comment.Status.PENDING:
        # The word filter holds it for an editor: nothing to show yet, and it is not counted.
        if wants_json(request):
            return JsonResponse({"held": True, "message": str(services.COMMENT_HELD)})
        messages.info(request, services.COMMENT_HELD)
        return HttpResponseRedirect(back)
    thread = comment.parent_id or comment.pk
    if wants_json(request):
        html = comment_html(
            comment_for_display(comment),
            Viewer.of(
                request,
                article,
                sort="new",
                back=_back(request, article, "comments").split("#", 1)[0],
            ),
        )
        return JsonResponse(
            {
                "html": html,
                **_comment_count(article),
                "id": comment.pk,
                "thread": thread,
                "message": str(COMMENT_POSTED),
            }
        )
    messages.success(request, COMMENT_POSTED)
    url = article.get_absolute_url()
    if comment.parent_id:
        # All of the thread, so the new reply shows even when it is beyond the first few.
        url = f"{url}?{urlencode({'thread': thread})}"
    return HttpResponseRedirect(f"{url}#c{comment.pk}")


@require_POST
def comment_like(request: HttpRequest, pk: int) -> HttpResponse:
    """Like a comment, or take the like back; `action` (like/unlike) makes a repeated form
    post harmless, and without it the request toggles."""
    comment = get_object_or_404(Comment.objects.select_related("article"), pk=pk)
    article = comment.article
    if article.status in HIDDEN_TO_READERS:
        raise Http404
    if not request.user.is_authenticated:
        return _login_required(request, article)
    back = _back(request, article, f"c{comment.pk}")
    action = request.POST.get("action")
    try:
        if action == "like":
            _changed, count = services.comment_like_create(comment=comment, user=request.user)
            liked = True
        elif action == "unlike":
            _changed, count = services.comment_like_delete(comment=comment, user=request.user)
            liked = False
        else:
            liked, count = services.comment_like_toggle(comment=comment, user=request.user)
    except NotFoundError as error:
        return _refused(request, error.message, status=404, back=back)
    except ApplicationError as error:
        return _refused(request, error.message, status=400, back=back)
    if wants_json(request):
        return JsonResponse({"liked": liked, "count": count})
    return HttpResponseRedirect(back)


@require_POST
def comment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete one's own comment (staff: anyone's). Its replies stay, under a placeholder."""
    comment = get_object_or_404(
        Comment.objects.select_related("article"), pk=pk, status=Comment.Status.VISIBLE
    )
    article = comment.article
    if not request.user.is_authenticated:
        return _login_required(request, article)
    try:
        services.comment_delete(comment=comment, by=request.user)
    except PermissionDeniedError as error:
        if wants_json(request):
            return JsonResponse({"error": error.message}, status=403)
        raise PermissionDenied(error.message) from None
    if wants_json(request):
        kept = (
            comment.parent_id is None
            and Comment.objects.filter(parent=comment, status=Comment.Status.VISIBLE).exists()
        )
        return JsonResponse(
            {**_comment_count(article), "kept": kept, "message": str(COMMENT_DELETED)}
        )
    messages.success(request, COMMENT_DELETED)
    return HttpResponseRedirect(_back(request, article, "comments"))
