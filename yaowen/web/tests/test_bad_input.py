"""Bad input never answers 500: every URL of the site, with hostile ids in the path, the
query string and the form fields, asked by an anonymous reader, a creator, an administrator
and an editor limited to one channel.

The values are those a probe or a broken client sends: an id past every integer column
(SQLite's driver overflows; PostgreSQL refuses it as a bigint), negative, zero, not a
number, and bytes that are not UTF-8; open redirects in `next`. Each must get a clear
answer (a form error, a 400, a 404), never a 500.
"""

import datetime as dt
import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.http import QueryDict
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from yaowen.core.tests.factories import CommentFactory, CreatorFactory, UserFactory
from yaowen.engagement.services.reactions import report_create
from yaowen.governance.models import AuditEntry
from yaowen.jobs.delivery import deliver_pending
from yaowen.moderation.services.actions import comment_hide
from yaowen.moderation.services.appeals import appeal_create
from yaowen.moderation.tests.people import admin, editor
from yaowen.newsroom.models import Channel
from yaowen.newsroom.services import article_create, article_publish
from yaowen.recommend.services.pins import headline_pin
from yaowen.wordfilter.models import SensitiveWord

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999999"
# Percent-encoded as sent on the wire: these bytes are not UTF-8.
NOT_UTF8 = "%ff%fe"
BAD = (HUGE, "-1", "0", "abc", NOT_UTF8)
# One at a time (after the combined requests): past the integer range, and not a number.
SINGLE_BAD = (HUGE, "abc")
# What the views read from the query string ...
QUERY_NAMES = (
    "page",
    "author",
    "channel",
    "sort",
    "next",
    "q",
    "tab",
    "thread",
    "status",
    "queue",
    "reason",
    "age",
    "actor",
    "action",
    "subject_type",
    "since",
    "until",
    "time",
    "fragment",
    "category",
)
# ... and from form posts.
POST_NAMES = (
    "comment",
    "comment_ids",
    "revision",
    "article",
    "parent",
    "channel",
    "target",
    "kind",
    "action",
    "verdict",
    "reasons",
    "reason",
    "status",
    "hours",
    "position",
    "next",
    "body",
    "note",
    "title",
    "summary",
    "tags",
    "references",
    "body_source",
    "cover",
    "scheduled_at",
    "field",
    "word",
    "email",
    "username",
    "password1",
    "password2",
    "page",
    "text",
)
# Open redirects and script URLs, in the fields that name where to go next.
BAD_NEXT = ("https://evil.example", "//evil.example", "javascript:alert(1)")
SKIPPED_NAMESPACES = ("admin",)
CONVERTER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def _routes(resolver: URLResolver | None = None, prefix: str = "", namespace: str = ""):
    """Every route of the site as (its name, its pattern string), admin and media left out."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = entry.namespace or ""
            if inner in SKIPPED_NAMESPACES:
                continue
            name = f"{namespace}:{inner}" if namespace and inner else inner or namespace
            yield from _routes(entry, prefix + route, name)
        elif isinstance(entry, URLPattern):
            if route.startswith("^"):  # the media files (re_path): not a view of ours
                continue
            name = f"{namespace}:{entry.name}" if namespace else entry.name or route
            yield name, prefix + route


ROUTES = sorted(set(_routes()))


def _fill(route: str, values: dict[str, str], default: str) -> str:
    return "/" + CONVERTER.sub(lambda m: values.get(m["name"], default), route)


def _form_body(value: str) -> str:
    """A urlencoded body with every field the forms read set to `value` (already encoded)."""
    return "&".join(f"{name}={value}" for name in POST_NAMES)


def _world() -> dict:
    """One of each thing the URLs name, so that real ids reach the views' deeper code."""
    creator = CreatorFactory()
    staff = admin()
    article = article_create(
        author=creator,
        channel=Channel.objects.get(slug="tech"),
        title="坏输入测试文章",
        body_source="第一段。\n\n第二段。",
    )
    article = article_publish(article=article, by=creator.user)
    deliver_pending()  # into the search index, as the queue's consumer would
    reader = UserFactory()
    comment = CommentFactory(article=article, user=reader)
    hidden = CommentFactory(article=article, user=reader)
    comment_hide(comment=hidden, by=staff, reason="测试隐藏")
    entry = AuditEntry.objects.filter(subject_type="comment", subject_id=hidden.pk).latest("pk")
    appeal = appeal_create(entry=entry, by=reader, text="请复核")
    report = report_create(reporter=reader, article=article, reason="other", note="测试")
    pin = headline_pin(
        article=article,
        channel=Channel.objects.filter(in_blocks=True).first(),
        ends_at=timezone.now() + dt.timedelta(hours=1),
        by=staff,
    )
    word = SensitiveWord.objects.create(
        word="坏词测试", key="坏词测试", category="other", action="review", created_by=staff
    )
    return {
        "creator": creator,
        "staff": staff,
        "editor": editor(channels=("tech",)),
        "ids": {
            "article": article.pk,
            "author": creator.pk,
            "comment": comment.pk,
            "appeal": appeal.pk,
            "entry": entry.pk,
            "report": report.pk,
            "pin": pin.pk,
            "word": word.pk,
        },
    }


