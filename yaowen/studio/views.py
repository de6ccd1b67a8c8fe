"""Creator studio pages: articles by status, the writing page, revisions, images and the
creator's standing (创作者指数)."""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from yaowen.core.errors import ApplicationError
from yaowen.core.http import id_or_404
from yaowen.core.pagination import paginate
from yaowen.newsroom.models import Article, ArticleImage, ArticleRevision
from yaowen.newsroom.plaintext import import_plain_text
from yaowen.newsroom.rendering import render_body
from yaowen.newsroom.services import (
    ArticleInput,
    article_create,
    article_submit,
    article_update,
    image_upload,
    revision_restore,
)
from yaowen.standing.display import standing_display
from yaowen.standing.selectors import standing_for, violation_list_for
from yaowen.studio.forms import ArticleForm, ImageForm, ImportForm, references_to_text
from yaowen.studio.selectors import article_counts_by_status, article_list_for_creator

READERS_APPLY_FIRST = _("创作者中心只对已入驻的创作者开放，请先申请入驻。")
SAVED = _("已保存（第 %(n)d 版）。")
SUBMITTED = _("已提交审核。")
PUBLISHED_DIRECTLY = _("你是受信任的创作者，文章已直接发布。")
SCHEDULED = _("已定时发布。")
IMPORTED = _("已识别 %(h)d 个小标题、%(r)d 条参考资料，请核对后保存。")
IMAGE_INSERTED = _("图片已上传并插入正文末尾。")
RESTORED = _("已恢复到第 %(n)d 版（另存为新版本）。")


def creator_required(view: Callable) -> Callable:
    """Only approved creators reach the studio; readers are sent to apply first."""

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        creator = getattr(request.user, "creator", None)
        if creator is None:
            messages.info(request, READERS_APPLY_FIRST)
            return redirect("accounts:apply")
        request.creator = creator
        return view(request, *args, **kwargs)

    return wrapper


def _own_article(request: HttpRequest, pk: int) -> Article:
    article = get_object_or_404(
        Article.objects.select_related("author", "channel"), pk=id_or_404(pk)
    )
    if article.author_id != request.creator.pk:
        raise Http404
    return article


