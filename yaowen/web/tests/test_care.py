"""The 关怀版 switch on the server: cookies, text size steps, bad states, the <html> class."""

import re

import pytest
from django.test import RequestFactory
from django.urls import reverse

from yaowen.core.care import (
    CARE_COOKIE,
    TEXT_SIZE_COOKIE,
    TEXT_SIZES,
    care_state,
)
from yaowen.core.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

YEAR = 365 * 24 * 3600


def care(client, state, next_url=""):
    query = f"?next={next_url}" if next_url else ""
    return client.get(reverse("web:care", args=[state]) + query)


def html_tag(client, url="/accessibility/") -> str:
    return re.search(r"<html[^>]*>", client.get(url).content.decode()).group(0)


def test_care_on_sets_a_year_long_cookie_and_the_server_renders_the_class(client):
    response = care(client, "on", "/accessibility/")
    assert response.status_code == 302
    assert response["Location"] == "/accessibility/"
    cookie = response.cookies[CARE_COOKIE]
    assert cookie.value == "1"
    assert cookie["max-age"] == YEAR
    assert cookie["samesite"] == "Lax"
    assert html_tag(client) == '<html lang="zh-hans" class="care">'
    assert "退出关怀版" in client.get("/accessibility/").content.decode()


def test_care_off_clears_the_cookie_and_the_page_is_normal_again(client):
    care(client, "size-3")
    response = care(client, "off", "/accessibility/")
    assert response.status_code == 302
    assert response.cookies[CARE_COOKIE].value == ""
    assert response.cookies[CARE_COOKIE]["max-age"] == 0
    assert html_tag(client) == '<html lang="zh-hans">'
    html = client.get("/accessibility/").content.decode()
    assert "进入关怀版" in html and 'aria-labelledby="text-size-h"' not in html


@pytest.mark.parametrize(
    ("state", "klass"),
    [
        ("size-0", "care text-0"),
        ("size-1", "care"),
        ("size-2", "care text-2"),
        ("size-3", "care text-3"),
    ],
)
def test_each_text_size_step_turns_care_mode_on_and_is_rendered_on_html(client, state, klass):
    response = care(client, state, "/accessibility/")
    assert response.status_code == 302
    assert response.cookies[CARE_COOKIE].value == "1"
    assert response.cookies[TEXT_SIZE_COOKIE].value == state.removeprefix("size-")
    assert response.cookies[TEXT_SIZE_COOKIE]["max-age"] == YEAR
    assert html_tag(client) == f'<html lang="zh-hans" class="{klass}">'


def test_the_size_control_marks_the_current_step_and_offers_the_others(client):
    care(client, "size-2")
    html = client.get("/accessibility/").content.decode()
    nav = html[
        html.index('class="text-size"') : html.index("</nav>", html.index('class="text-size"'))
    ]
    links = re.findall(
        r'<a href="/care/(size-\d)/\?next=([^"]*)"( aria-current="true")?>([^<]+)', nav
    )
    assert [(state, label) for state, _next, _current, label in links] == [
        ("size-0", "标准"),
        ("size-1", "大"),
        ("size-2", "特大"),
        ("size-3", "超大"),
    ]
    assert [state for state, _next, current, _label in links if current] == ["size-2"]
    assert {next_url for _state, next_url, _current, _label in links} == {"/accessibility/"}


def test_leaving_care_mode_keeps_the_size_for_next_time(client):
    care(client, "size-3")
    care(client, "off")
    assert html_tag(client) == '<html lang="zh-hans">'
    care(client, "on")
    assert html_tag(client) == '<html lang="zh-hans" class="care text-3">'


@pytest.mark.parametrize("state", ["big", "size-4", "size--1", "size-", "SIZE-1", "on1", "１"])
def test_an_unknown_state_is_a_400_with_a_message_and_sets_nothing(client, state):
    response = care(client, state)
    assert response.status_code == 400
    assert "无法识别这个关怀版设置" in response.content.decode()
    assert CARE_COOKIE not in response.cookies and TEXT_SIZE_COOKIE not in response.cookies


def test_links_on_the_400_page_do_not_lead_back_to_it(client):
    bad = reverse("web:care", args=["huge"])
    response = care(client, "on", bad)
    assert response.status_code == 302
    assert response["Location"] == reverse("web:accessibility")


def test_the_switch_answers_get_links_only(client):
    assert client.post(reverse("web:care", args=["on"])).status_code == 405


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "http://evil.example/accessibility/",
        "javascript:alert(1)",
    ],
)
def test_next_never_leads_off_site(client, target):
    response = care(client, "size-2", target)
    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")


def test_a_tampered_size_cookie_falls_back_to_the_default_step(client):
    client.cookies[CARE_COOKIE] = "1"
    for value in ("9", "-1", "x", "", "3x", "03 "):
        client.cookies[TEXT_SIZE_COOKIE] = value
        assert html_tag(client) == '<html lang="zh-hans" class="care">'


def test_care_state_names_every_rendering_the_page_cache_must_keep_apart():
    factory = RequestFactory()

    def state(**cookies):
        request = factory.get("/")
        request.COOKIES.update(cookies)
        return care_state(request)

    assert state() == "std"
    assert state(**{TEXT_SIZE_COOKIE: "3"}) == "std"  # the size only matters in care mode
    assert state(**{CARE_COOKIE: "1"}) == "care-1"
    steps = {state(**{CARE_COOKIE: "1", TEXT_SIZE_COOKIE: str(n)}) for n in range(len(TEXT_SIZES))}
    assert steps == {"care-0", "care-1", "care-2", "care-3"}
    assert state(**{CARE_COOKIE: "1", TEXT_SIZE_COOKIE: "٣"}) == "care-1"  # not an ASCII digit


def test_a_cached_article_page_is_not_served_at_another_text_size(client):
    article = ArticleFactory()
    url = article.get_absolute_url()
    care(client, "size-1")
    assert 'class="care"' in html_tag(client, url)  # cached for anonymous readers now
    care(client, "size-3")
    assert 'class="care text-3"' in html_tag(client, url)
    care(client, "off")
    assert "care" not in html_tag(client, url)


def test_read_aloud_button_is_on_article_pages_in_both_modes(client):
    article = ArticleFactory()
    for state in ("off", "on"):
        care(client, state)
        html = client.get(article.get_absolute_url()).content.decode()
        assert re.search(r"<button[^>]*data-read-aloud[^>]*hidden>朗读</button>", html)
        assert 'data-stop-label="停止朗读"' in html
