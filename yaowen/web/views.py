"""Reader pages. Views parse input, call selectors, and render; rules live in the apps."""

import io
from datetime import datetime
from urllib.parse import quote

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST, require_safe

from yaowen.accounts.models import CreatorProfile
from yaowen.accounts.selectors import creator_get, creator_list, follow_exists
from yaowen.accounts.services import follow_create, follow_delete
from yaowen.analysis.selectors import article_analysis
from yaowen.core.errors import ApplicationError
from yaowen.core.http import id_or_404, safe_next, wants_json
from yaowen.core.pagecache import anonymous_page, page_facts
from yaowen.core.pagination import paginate
from yaowen.core.urls import fast_reverse
from yaowen.engagement.models import Report
from yaowen.engagement.selectors import like_exists, notification_list
from yaowen.engagement.viewcount import view_record
from yaowen.engagement.views import comment_section_context
from yaowen.governance.inbox import notifications_mark_read
from yaowen.newsroom.models import Article
from yaowen.newsroom.selectors import (
    article_get,
    article_list_by_author,
    article_list_by_hot,
    article_list_latest,
    article_references,
    author_recent_cards,
    channel_get,
    channel_list,
)
from yaowen.recommend.dedupe import fill_blocks
from yaowen.recommend.selectors import (
    article_list_hot,
    article_list_related,
    headline_candidates,
)
from yaowen.recommend.services.feed import reading_record
from yaowen.web.discovery.structured import absolute
from yaowen.web.personal import feed_context

HEADLINE_ITEMS = 4


def _newest(items) -> datetime | None:
    """When the newest of these rows last changed: the Last-Modified of a page of them."""
    return max((item.updated_at for item in items), default=None)


def _headline_blocks(page_blocks: list, *, exclude: set[int]) -> tuple[dict, list, list]:
    """Fill the page's own blocks, then the channel headline blocks, with no repeats."""
    channels = [channel for channel in channel_list() if channel.in_blocks]
    candidates = headline_candidates()
    filled = fill_blocks(
        [
            *page_blocks,
            *(
                (("channel", channel.pk), candidates.get(channel.pk, []), HEADLINE_ITEMS)
                for channel in channels
            ),
        ],
        exclude=exclude,
    )
    main, original = [], []
    for channel in channels:
        block = {"channel": channel, "cards": filled[("channel", channel.pk)]}
        (original if channel.group == channel.Group.ORIGINAL else main).append(block)
    return filled, main, original


def article_recommendations(article: Article) -> dict:
    """The article page's recommendation blocks as cards and picks: its related list, the
    author's past articles and the hot list beside it, then the channel headline blocks.

    One de-duplicated computation over lists that are each cached (as data), so no article
    shows twice; the templates draw them on every render.
    """
    filled, main_blocks, original_blocks = _headline_blocks(
        [
            ("related", article_list_related(article=article), 6),
            ("past", author_recent_cards(author_id=article.author_id), 5),
            ("hot", article_list_hot(limit=30), 10),
        ],
        exclude={article.pk},
    )
    return {
        "related": filled["related"],
        "past": filled["past"],
        "hot": filled["hot"],
        "main_blocks": main_blocks,
        "original_blocks": original_blocks,
    }


def _topic_links(article: Article, analysis) -> list[tuple[str, str]]:
    """The article page's tag and keyword links (#tag, then up to six keywords not
    already tags), each a search for it."""
    search = fast_reverse("search:results")
    tags = list(article.tags or ())
    terms = [term for term in (analysis.keyword_terms if analysis else [])[:6] if term not in tags]
    return [
        *((f"#{tag}", f"{search}?q={quote(str(tag), safe='/')}") for tag in tags),
        *((term, f"{search}?q={quote(term, safe='/')}") for term in terms),
    ]


@anonymous_page
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    # A logged-in reader's home opens on their feed (推荐), above the news blocks; the
    # blocks then leave out what the feed shows.
    personal = request.user.is_authenticated and request.GET.get("tab") != "news"
    feed = feed_context(request) if personal else None
    filled, main_blocks, original_blocks = _headline_blocks(
        [("hot", article_list_hot(limit=30), 10)],
        exclude={pick.id for pick in feed["page"].items} if feed else set(),
    )
    latest = paginate(article_list_latest().select_related("author", "channel"), "1")
    response = render(
        request,
        "web/home.html",
        {
            "feed": feed,
            "home_tab": "feed" if personal else "home",
            "hot": filled["hot"],
            "main_blocks": main_blocks,
            "original_blocks": original_blocks,
            "latest": latest,
        },
    )
    return page_facts(response, last_modified=_newest(latest.object_list))


@anonymous_page
@require_safe
def latest(request: HttpRequest) -> HttpResponse:
    page = paginate(
        article_list_latest().select_related("author", "channel"), request.GET.get("page")
    )
    response = render(request, "web/latest.html", {"page": page})
    return page_facts(response, last_modified=_newest(page.object_list))


