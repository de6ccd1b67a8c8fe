"""The anonymous page cache: keys, headers, conditional requests and invalidation."""

import time

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.test import Client, RequestFactory
from django.utils.http import http_date, parse_http_date

from yaowen.core import pagecache
from yaowen.core.care import CARE_COOKIE, TEXT_SIZE_COOKIE
from yaowen.core.pagecache import (
    PAGE_TTL,
    STALE_TTL,
    page_key,
    pages_invalidate,
)
from yaowen.core.tests import pagecache_urls
from yaowen.core.tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("yaowen.core.tests.pagecache_urls")]


@pytest.fixture(autouse=True)
def _calls():
    pagecache_urls.calls.clear()


def ran(name: str = "page") -> int:
    return pagecache_urls.calls.get(name, 0)


def key(path: str = "/p/a/", **extra) -> str | None:
    return page_key(RequestFactory().get(path, **extra))


# --- keys --------------------------------------------------------------------------------


def test_personal_requests_have_no_key():
    assert key() is not None
    assert key(HTTP_COOKIE=f"{settings.SESSION_COOKIE_NAME}=abc") is None
    assert key(HTTP_COOKIE="messages=abc") is None


def test_only_page_and_tab_parameters_are_cached():
    assert key("/p/a/?page=2") is not None
    assert key("/p/a/?tab=news&page=2") == key("/p/a/?page=2&tab=news")
    assert key("/p/a/?page=2") != key("/p/a/?page=3") != key("/p/a/")
    assert key("/p/a/?sort=hot") is None
    assert key("/p/a/?page=2&utm_source=x") is None
    assert key("/p/a/?page=1&page=2") is None
    assert key("/p/a/?page=" + "9" * 40) is None


def test_language_care_mode_text_size_and_host_are_separate_variants():
    plain = key()
    english = key(HTTP_ACCEPT_LANGUAGE="en")
    chosen = key(HTTP_COOKIE=f"{settings.LANGUAGE_COOKIE_NAME}=en")
    care = key(HTTP_COOKIE=f"{CARE_COOKIE}=1")
    bigger = key(HTTP_COOKIE=f"{CARE_COOKIE}=1; {TEXT_SIZE_COOKIE}=3")
    other_host = key(HTTP_HOST="localhost")
    assert len({plain, english, care, bigger, other_host}) == 5
    assert chosen == english, "the language cookie and the header pick the same page"
    # Unsupported languages and the text size outside care mode render the default page.
    assert key(HTTP_ACCEPT_LANGUAGE="fr") == plain
    assert key(HTTP_COOKIE=f"{TEXT_SIZE_COOKIE}=3") == plain


def test_a_disallowed_host_is_not_cached_and_answers_400(client):
    assert key(HTTP_HOST="evil.example") is None
    assert client.get("/p/a/", HTTP_HOST="evil.example").status_code == 400


# --- hits, headers and conditional requests ------------------------------------------------


def test_second_request_is_served_from_the_cache_without_queries(client, django_assert_num_queries):
    first = client.get("/p/a/")
    with django_assert_num_queries(0):
        second = client.get("/p/a/")
    assert ran() == 1
    assert second.status_code == 200
    assert second.content == first.content
    for header in ("ETag", "Last-Modified", "Cache-Control", "Vary", "Content-Type"):
        assert second[header] == first[header]


def test_cacheable_pages_carry_public_caching_headers(client):
    response = client.get("/p/a/")
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert cache_control == {
        "public",
        f"max-age={PAGE_TTL}",
        f"stale-while-revalidate={STALE_TTL}",
    }
    assert response["ETag"].startswith('"') and not response["ETag"].startswith("W/")
    assert {"Cookie", "Accept-Language"} <= {v.strip() for v in response["Vary"].split(",")}
    assert parse_http_date(response["Last-Modified"]) == int(pagecache_urls.CHANGED.timestamp())


def test_etags_follow_the_body(client):
    assert client.get("/p/a/")["ETag"] != client.get("/p/b/")["ETag"]


def test_a_page_with_no_known_change_time_is_dated_when_rendered(client):
    before = int(time.time())
    modified = parse_http_date(client.get("/undated/")["Last-Modified"])
    assert before <= modified <= time.time()


@pytest.mark.parametrize("warm", [False, True], ids=["miss", "hit"])
def test_conditional_requests_get_304_with_no_body(client, warm):
    first = client.get("/p/a/")
    if not warm:
        cache.clear()
    etag, modified = first["ETag"], first["Last-Modified"]

    by_etag = client.get("/p/a/", HTTP_IF_NONE_MATCH=etag)
    by_date = client.get("/p/a/", HTTP_IF_MODIFIED_SINCE=modified)
    for response in (by_etag, by_date):
        assert response.status_code == 304
        assert response.content == b""
        assert response["ETag"] == etag
        assert "public" in response["Cache-Control"]
    if not warm:
        # A miss renders the page to learn its ETag; the etag request stored it again.
        assert ran() == 2
    else:
        assert ran() == 1


def test_stale_validators_get_the_page(client):
    client.get("/p/a/")
    assert client.get("/p/a/", HTTP_IF_NONE_MATCH='"other"').status_code == 200
    older = http_date(pagecache_urls.CHANGED.timestamp() - 60)
    assert client.get("/p/a/", HTTP_IF_MODIFIED_SINCE=older).status_code == 200


def test_head_is_answered_from_the_cache(client):
    client.get("/p/a/")
    response = client.head("/p/a/")
    assert response.status_code == 200
    assert response.content == b""
    assert ran() == 1