def _real_kwargs(name: str, ids: dict) -> dict[str, str]:
    """Path values naming things that exist, for the URLs that name something."""
    by_name = {
        "web:author": {"pk": ids["author"]},
        "web:follow": {"pk": ids["author"]},
        "web:author_feed": {"pk": ids["author"]},
        "web:author_rss": {"pk": ids["author"]},
        "web:share_out": {"pk": ids["article"], "target": "weibo"},
        "web:channel": {"slug": "tech"},
        "web:channel_atom": {"slug": "tech"},
        "web:channel_rss": {"slug": "tech"},
        "web:sitemap_articles": {"page": 1},
        "web:care": {"state": "on"},
        "language": {"code": "en"},
        "engagement:comment_create": {"article_id": ids["article"]},
        "engagement:comment_like": {"pk": ids["comment"]},
        "engagement:comment_delete": {"pk": ids["comment"]},
        "moderation:article": {"pk": ids["article"]},
        "moderation:appeal": {"pk": ids["appeal"]},
        "moderation:comment": {"pk": ids["comment"]},
        "moderation:report": {"pk": ids["report"]},
        "moderation:pin_end": {"pk": ids["pin"]},
        "wordfilter:edit": {"pk": ids["word"]},
        "wordfilter:delete": {"pk": ids["word"]},
        "appeals:create": {"entry_id": ids["entry"]},
    }
    if name in by_name:
        return {key: str(value) for key, value in by_name[name].items()}
    if name.startswith(("web:", "studio:")):
        return {"pk": str(ids["article"])}
    return {}


SEARCHED = "坏输入"  # a word of the world's article, so searches run their queries
SEARCH_PATH = "/search/"


def _query(pairs: dict[str, str]) -> str:
    return "&".join(f"{key}={value}" for key, value in pairs.items())


def _requests(ids: dict) -> Iterator[tuple[str, str, str, str]]:
    """(method, path with query, urlencoded body, Accept): every route with hostile path
    values, then each real path with every query parameter and form field hostile at once."""
    for name, route in ROUTES:
        has_params = bool(CONVERTER.search(route))
        real = _real_kwargs(name, ids)
        if has_params:
            for value in BAD:
                path = _fill(route, {}, value)
                yield "GET", path, "", ""
                yield "POST", path, _form_body(value), "application/json"
        if has_params and not real:
            continue
        path = _fill(route, real, "1")
        for n, value in enumerate((*BAD, *BAD_NEXT)):
            query = _query(dict.fromkeys(QUERY_NAMES, value))
            accept = "application/json" if n % 2 else ""
            yield "GET", f"{path}?{query}", "", accept
            yield "POST", f"{path}?{query}", _form_body(value), accept


