"""The public site behind the anonymous page cache: free hits, counted views, exact
invalidation by the services, and no reader's page or token served to another."""

import re
import secrets

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.http import parse_http_date

from yaowen.core.care import CARE_COOKIE
from yaowen.core.pagecache import generation_key, page_key
from yaowen.core.tests.factories import ArticleFactory, CreatorFactory, UserFactory
from yaowen.engagement.models import Comment
from yaowen.engagement.services.comments import comment_create, comment_delete, comment_hide
from yaowen.engagement.viewcount import backend
from yaowen.newsroom.models import Article, Channel
from yaowen.newsroom.services import ArticleInput, article_remove, article_update
from yaowen.newsroom.services.pages import article_pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    """Two creators in two channels, each with a couple of live articles."""
    tech, sports = Channel.objects.get(slug="tech"), Channel.objects.get(slug="sports")
    alice = CreatorFactory(display_name="科技观察")
    bob = CreatorFactory(display_name="体育快评")
    x = ArticleFactory(author=alice, channel=tech, title="芯片新品发布")
    ArticleFactory(author=alice, channel=tech, title="芯片旧闻回顾")
    y = ArticleFactory(author=bob, channel=sports, title="联赛揭幕战")
    staff = UserFactory(is_staff=True, is_superuser=True)
    return {
        "x": x,
        "y": y,
        "alice": alice,
        "bob": bob,
        "tech": tech,
        "sports": sports,
        "staff": staff,
    }


def paths(site) -> dict[str, str]:
    return {
        "home": reverse("web:home"),
        "latest": reverse("web:latest"),
        "tech": reverse("web:channel", args=["tech"]),
        "sports": reverse("web:channel", args=["sports"]),
        "alice": reverse("web:author", args=[site["alice"].pk]),
        "bob": reverse("web:author", args=[site["bob"].pk]),
        "x": site["x"].get_absolute_url(),
        "y": site["y"].get_absolute_url(),
        "creators": reverse("web:creators"),
    }


