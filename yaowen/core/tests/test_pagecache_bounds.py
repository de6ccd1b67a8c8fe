"""The page cache stores a bounded number of variants of a page, whatever the URL asks for."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from yaowen.core import pagecache
from yaowen.core.pagecache import MAX_CACHED_PAGE, page_key, pages_invalidate

pytestmark = pytest.mark.django_db


def stored(url: str, **extra) -> bool:
    return cache.get(page_key(RequestFactory().get(url, **extra))) is not None


def test_400_page_values_of_one_article_leave_at_most_max_cached_page_entries(client, publish):
    url = publish(title="一篇很长的文章").get_absolute_url()
    for number in range(1, 401):
        assert client.get(f"{url}?page={number}").status_code == 200
    kept = [number for number in range(1, 401) if stored(f"{url}?page={number}")]
    assert kept == list(range(1, MAX_CACHED_PAGE + 1))


@pytest.mark.parametrize(
    "query", ["page=01", "page=0", "page=-1", "page=１", "page=2.0", "page=x", "tab=evil", "tab="]
)
def test_odd_page_and_tab_values_are_served_but_not_stored(client, publish, query):
    url = f"{publish().get_absolute_url()}?{query}"
    response = client.get(url)
    assert response.status_code == 200
    assert "一" in response.content.decode()  # the page itself
    assert page_key(RequestFactory().get(url)) is None
    assert "private" in response["Cache-Control"]


def test_known_tabs_and_small_page_numbers_are_stored(client, publish):
    url = publish().get_absolute_url()
    for query in ("tab=hot", "tab=news", "page=2", "page=50&tab=hot"):
        client.get(f"{url}?{query}")
        assert stored(f"{url}?{query}"), query


def test_one_generation_of_a_path_stores_at_most_its_share_of_variants(
    client, publish, monkeypatch
):
    monkeypatch.setattr(pagecache, "VARIANTS_PER_GENERATION", 5)
    url = publish().get_absolute_url()
    languages = ("zh-hans", "en")
    for number in range(1, 11):
        for language in languages:
            client.get(f"{url}?page={number}", HTTP_ACCEPT_LANGUAGE=language)
    kept = sum(
        stored(f"{url}?page={number}", HTTP_ACCEPT_LANGUAGE=language)
        for number in range(1, 11)
        for language in languages
    )
    assert kept == 5
    # A change to the page starts a new generation, with room for its own variants.
    pages_invalidate([url])
    client.get(f"{url}?page=9")
    assert stored(f"{url}?page=9")
