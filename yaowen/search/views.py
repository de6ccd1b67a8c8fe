"""The search results page."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from yaowen.accounts.models import CreatorProfile
from yaowen.search.forms import SearchForm
from yaowen.search.selectors import article_search


@require_GET
def results(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    context = {"form": form, "results": None, "author": None}
    status = 200
    if not form.is_valid():
        status = 400
    elif form.cleaned_data["q"].strip():
        data = form.cleaned_data
        context["results"] = article_search(
            text=data["q"],
            filters=form.filters(),
            sort=data.get("sort") or "relevance",
            page=request.GET.get("page") or 1,
        )
        if data.get("author"):
            context["author"] = CreatorProfile.objects.filter(pk=data["author"]).first()
        query = request.GET.copy()
        query.pop("page", None)
        context["page_query"] = query.urlencode()
    return render(request, "search/results.html", context, status=status)