def queries(client: Client, path: str, **extra) -> tuple[int, str]:
    """(database queries the request made, the page's text)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, **extra)
    assert response.status_code in (200, 410), (path, response.status_code)
    return len(captured), response.content.decode()


def warm(client: Client, *wanted: str) -> None:
    for path in wanted:
        client.get(path)


def is_cached(client: Client, path: str) -> bool:
    return queries(client, path)[0] == 0


@pytest.mark.parametrize("page", ["home", "latest", "tech", "alice", "x", "creators"])
def test_every_public_page_is_served_again_with_no_database_query(
    client, site, page, django_assert_num_queries
):
    path = paths(site)[page]
    first = client.get(path)
    assert first.status_code == 200
    assert "public" in first["Cache-Control"]
    with django_assert_num_queries(0):
        second = client.get(path)
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


def test_article_pages_from_the_cache_still_count_views(client, site, django_assert_num_queries):
    article = site["x"]
    path = article.get_absolute_url()

    def pending() -> int:
        return backend().pending().get(article.pk, 0)

    readers = [f"10.{secrets.randbelow(250)}.{secrets.randbelow(250)}.{n}" for n in range(3)]
    before = pending()
    client.get(path, REMOTE_ADDR=readers[0])  # rendered: counted by the view
    with django_assert_num_queries(0):
        client.get(path, REMOTE_ADDR=readers[1])
        client.get(path, REMOTE_ADDR=readers[2])
    assert pending() == before + 3
    client.get(path, REMOTE_ADDR=readers[2])  # the same reader again within the window
    assert pending() == before + 3


def test_article_headers_and_conditional_requests(client, site, django_assert_num_queries):
    article = site["x"]
    path = article.get_absolute_url()
    response = client.get(path)
    assert "Cookie" in response["Vary"] and "Accept-Language" in response["Vary"]
    assert "max-age=60" in response["Cache-Control"]
    assert "stale-while-revalidate" in response["Cache-Control"]
    newest = max(article.updated_at, article.author.updated_at)
    assert parse_http_date(response["Last-Modified"]) == int(newest.timestamp())

    with django_assert_num_queries(0):
        by_etag = client.get(path, HTTP_IF_NONE_MATCH=response["ETag"])
        by_date = client.get(path, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert by_etag.status_code == by_date.status_code == 304
    assert by_etag.content == by_date.content == b""

    cache.clear()  # a miss: the view renders, then answers 304
    assert client.get(path, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"]).status_code == 304


def test_a_logged_in_reader_neither_reads_nor_writes_nor_evicts_anonymous_pages(client, site):
    path = site["x"].get_absolute_url()
    anonymous = Client()
    cached = anonymous.get(path)
    key = page_key(RequestFactory().get(path))
    entry, generation = cache.get(key), cache.get(generation_key(path))
    assert entry is not None

    reader = UserFactory()
    client.force_login(reader)
    for url in (path, reverse("web:home"), reverse("web:feed")):
        response = client.get(url)
        assert reader.public_name in response.content.decode()
        assert "private" in response["Cache-Control"] and "no-cache" in response["Cache-Control"]
        assert "ETag" not in response
    assert cache.get(key) == entry
    assert cache.get(generation_key(path)) == generation
    assert is_cached(anonymous, path)
    assert anonymous.get(path).content == cached.content


def test_a_logged_in_readers_home_is_their_feed_not_the_cached_page(client, site):
    anonymous_home = Client().get("/").content.decode()
    client.force_login(UserFactory())
    home = client.get("/").content.decode()
    assert 'href="/feed/" aria-current="page"' in home
    assert 'href="/feed/" aria-current="page"' not in anonymous_home


def test_a_pending_message_bypasses_the_cache(client, site):
    path = paths(site)["x"]
    warm(client, path)
    client.cookies["messages"] = "pending"
    count, _html = queries(client, path)
    assert count > 0


def test_only_page_and_tab_parameters_are_cached(client, site):
    latest, article = paths(site)["latest"], paths(site)["x"]
    warm(client, f"{latest}?page=2", f"{article}?sort=hot")
    assert is_cached(client, f"{latest}?page=2")
    assert not is_cached(client, f"{article}?sort=hot")
    assert not is_cached(client, f"{latest}?page=2&utm_source=share")


def test_language_and_care_mode_are_separate_entries(client, site):
    path = paths(site)["x"]
    chinese = client.get(path).content.decode()
    english = client.get(path, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    client.cookies[CARE_COOKIE] = "1"
    care = client.get(path).content.decode()
    assert '<html lang="zh-hans"' in chinese and '<html lang="en"' in english
    assert re.search(r'<html lang="zh-hans" class="care', care)
    assert is_cached(client, path)
    assert re.search(r'<html lang="zh-hans" class="care', queries(client, path)[1])
    del client.cookies[CARE_COOKIE]
    assert queries(client, path, HTTP_ACCEPT_LANGUAGE="en")[0] == 0
    assert '<html lang="zh-hans">' in queries(client, path)[1]


# --- invalidation ---------------------------------------------------------------------------


def test_publishing_refreshes_its_pages_and_leaves_the_others_cached(
    client, site, publish, django_capture_on_commit_callbacks
):
    urls = paths(site)
    warm(client, *urls.values())
    with django_capture_on_commit_callbacks(execute=True):
        new = publish(author=site["alice"], title="芯片产能扩张", channel="tech")
    for name in ("home", "latest", "tech", "alice"):
        count, html = queries(client, urls[name])
        assert count > 0 and "芯片产能扩张" in html, name
    for name in ("sports", "bob", "y", "x", "creators"):
        assert is_cached(client, urls[name]), name
    # Feeds and sitemaps are forgotten by path, whether or not they exist yet.
    for path in (
        "/feed.xml",
        "/rss.xml",
        "/c/tech/feed.xml",
        "/c/tech/rss.xml",
        f"/u/{site['alice'].pk}/feed/",
        f"/u/{site['alice'].pk}/rss.xml",
        "/sitemap.xml",
        "/sitemaps/news.xml",
        new.get_absolute_url(),
    ):
        assert path in article_pages(new)
        assert cache.get(generation_key(path)) is not None, path


def test_editing_a_live_article_refreshes_its_pages(
    client, site, django_capture_on_commit_callbacks
):
    urls = paths(site)
    warm(client, *urls.values())
    x = site["x"]
    with django_capture_on_commit_callbacks(execute=True):
        article_update(
            article=x,
            data=ArticleInput.from_article(x, title="芯片新品发布（更新）"),
            by=x.author.user,
        )
    for name in ("x", "home", "latest", "tech", "alice"):
        count, html = queries(client, urls[name])
        assert count > 0 and "芯片新品发布（更新）" in html, name
    for name in ("y", "sports", "bob"):
        assert is_cached(client, urls[name]), name


def test_moving_an_article_to_another_channel_refreshes_both_channels(
    client, site, django_capture_on_commit_callbacks
):
    urls = paths(site)
    warm(client, urls["tech"], urls["sports"])
    x = site["x"]
    with django_capture_on_commit_callbacks(execute=True):
        article_update(
            article=x, data=ArticleInput.from_article(x, channel=site["sports"]), by=x.author.user
        )
    assert "芯片新品发布" not in queries(client, urls["tech"])[1]
    assert "芯片新品发布" in queries(client, urls["sports"])[1]


def test_a_takedown_answers_410_at_once_and_leaves_the_lists(
    client, site, django_capture_on_commit_callbacks
):
    urls = paths(site)
    warm(client, *urls.values())
    with django_capture_on_commit_callbacks(execute=True):
        article_remove(article=site["x"], by=site["staff"], reason="违反社区规范")
    assert client.get(urls["x"]).status_code == 410
    for name in ("home", "latest", "tech", "alice"):
        count, html = queries(client, urls[name])
        assert count > 0 and "芯片新品发布" not in html, name
    assert is_cached(client, urls["y"])


def test_comments_refresh_their_article_page_only(client, site, django_capture_on_commit_callbacks):
    urls = paths(site)
    warm(client, *urls.values())
    reader = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        comment = comment_create(user=reader, article=site["x"], body="第一条跟帖")
    count, html = queries(client, urls["x"])
    assert count > 0 and "第一条跟帖" in html
    for name in ("y", "home", "latest", "tech", "alice"):
        assert is_cached(client, urls[name]), name

    with django_capture_on_commit_callbacks(execute=True):
        comment_delete(comment=comment, by=reader)
    assert "第一条跟帖" not in queries(client, urls["x"])[1]
    assert is_cached(client, urls["y"])

    other = comment_create(user=reader, article=site["x"], body="第二条跟帖")
    warm(client, urls["x"])
    with django_capture_on_commit_callbacks(execute=True):
        comment_hide(comment=other, by=site["staff"])
    assert "第二条跟帖" not in queries(client, urls["x"])[1]
    assert Comment.objects.get(pk=other.pk).status == Comment.Status.HIDDEN
    assert Article.objects.get(pk=site["x"].pk).comment_count == 0


def test_only_moderators_hide_comments(site):
    from yaowen.core.errors import PermissionDeniedError

    comment = comment_create(user=UserFactory(), article=site["x"], body="一条跟帖")
    with pytest.raises(PermissionDeniedError):
        comment_hide(comment=comment, by=UserFactory())
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.VISIBLE


# --- forms on cached pages --------------------------------------------------------------------


def test_cached_pages_hold_no_csrf_token_and_another_reader_can_still_comment(
    site, django_capture_on_commit_callbacks
):
    path = paths(site)["x"]
    reader_a = Client(enforce_csrf_checks=True)
    page_a = reader_a.get(path)
    assert "csrfmiddlewaretoken" not in page_a.content.decode()
    assert not page_a.cookies, "a cacheable page sets no cookie"

    # Reader B gets A's page from the cache: its like, follow and comment controls are login
    # links, so B logs in on a page of their own and posts with their own token.
    reader_b = Client(enforce_csrf_checks=True)
    page_b = reader_b.get(path)
    assert page_b.content == page_a.content
    html = page_b.content.decode()
    login = reverse("accounts:login")
    assert f'href="{login}?next=' in html
    assert 'action="/e/a/' not in html and f'action="/a/{site["x"].pk}/like/"' not in html

    user = UserFactory()
    login_page = reader_b.get(f"{login}?next={path}")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page.content.decode())
    response = reader_b.post(
        f"{login}?next={path}",
        {"username": user.username, "password": "pass-word-123", "csrfmiddlewaretoken": token[1]},
    )
    assert response.status_code == 302 and response["Location"] == path

    own = reader_b.get(path)
    assert "private" in own["Cache-Control"]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', own.content.decode())
    assert token, "the logged-in page has the reader's own form"
    with django_capture_on_commit_callbacks(execute=True):
        posted = reader_b.post(
            reverse("engagement:comment_create", args=[site["x"].pk]),
            {"body": "B 的跟帖", "csrfmiddlewaretoken": token[1]},
        )
    assert posted.status_code == 302
    assert "B 的跟帖" in reader_a.get(path).content.decode()
