"""fast_reverse and the {% url %} builtin give exactly Django's URLs, only faster."""

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, reverse, set_script_prefix

from yaowen.core import urls as fast_urls
from yaowen.core.urls import fast_reverse

CASES = [
    ("web:home", (), {}),
    ("web:article", (7,), {}),
    ("web:article", (123456789,), {}),
    ("web:share_out", (42, "weibo"), {}),
    ("web:channel", ("tech",), {}),
    ("web:sitemap_articles", (), {"page": 3}),
    ("engagement:comment_create", (), {"article_id": 9}),
    ("web:care", ("size-2",), {}),
    ("language", ("en",), {}),
]


@pytest.mark.parametrize(("name", "args", "kwargs"), CASES)
def test_the_same_url_as_reverse_first_and_from_the_memo(name, args, kwargs):
    expected = reverse(name, args=args, kwargs=kwargs)
    assert fast_reverse(name, args, kwargs) == expected
    assert fast_reverse(name, args, kwargs) == expected  # now from the memo


def test_each_integer_lands_in_its_own_place():
    assert fast_reverse("web:share_out", [5, "qq"]) == "/a/5/share/qq/"
    assert fast_reverse("web:share_out", [61, "weibo"]) == "/a/61/share/weibo/"
    assert fast_reverse("web:article", [0]) == "/a/0/"


def test_arguments_no_route_accepts_still_fail_like_reverse():
    with pytest.raises(NoReverseMatch):
        fast_reverse("web:article", ["not-a-number"])
    with pytest.raises(NoReverseMatch):
        fast_reverse("web:no-such-page")


def test_a_script_prefix_is_part_of_the_url():
    try:
        set_script_prefix("/news/")
        assert fast_reverse("web:article", [3]) == "/news/a/3/" == reverse("web:article", args=[3])
    finally:
        set_script_prefix("/")
    assert fast_reverse("web:article", [3]) == "/a/3/"


def test_the_memo_stays_bounded(monkeypatch):
    monkeypatch.setattr(fast_urls, "MEMO_LIMIT", 5)
    for slug in ("a", "b", "c", "d", "e", "f", "g"):
        assert fast_reverse("web:channel", [slug]) == f"/c/{slug}/"
    assert len(fast_urls._memo) <= 5


def test_the_url_tag_in_templates_renders_what_django_would():
    rendered = Template(
        "{% url 'web:article' pk %}|{% url 'web:share_out' pk 'qq' %}|"
        "{% url 'web:article' 'x' as missing %}[{{ missing }}]|"
        "{% url 'web:home' as home %}{{ home }}"
    ).render(Context({"pk": 12}))
    assert rendered == "/a/12/|/a/12/share/qq/|[]|/"