def _single_requests(read: dict[tuple[str, str], set[str]]):
    """One hostile value at a time, so that no other invalid value stops the view early:
    each parameter a view was seen to read, in the query string (beside a search word) of
    a GET and in the body of a POST."""
    for (method, path), names in sorted(read.items()):
        if path != SEARCH_PATH:
            # The header's search box reads ?q= on every page; it matters on search's own.
            names = names - {"q"}
        for value in SINGLE_BAD:
            for name in sorted(names):
                if method == "GET":
                    yield "GET", f"{path}?{_query({'q': SEARCHED, name: value})}", ""
                else:
                    yield "POST", path, f"{name}={value}"


@contextmanager
def _reads() -> Iterator[set[str]]:
    """The names the view looks up in request.GET and request.POST while this is open."""
    names: set[str] = set()
    originals = {attr: getattr(MultiValueDict, attr) for attr in ("__getitem__", "get", "getlist")}

    def recording(attr):
        def read(self, key, *args, **kwargs):
            if isinstance(self, QueryDict):
                names.add(key)
            return originals[attr](self, key, *args, **kwargs)

        return read

    for attr in originals:
        setattr(MultiValueDict, attr, recording(attr))
    try:
        yield names
    finally:
        for attr, original in originals.items():
            setattr(MultiValueDict, attr, original)


def _send(client: Client, method: str, path: str, body: str, accept: str = ""):
    headers = {"HTTP_ACCEPT": accept} if accept else {}
    if method == "GET":
        return client.get(path, **headers)
    return client.post(path, body, content_type="application/x-www-form-urlencoded", **headers)


def _sweep(
    client: Client, ids: dict, login: Callable[[], None], *, singles: bool = True
) -> list[str]:
    failures: list[str] = []
    read: dict[tuple[str, str], set[str]] = {}
    for method, path, body, accept in _requests(ids):
        login()
        with _reads() as names:
            response = _send(client, method, path, body, accept)
        if response.status_code >= 500:
            failures.append(f"{method} {path} -> {response.status_code}")
        read.setdefault((method, path.split("?", 1)[0]), set()).update(names)
    for method, path, body in _single_requests(read) if singles else ():
        login()
        response = _send(client, method, path, body)
        if response.status_code >= 500:
            failures.append(f"{method} {path} {body} -> {response.status_code}")
    return failures


@pytest.fixture
def quiet_requests():
    """Thousands of 4xx answers would each log a warning (403s with a traceback)."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    yield
    logger.setLevel(level)


@pytest.mark.parametrize("who", ["anonymous", "creator", "staff", "editor"])
def test_no_url_answers_500_to_bad_input(who, quiet_requests):
    world = _world()
    client = Client(raise_request_exception=False)
    user = {"anonymous": None, "creator": world["creator"].user}.get(who, world.get(who))

    def login() -> None:
        # A logout on the way must not leave the rest of the sweep anonymous.
        session = client.cookies.get(settings.SESSION_COOKIE_NAME)
        if user is not None and (session is None or not session.value):
            client.force_login(user)

    # The editor reaches a part of what the administrator does: the combined requests only.
    failures = _sweep(client, world["ids"], login, singles=who != "editor")
    assert not failures, "\n".join(failures)


def test_the_sweep_reaches_every_route():
    names = {name for name, _route in ROUTES}
    assert {"web:article", "studio:revisions", "moderation:comments_hide"} <= names
    assert not any(name.startswith("admin") for name in names)


@pytest.mark.parametrize(
    "path",
    [
        f"/a/{HUGE}/",
        f"/a/{HUGE}/share.png",
        f"/a/{2**63}/",  # one past the largest key
        f"/sitemaps/articles-{HUGE}.xml",
    ],
)
def test_an_id_past_the_key_range_is_simply_not_found(client, path):
    assert Client(raise_request_exception=False).get(path).status_code == 404
