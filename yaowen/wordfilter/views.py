"""Sensitive-word list pages, for administrators: list, add, edit, delete, import, export,
and a box to try a text against the lists."""

import csv
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from yaowen.core.errors import ApplicationError
from yaowen.core.pagination import paginate
from yaowen.governance.roles import Action, can
from yaowen.wordfilter.forms import CheckForm, FilterForm, ImportForm, WordForm
from yaowen.wordfilter.models import SensitiveWord
from yaowen.wordfilter.selectors import word_export_rows, word_list
from yaowen.wordfilter.services import (
    highlight_html,
    screen_text,
    word_create,
    word_delete,
    word_update,
    words_import,
)

WORD_ADDED = _("已添加“%(word)s”。")
WORD_SAVED = _("已保存“%(word)s”。")
WORD_DELETED = _("已删除“%(word)s”。")
WORDS_IMPORTED = _("已导入 %(created)d 个词，跳过重复 %(duplicates)d 个、无效 %(invalid)d 个。")


def _require_admin(request: HttpRequest) -> None:
    if not can(request.user, Action.WORDS_EDIT):
        raise PermissionDenied


@login_required
@require_GET
def word_index(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    filters = FilterForm(request.GET or None)
    chosen = filters.filters()
    return render(
        request,
        "wordfilter/list.html",
        {
            "filters": filters,
            "page": paginate(word_list(**chosen), request.GET.get("page"), per_page=50),
            "page_query": urlencode(chosen),
            "export_query": urlencode(chosen),
            "total": SensitiveWord.objects.count(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def word_add(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    form = WordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            word = word_create(by=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, WORD_ADDED % {"word": word.word})
            return redirect("wordfilter:index")
    return render(request, "wordfilter/form.html", {"form": form, "word": None})


@login_required
@require_http_methods(["GET", "POST"])
def word_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    word = get_object_or_404(SensitiveWord, pk=pk)
    form = WordForm(
        request.POST or None,
        initial={
            "word": word.word,
            "category": word.category,
            "action": word.action,
            "note": word.note,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            word = word_update(sensitive_word=word, by=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, WORD_SAVED % {"word": word.word})
            return redirect("wordfilter:index")
    return render(request, "wordfilter/form.html", {"form": form, "word": word})


@login_required
@require_http_methods(["GET", "POST"])
def word_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks to confirm; POST deletes."""
    _require_admin(request)
    word = get_object_or_404(SensitiveWord, pk=pk)
    if request.method == "POST":
        reason = request.POST.get("reason", "")[:500]
        word_delete(sensitive_word=word, by=request.user, reason=reason)
        messages.success(request, WORD_DELETED % {"word": word.word})
        return redirect("wordfilter:index")
    return render(request, "wordfilter/delete.html", {"word": word})


@login_required
@require_http_methods(["GET", "POST"])
def word_import(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = words_import(
                lines=form.lines(),
                category=data["category"],
                action=data["action"],
                note=data["note"],
                by=request.user,
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            counts = {
                "created": result.created,
                "duplicates": len(result.duplicates),
                "invalid": len(result.invalid),
            }
            messages.success(request, WORDS_IMPORTED % counts)
            if not (result.duplicates or result.invalid):
                return redirect("wordfilter:index")
            form = ImportForm(initial={"category": data["category"], "action": data["action"]})
    return render(request, "wordfilter/import.html", {"form": form, "result": result})


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
@require_GET
def word_export(request: HttpRequest) -> StreamingHttpResponse:
    """The (filtered) list as CSV, with a BOM so that spreadsheet programs read UTF-8."""
    _require_admin(request)
    filters = FilterForm(request.GET or None).filters()
    writer = csv.writer(_Echo())
    rows = (writer.writerow(row) for row in word_export_rows(word_list(**filters)))
    response = StreamingHttpResponse(_with_bom(rows), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="sensitive-words-{stamp}.csv"'
    return response


def _with_bom(rows):
    yield "\ufeff"
    yield from rows


@login_required
@require_http_methods(["GET", "POST"])
def word_check(request: HttpRequest) -> HttpResponse:
    """Try a text against the lists as they are now: hits highlighted, the action taken."""
    _require_admin(request)
    form = CheckForm(request.POST or None)
    screening = highlighted = None
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        screening = screen_text(text)
        highlighted = highlight_html(text, screening.hits)
    return render(
        request,
        "wordfilter/check.html",
        {"form": form, "screening": screening, "highlighted": highlighted},
    )