@creator_required
def dashboard(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status") or ""
    if status not in Article.Status.values:
        status = ""
    return render(
        request,
        "studio/dashboard.html",
        {
            "creator": request.creator,
            "status": status,
            "statuses": Article.Status.choices,
            "counts": article_counts_by_status(creator=request.creator),
            **standing_display(standing_for(request.creator), creator=request.creator),
            "page": paginate(
                article_list_for_creator(creator=request.creator, status=status or None),
                request.GET.get("page"),
            ),
        },
    )


@creator_required
def standing(request: HttpRequest) -> HttpResponse:
    """The creator's 创作者指数: level, what it unlocks, each part and the violations."""
    return render(
        request,
        "studio/standing.html",
        {
            "creator": request.creator,
            **standing_display(standing_for(request.creator), creator=request.creator),
            "violations": violation_list_for(creator=request.creator),
        },
    )


@creator_required
@require_http_methods(["GET", "POST"])
def article_new(request: HttpRequest) -> HttpResponse:
    return _editor(request, None)


@creator_required
@require_http_methods(["GET", "POST"])
def article_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _editor(request, _own_article(request, pk))


def _editor(request: HttpRequest, article: Article | None) -> HttpResponse:
    action = request.POST.get("action", "save")
    form = ArticleForm(
        request.POST if request.method == "POST" and action != "import" else None,
        initial=_initial(article, request.creator),
        creator=request.creator,
    )
    import_form = ImportForm(request.POST if action == "import" else None)
    preview = detected = None
    if request.method == "POST" and action == "import" and import_form.is_valid():
        imported = import_plain_text(import_form.cleaned_data["text"])
        form = ArticleForm(
            creator=request.creator,
            initial={
                **_initial(article, request.creator),
                "title": imported.title_suggestion or (article.title if article else ""),
                "body_source": imported.body_markdown,
                "references": references_to_text(imported.references),
            },
        )
        detected = imported
        messages.info(
            request, IMPORTED % {"h": len(imported.headings), "r": len(imported.references)}
        )
    elif request.method == "POST" and form.is_valid():
        if action == "preview":
            preview = render_body(form.cleaned_data["body_source"])
        else:
            try:
                article = _save(request, article, form)
                if action == "submit":
                    article = article_submit(
                        article=article,
                        by=request.user,
                        scheduled_at=form.cleaned_data["scheduled_at"],
                    )
                    messages.success(request, _submitted_message(article))
                    return redirect("studio:dashboard")
                messages.success(request, SAVED % {"n": article.revisions.count()})
                return redirect("studio:edit", pk=article.pk)
            except ApplicationError as error:
                form.add_error(None, error.message)
    return render(
        request,
        "studio/edit.html",
        {
            "article": article,
            "form": form,
            "import_form": import_form if article is None or action == "import" else ImportForm(),
            "image_form": ImageForm(),
            "preview": preview,
            "detected": detected,
        },
    )


def _save(request: HttpRequest, article: Article | None, form: ArticleForm) -> Article:
    data = form.to_input()
    if article is None:
        return article_create(
            author=request.creator,
            channel=data.channel,
            title=data.title,
            body_source=data.body_source,
            summary=data.summary,
            tags=data.tags,
            references=data.references,
            is_original=data.is_original,
            by=request.user,
        )
    return article_update(article=article, data=data, by=request.user)


def _submitted_message(article: Article) -> str:
    if article.status == Article.Status.PUBLISHED:
        return str(PUBLISHED_DIRECTLY)
    if article.status == Article.Status.SCHEDULED:
        return str(SCHEDULED)
    return str(SUBMITTED)


def _initial(article: Article | None, creator) -> dict:
    if article is None:
        return {"channel": creator.field_id}
    return {
        "title": article.title,
        "channel": article.channel_id,
        "tags": " ".join(article.tags),
        "summary": article.summary,
        "body_source": article.body_source,
        "references": references_to_text(article.references.all()),
        "is_original": article.is_original,
        "scheduled_at": article.scheduled_at,
        "cover": ArticleImage.objects.filter(owner=creator, file=article.cover.name)
        .values_list("pk", flat=True)
        .first()
        if article.cover
        else None,
    }


@creator_required
@require_POST
def image_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload an image and append it to the body as a figure; refusals change nothing."""
    article = _own_article(request, pk)
    form = ImageForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("studio:edit", pk=article.pk)
    try:
        image = image_upload(
            owner=request.creator,
            data=form.cleaned_data["image"].read(),
            alt=form.cleaned_data["alt"],
            caption=form.cleaned_data["caption"],
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("studio:edit", pk=article.pk)
    figure = f'![{_md_text(image.alt)}]({image.file.url} "{_md_text(image.caption)}")'
    try:
        article_update(
            article=article,
            data=ArticleInput.from_article(
                article, body_source=f"{article.body_source.rstrip()}\n\n{figure}\n"
            ),
            by=request.user,
        )
    except ApplicationError as error:
        # A body at its longest takes no figure; the image stays in the creator's images.
        messages.error(request, error.message)
        return redirect("studio:edit", pk=article.pk)
    if not article.cover:
        Article.objects.filter(pk=article.pk).update(cover=image.file.name, cover_alt=image.alt)
    messages.success(request, IMAGE_INSERTED)
    return redirect("studio:edit", pk=article.pk)


def _md_text(text: str) -> str:
    return text.replace('"', "“").replace("[", "【").replace("]", "】").replace("\n", " ")


@creator_required
@require_http_methods(["GET", "POST"])
def revisions(request: HttpRequest, pk: int) -> HttpResponse:
    article = _own_article(request, pk)
    if request.method == "POST":
        revision = get_object_or_404(
            ArticleRevision, pk=id_or_404(request.POST.get("revision")), article=article
        )
        try:
            restored = revision_restore(article=article, revision=revision, by=request.user)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, RESTORED % {"n": revision.number})
            return redirect("studio:edit", pk=restored.pk)
    return render(
        request,
        "studio/revisions.html",
        {"article": article, "revisions": article.revisions.select_related("created_by")},
    )
