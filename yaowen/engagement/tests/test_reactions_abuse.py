"""Reactions a script cannot inflate: likes say the state they want, so repeats (even 16 at
once) change nothing more; shares count once per reader a day, an anonymous reader is its
address alone, and an address counts a capped number of shares an hour."""

import threading

import pytest
from django.db import connection, connections
from django.urls import reverse

from yaowen.core.tests.factories import ArticleFactory, UserFactory
from yaowen.engagement.models import Like, Share
from yaowen.engagement.services.reactions import (
    ANONYMOUS_SHARES_PER_HOUR,
    article_like_set,
    share_reader,
    share_record,
)
from yaowen.jobs.models import Delivery
from yaowen.newsroom.models import Article

pytestmark = pytest.mark.django_db

LIKED_EVENTS = Delivery.objects.filter(event="article.liked")
SHARED_EVENTS = Delivery.objects.filter(event="article.shared")


def like_count(article: Article) -> int:
    return Article.objects.values_list("like_count", flat=True).get(pk=article.pk)


def share_count(article: Article) -> int:
    return Article.objects.values_list("share_count", flat=True).get(pk=article.pk)


# --- likes ---------------------------------------------------------------------------


def test_liking_twice_stays_liked_and_announces_one_like():
    article, reader = ArticleFactory(), UserFactory()
    events = LIKED_EVENTS.count()
    for _ in range(3):
        assert article_like_set(article=article, user=reader, liked=True) == (True, 1)
    assert Like.objects.filter(article=article).count() == 1 == like_count(article)
    assert LIKED_EVENTS.count() == events + 1
    for _ in range(2):
        assert article_like_set(article=article, user=reader, liked=False) == (False, 0)
    assert not Like.objects.exists() and like_count(article) == 0
    assert LIKED_EVENTS.count() == events + 1  # an unlike is no event


def test_the_like_form_posts_the_state_it_wants(client):
    article, reader = ArticleFactory(), UserFactory()
    client.force_login(reader)
    url = reverse("web:like", args=[article.pk])
    page = client.get(article.get_absolute_url()).content.decode()
    assert '<input type="hidden" name="liked" value="1">' in page
    for _ in range(2):  # the form sent twice (a double click without JavaScript)
        assert client.post(url, {"liked": "1"}).status_code == 302
    assert like_count(article) == 1
    page = client.get(article.get_absolute_url()).content.decode()
    assert '<input type="hidden" name="liked" value="0">' in page
    assert 'aria-pressed="true"' in page
    for _ in range(2):
        answer = client.post(url, {"liked": "0"}, HTTP_ACCEPT="application/json")
        assert answer.json() == {"liked": False, "count": 0}
    assert not Like.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs real concurrent writers: runs in the PostgreSQL pass of bin/test",
)
@pytest.mark.parametrize("liked", [True, False], ids=["like", "unlike"])
def test_sixteen_concurrent_identical_requests_end_in_the_state_asked_for(liked):
    article, reader = ArticleFactory(), UserFactory()
    if not liked:
        article_like_set(article=article, user=reader, liked=True)
    events = LIKED_EVENTS.count()
    barrier = threading.Barrier(16)
    answers: list[tuple[bool, int]] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait()
            answers.append(article_like_set(article=article, user=reader, liked=liked))
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    expected = 1 if liked else 0
    assert {state for state, _count in answers} == {liked} and len(answers) == 16
    assert Like.objects.filter(article=article, user=reader).count() == expected
    assert like_count(article) == expected
    assert LIKED_EVENTS.count() == events + expected


# --- shares --------------------------------------------------------------------------


def test_a_script_changing_user_agent_and_cookies_counts_once(client):
    article = ArticleFactory()
    beacon = reverse("web:share_beacon", args=[article.pk])
    for n in range(12):
        client.cookies["yw_visitor"] = f"fake-{n}"
        client.cookies["sessionid"] = f"not-a-session-{n}"
        target = ("wechat", "link")[n % 2]
        client.post(beacon, {"target": target}, HTTP_USER_AGENT=f"Mozilla/5.0 bot-{n}")
        client.get(
            reverse("web:share_out", args=[article.pk, ("weibo", "qq")[n % 2]]),
            HTTP_USER_AGENT=f"Mozilla/5.0 other-{n}",
        )
    assert share_count(article) == 1 == Share.objects.count()
    assert SHARED_EVENTS.count() == 1


def test_two_readers_count_twice(client):
    article = ArticleFactory()
    beacon = reverse("web:share_beacon", args=[article.pk])
    assert client.post(beacon, {"target": "wechat"}, REMOTE_ADDR="198.51.100.4").json() == {
        "counted": True
    }
    assert client.post(beacon, {"target": "wechat"}, REMOTE_ADDR="198.51.100.5").json() == {
        "counted": True
    }
    # A logged-in reader is their account, wherever they connect from.
    client.force_login(UserFactory())
    assert client.post(beacon, {"target": "link"}, REMOTE_ADDR="198.51.100.4").json() == {
        "counted": True
    }
    assert client.post(beacon, {"target": "link"}, REMOTE_ADDR="203.0.113.9").json() == {
        "counted": False
    }
    assert share_count(article) == 3 == SHARED_EVENTS.count()


def test_an_ipv6_reader_is_their_whole_64():
    article = ArticleFactory()
    assert share_record(article_id=article.pk, target="link", address="2001:db8:1:2::1") is True
    for address in ("2001:db8:1:2::abcd", "2001:db8:1:2:ffff:ffff:ffff:ffff"):
        assert share_record(article_id=article.pk, target="link", address=address) is False
    assert share_record(article_id=article.pk, target="link", address="2001:db8:1:3::1") is True
    assert share_count(article) == 2


def test_reader_identity():
    reader = UserFactory()
    assert share_reader(user=reader, address="192.0.2.1") == f"u:{reader.pk}"
    assert share_reader(user=None, address="192.0.2.1") == "ip:192.0.2.1"
    assert share_reader(user=None, address="::ffff:192.0.2.1") == "ip:192.0.2.1"
    assert share_reader(user=None, address="2001:db8::5") == "ip:2001:db8::/64"
    assert (
        share_reader(user=None, address="")
        == share_reader(user=None, address="x")
        == ("ip:unknown")
    )


def test_one_address_counts_a_capped_number_of_shares_an_hour_across_articles():
    articles = ArticleFactory.create_batch(ANONYMOUS_SHARES_PER_HOUR + 3)
    counted = [
        share_record(article_id=article.pk, target="wechat", address="192.0.2.50")
        for article in articles
    ]
    assert counted == [True] * ANONYMOUS_SHARES_PER_HOUR + [False] * 3
    # The refused ones were not counted, so they are not "seen": the reader is not shut out
    # of them for the day, only for the hour. Another address and logged-in readers go on.
    assert share_record(article_id=articles[-1].pk, target="wechat", address="192.0.2.51")
    assert share_record(
        article_id=articles[-1].pk, target="wechat", address="192.0.2.50", user=UserFactory()
    )
    assert Share.objects.count() == ANONYMOUS_SHARES_PER_HOUR + 2
