"""A database that refuses writes (read-only, full) or does not answer: a 503 maintenance page
in the site's style, JSON for scripts, nothing counted (issue 16).

Read-only is the real thing on either database: SQLite's `PRAGMA query_only` and PostgreSQL's
`default_transaction_read_only` on the test connection. A full disk is SQLite's
`max_page_count` held at the database's size, after its free pages are used up.
"""

import psycopg
import pytest
from django.db import OperationalError, connection
from django.test import Client, RequestFactory
from django.urls import reverse

from yaowen.core import ratelimit
from yaowen.core.middleware import RETRY_AFTER_SECONDS, database_unavailable, unavailable_response
from yaowen.core.tests.factories import UserFactory
from yaowen.engagement.models import Comment, Share

pytestmark = pytest.mark.django_db(transaction=True)

READER_ADDRESS = "198.51.100.9"


def _pragma(statement: str) -> object:
    with connection.cursor() as cursor:
        cursor.execute(statement)
        return cursor.fetchone() if statement.startswith("PRAGMA") else None


@pytest.fixture
def read_only():
    """read_only(): from now on the database refuses every write on this connection (the
    one the test client uses); undone after the test."""
    switched = []

    def switch(on: bool = True) -> None:
        if connection.vendor == "sqlite":
            _pragma(f"PRAGMA query_only = {'ON' if on else 'OFF'}")
        else:
            _pragma(f"SET default_transaction_read_only = {'on' if on else 'off'}")
        switched.append(on)

    yield switch
    if switched:
        switch(False)


@pytest.fixture
def disk_full():
    """disk_full(): from now on SQLite cannot grow the database by a page, as on a full
    disk; undone after the test."""
    if connection.vendor != "sqlite":
        pytest.skip("a full disk is simulated with SQLite's max_page_count")
    limit = _pragma("PRAGMA max_page_count")[0]

    def fill() -> None:
        size = _pragma("PRAGMA page_count")[0]
        page = _pragma("PRAGMA page_size")[0]
        _pragma("CREATE TABLE disk_filler (x BLOB)")
        _pragma(f"PRAGMA max_page_count = {size}")
        # Use up the free pages too, so that a write needing any new page fails.
        with connection.cursor() as cursor:
            try:
                while True:
                    cursor.execute("INSERT INTO disk_filler VALUES (zeroblob(%s))", [page // 2])
            except OperationalError as exc:
                assert "full" in str(exc)

    yield fill
    _pragma(f"PRAGMA max_page_count = {limit}")
    _pragma("DROP TABLE IF EXISTS disk_filler")


@pytest.fixture
def reader():
    # A refused session write in a later middleware reaches the test client as an exception
    # as well as a response: the response is what a reader gets.
    client = Client(REMOTE_ADDR=READER_ADDRESS, raise_request_exception=False)
    client.force_login(UserFactory())
    return client


def comment(client: Client, article, body: str, **extra):
    return client.post(
        reverse("engagement:comment_create", args=[article.pk]), {"body": body}, **extra
    )


def assert_maintenance_page(response) -> str:
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "网站维护中" in page
    assert 'class="site-header"' in page  # the site's own page, not the bare 500
    return page


def test_a_comment_on_a_read_only_database_gets_the_maintenance_page(publish, reader, read_only):
    article = publish()
    read_only()
    page = assert_maintenance_page(comment(reader, article, "只读时的跟帖"))
    assert "你刚才的操作没有保存" in page
    assert "已发表的文章仍然可以阅读" in page


def test_scripts_get_json(publish, reader, read_only):
    article = publish()
    read_only()
    response = comment(reader, article, "只读时的跟帖", HTTP_ACCEPT="application/json")
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response.json() == {
        "error": "网站正在维护，暂时无法保存，请稍后再试。",
        "retry_after": RETRY_AFTER_SECONDS,
    }


def test_reading_goes_on_while_the_database_is_read_only(client, publish, read_only):
    article = publish(title="只读期间照常阅读")
    UserFactory(username="someone")
    read_only()
    assert client.get(reverse("web:home")).status_code == 200
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200 and "只读期间照常阅读" in response.content.decode()
    # A wrong password writes nothing: the usual error, not the maintenance page.
    response = client.post(reverse("accounts:login"), {"username": "someone", "password": "x"})
    assert response.status_code == 200


def test_a_login_that_must_write_its_session_gets_the_maintenance_page(read_only):
    UserFactory(username="someone")
    read_only()
    client = Client(raise_request_exception=False)
    response = client.post(
        reverse("accounts:login"), {"username": "someone", "password": "pass-word-123"}
    )
    assert_maintenance_page(response)


def test_a_refused_write_uses_none_of_the_readers_allowance(client, publish, read_only):
    article = publish()
    read_only()
    response = Client(REMOTE_ADDR=READER_ADDRESS).post(
        reverse("web:share_beacon", args=[article.pk]), {"target": "link"}
    )
    assert response.status_code == 503
    assert ratelimit.hits(f"share:ip:{READER_ADDRESS}") == 0
    assert not Share.objects.exists()


def test_a_page_refused_for_its_write_counts_no_view(publish, reader, read_only):
    from yaowen.engagement import viewcount

    article = publish()
    before = viewcount.backend().pending().get(article.pk, 0)
    read_only()
    # A signed-in reader's page records the reading (a write) after counting the view.
    assert_maintenance_page(reader.get(article.get_absolute_url()))
    assert viewcount.backend().pending().get(article.pk, 0) == before


def test_a_comment_when_the_disk_is_full_gets_the_maintenance_page(publish, reader, disk_full):
    article = publish()
    disk_full()
    # A long comment needs new pages, which a full disk cannot give.
    assert_maintenance_page(comment(reader, article, "满" * 2000))
    assert not Comment.objects.filter(article=article).exists()


def test_the_page_renders_without_the_database_when_it_does_not_answer(
    django_assert_num_queries,
):
    request = RequestFactory().post("/a/1/comments/")
    with django_assert_num_queries(0):
        response = unavailable_response(request, "down")
    page = assert_maintenance_page(response)
    assert "你刚才的操作没有保存" in page
    assert "已发表的文章仍然可以阅读" not in page


@pytest.mark.django_db(transaction=False)
def test_the_errors_are_recognised_by_the_drivers_codes():
    import sqlite3

    memory = sqlite3.connect(":memory:")
    memory.execute("CREATE TABLE t (x)")
    memory.execute("PRAGMA query_only = ON")
    with pytest.raises(sqlite3.OperationalError) as read_only_error:
        memory.execute("INSERT INTO t VALUES (1)")
    assert database_unavailable(read_only_error.value) == "write"
    with pytest.raises(sqlite3.OperationalError) as syntax_error:
        memory.execute("SELEC 1")
    assert database_unavailable(syntax_error.value) is None
    # PostgreSQL refusing the connection (nothing listens on port 1).
    with pytest.raises(psycopg.OperationalError) as refused:
        psycopg.connect("postgresql://postgres@127.0.0.1:1/none", connect_timeout=2)
    assert database_unavailable(refused.value) == "down"
    assert database_unavailable(psycopg.errors.ReadOnlySqlTransaction("read-only")) == "write"
    assert database_unavailable(psycopg.errors.DiskFull("no space")) == "write"
    assert database_unavailable(psycopg.errors.UniqueViolation("duplicate")) is None
    assert database_unavailable(ValueError("not the database")) is None