def test_variants_are_separate_entries(client):
    chinese = client.get("/p/a/")
    english = client.get("/p/a/", HTTP_ACCEPT_LANGUAGE="en")
    client.cookies[CARE_COOKIE] = "1"
    care = client.get("/p/a/")
    assert ran() == 3
    assert b"zh-hans" in chinese.content and b" en<" in english.content
    assert care.content == chinese.content  # same body here, yet stored on its own
    client.get("/p/a/")
    del client.cookies[CARE_COOKIE]
    client.get("/p/a/", HTTP_ACCEPT_LANGUAGE="en")
    assert ran() == 3


def test_unlisted_query_parameters_always_reach_the_view(client):
    client.get("/p/a/?utm_source=x")
    response = client.get("/p/a/?utm_source=x")
    assert ran() == 2
    assert "ETag" not in response
    client.get("/p/a/?page=2")
    client.get("/p/a/?page=2")
    assert ran() == 3


# --- what is never cached -----------------------------------------------------------------


def test_logged_in_readers_bypass_the_cache_and_get_private_pages(client):
    anonymous = Client()
    cached = anonymous.get("/p/a/")
    client.force_login(UserFactory())
    for _ in range(2):
        response = client.get("/p/a/")
        assert {v.strip() for v in response["Cache-Control"].split(",")} == {
            "private",
            "no-cache",
        }
        assert "ETag" not in response
    assert ran() == 3
    assert anonymous.get("/p/a/")["ETag"] == cached["ETag"]
    assert ran() == 3, "the anonymous entry is still there"


def test_pending_messages_bypass_the_cache(client):
    client.get("/p/a/")
    client.cookies["messages"] = "pending"
    response = client.get("/p/a/")
    assert ran() == 2
    assert "private" in response["Cache-Control"]


def test_a_page_with_a_csrf_token_is_never_stored(client):
    first = client.get("/form/")
    assert "csrfmiddlewaretoken" in first.content.decode()
    assert settings.CSRF_COOKIE_NAME in first.cookies
    assert "private" in first["Cache-Control"]
    other = Client()
    second = other.get("/form/")
    assert ran("with_form") == 2, "each reader gets a page with their own token"
    assert second.content != first.content


def test_errors_and_views_that_did_not_opt_in_are_left_alone(client):
    client.get("/missing/")
    assert client.get("/missing/").status_code == 404
    assert ran("missing") == 2
    client.get("/plain/")
    response = client.get("/plain/")
    assert ran("plain") == 2
    assert "Cache-Control" not in response


def test_a_post_is_never_answered_from_the_cache(client):
    client.get("/p/a/")
    client.post("/p/a/")
    assert ran() == 2


def test_an_unreadable_entry_is_a_miss_not_an_error(client):
    client.get("/p/a/")
    cache.set(key(), ("something", "else"))
    assert client.get("/p/a/").status_code == 200
    assert ran() == 2


def test_entries_are_stored_packed_and_old_formats_are_misses(client):
    first = client.get("/p/a/")
    stored = pagecache.Entry(*cache.get(key()))
    assert stored.format == pagecache.ENTRY_FORMAT
    assert pagecache._unpack(stored.body) == first.content
    cache.set(key(), tuple(stored._replace(format=1, body=b"zlib of another release")))
    assert client.get("/p/a/").content == first.content  # re-rendered, not unpacked
    assert ran() == 2


# --- invalidation -------------------------------------------------------------------------


def test_invalidating_a_path_drops_every_variant_and_only_that_path(
    client, django_assert_num_queries
):
    variants = [{}, {"HTTP_ACCEPT_LANGUAGE": "en"}, {"QUERY_STRING": "page=2"}]
    for extra in variants:
        client.get("/p/a/", **extra)
    client.get("/p/b/")
    assert ran() == 4

    pages_invalidate(["/p/a/"])
    for extra in variants:
        client.get("/p/a/", **extra)
    assert ran() == 7
    with django_assert_num_queries(0):
        client.get("/p/b/")
    assert ran() == 7


def test_invalidation_moves_last_modified_forward(client):
    """A comment changes a page but not its article's time: Last-Modified must still move,
    or a client asking only If-Modified-Since would keep the old page."""
    before = client.get("/p/a/")
    assert client.get("/p/a/", HTTP_IF_MODIFIED_SINCE=before["Last-Modified"]).status_code == 304
    pages_invalidate(["/p/a/"])
    after = client.get("/p/a/", HTTP_IF_MODIFIED_SINCE=before["Last-Modified"])
    assert after.status_code == 200
    assert parse_http_date(after["Last-Modified"]) > parse_http_date(before["Last-Modified"])


def test_a_page_rendered_while_its_path_is_invalidated_is_never_served(client):
    """The generation is read before the view runs, so a render that raced an edit stores
    an entry nobody reads; the next reader gets a fresh page."""
    client.get("/racing/")
    client.get("/racing/")
    assert ran("racing") == 2


def test_purge_pages_forgets_named_paths_or_everything(client):
    client.get("/p/a/")
    client.get("/p/b/")
    call_command("purge_pages", "/p/a/")
    client.get("/p/a/")
    client.get("/p/b/")
    assert ran() == 3
    call_command("purge_pages", "--all")
    client.get("/p/a/")
    client.get("/p/b/")
    assert ran() == 5
    client.get("/p/b/")
    assert ran() == 5


def test_purge_pages_refuses_to_guess(client):
    with pytest.raises(CommandError):
        call_command("purge_pages")
    with pytest.raises(CommandError, match="start with"):
        call_command("purge_pages", "a/1/")