@anonymous_page
@require_safe
def channel(request: HttpRequest, slug: str) -> HttpResponse:
    current = channel_get(slug)
    if current is None:
        raise Http404
    tab = "hot" if request.GET.get("tab") == "hot" else "latest"
    by = article_list_by_hot if tab == "hot" else article_list_latest
    articles = by(channel=current)
    page = paginate(articles.select_related("author", "channel"), request.GET.get("page"))
    response = render(
        request,
        "web/channel.html",
        {
            "channel": current,
            "tab": tab,
            "page": page,
            "page_query": "tab=hot" if tab == "hot" else "",
            "hot": article_list_hot(channel=current, limit=10) if tab == "latest" else [],
        },
    )
    return page_facts(response, last_modified=_newest([current, *page.object_list]))


@anonymous_page
@require_safe
def creators(request: HttpRequest) -> HttpResponse:
    page = paginate(creator_list(), request.GET.get("page"), per_page=30)
    response = render(request, "web/creators.html", {"page": page})
    return page_facts(response, last_modified=_newest(page.object_list))


@anonymous_page
@require_safe
def author(request: HttpRequest, pk: int) -> HttpResponse:
    creator = creator_get(pk)
    if creator is None:
        raise Http404
    page = paginate(
        article_list_by_author(author_id=creator.pk).select_related("channel"),
        request.GET.get("page"),
    )
    response = render(
        request,
        "web/author.html",
        {
            "creator": creator,
            "page": page,
            "is_following": follow_exists(follower=request.user, creator=creator),
        },
    )
    return page_facts(response, last_modified=_newest([creator, *page.object_list]))


@anonymous_page
@require_safe
def article(request: HttpRequest, pk: int) -> HttpResponse:
    # The article is read with prepared SQL, which the ORM's guard against an id past the
    # key column's range does not cover.
    current = article_get(id_or_404(pk))
    if current is None or current.status in (
        Article.Status.DRAFT,
        Article.Status.PENDING,
        Article.Status.REJECTED,
        Article.Status.SCHEDULED,
    ):
        raise Http404
    if current.status == Article.Status.REMOVED:
        return render(request, "web/article_gone.html", {"article": current}, status=410)
    # Never a database write; pages answered from the page cache are counted by it.
    view_record(request, current.pk)
    reading_record(user=request.user, article_id=current.pk)
    url = absolute(request, current.get_absolute_url())
    analysis = article_analysis(current.pk)
    response = render(
        request,
        "web/article.html",
        {
            "article": current,
            "creator": current.author,
            "references": article_references(current.pk),
            "analysis": analysis,
            "topic_links": _topic_links(current, analysis),
            **comment_section_context(request, current),
            "recs": article_recommendations(current),
            "share_url": url,
            "is_following": follow_exists(follower=request.user, creator=current.author),
            "liked": like_exists(user=request.user, article_id=current.pk),
            "report_reasons": Report.Reason.choices,
            "rendered_at": timezone.now(),
        },
    )
    return page_facts(
        response,
        last_modified=_newest([current, current.author]),
        article_id=current.pk,
    )


@require_GET
@cache_control(public=True, max_age=86400)
def article_qr(request: HttpRequest, pk: int) -> HttpResponse:
    """The article's URL as a QR code (SVG), for sharing to WeChat by scanning."""
    url = request.build_absolute_uri(reverse("web:article", args=[pk]))
    key = f"qr2:{url}"
    svg = cache.get(key)
    if svg is None:
        buffer = io.BytesIO()
        # Served as a document of its own, an SVG needs its namespace to be an image
        # (segno's svg_inline leaves it out, and browsers then draw nothing).
        segno.make(url, error="m").save(
            buffer, kind="svg", xmldecl=False, nl=False, scale=4, border=2, dark="#111"
        )
        svg = buffer.getvalue()
        cache.set(key, svg, 86400)
    return HttpResponse(svg, content_type="image/svg+xml")


@require_POST
def follow(request: HttpRequest, pk: int) -> HttpResponse:
    creator = CreatorProfile.objects.filter(pk=pk).first()
    if creator is None:
        raise Http404
    back = safe_next(request, creator.get_absolute_url())
    if not request.user.is_authenticated:
        # After logging in, the reader lands back on the page they came from.
        return redirect_to_login(back)
    try:
        if request.POST.get("action") == "unfollow":
            follow_delete(follower=request.user, creator=creator)
        else:
            follow_create(follower=request.user, creator=creator)
    except ApplicationError as error:
        if wants_json(request):
            return JsonResponse({"error": error.message}, status=400)
        messages.error(request, error.message)
    if wants_json(request):
        creator.refresh_from_db(fields=["follower_count"])
        return JsonResponse(
            {
                "following": follow_exists(follower=request.user, creator=creator),
                "follower_count": creator.follower_count,
            }
        )
    return HttpResponseRedirect(back)


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "web/accessibility.html")


@require_GET
def terms(request: HttpRequest) -> HttpResponse:
    return render(request, "web/terms.html")


@require_GET
def join(request: HttpRequest) -> HttpResponse:
    return render(request, "web/join.html", {"channels": channel_list()})


@login_required
@require_GET
@cache_control(private=True, no_cache=True)
def inbox(request: HttpRequest) -> HttpResponse:
    """The reader's notifications, newest first; opening the inbox marks them read."""
    page = paginate(notification_list(user=request.user), request.GET.get("page"))
    unread = {n.pk for n in page.object_list if n.read_at is None}
    notifications_mark_read(user=request.user)
    return render(request, "web/inbox.html", {"page": page, "unread": unread})
