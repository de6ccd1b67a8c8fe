"""The Jinja2 fragments draw whatever creators and readers typed as text: titles, names,
comments, 推荐理由 and channel names full of markup come out inert."""

import datetime as dt
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from yaowen.core.jinja import render_fragment
from yaowen.core.tests.factories import ArticleFactory, CommentFactory, UserFactory
from yaowen.engagement.rendering import Viewer, comments_html
from yaowen.engagement.selectors import comment_list_for_article
from yaowen.newsroom.cards import ArticleCard
from yaowen.recommend.reasons import Pick, Why

HOSTILE = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
PAGE_TAGS = {
    "a", "br", "button", "details", "div", "form", "h2", "h3", "img", "input", "label", "li",
    "nav", "ol", "p", "section", "small", "span", "summary", "textarea", "time", "ul",
}  # fmt: skip


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in PAGE_TAGS:
            self.problems.append(f"<{tag}>")
        self.problems += [f"{name} on <{tag}>" for name, _value in attrs if name.startswith("on")]
        if tag == "img" and dict(attrs).get("src") == "x":
            self.problems.append("an injected <img>")


def inert(html: str) -> bool:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    assert not parser.problems, parser.problems
    return "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def hostile_card(pk: int = 1, *, cover: str = "") -> ArticleCard:
    return ArticleCard(
        id=pk,
        title=HOSTILE,
        published_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        cover=cover,
        cover_alt="",
        comment_count=0,
        author_id=1,
        author_name=HOSTILE,
        channel_slug="tech",
        channel_name=HOSTILE,
        url=f"/a/{pk}/",
        author_url='/u/1/"onmouseover="alert(3)',
        cover_url=f"/media/{cover}" if cover else "",
        published_label="2026-01-01 08:00",
    )


def test_cards_picks_and_reasons_are_text():
    related = [
        Pick(hostile_card(1, cover='x.webp" onerror="alert(4)'), Why.KEYWORDS, (HOSTILE,)),
        Pick(hostile_card(2), Why.FOLLOW, name=HOSTILE),
    ]
    html = render_fragment("cards/related.html", {"related": related})
    assert inert(html) and html.count('<p class="why">') == 2
    aside = render_fragment(
        "cards/aside.html",
        {"past": [hostile_card(3)], "hot": [hostile_card(4)], "author_url": "/u/1/"}
        | {"author_name": HOSTILE},
    )
    assert inert(aside) and 'class="cards compact"' in aside
    channel = SimpleNamespace(slug="tech", url="/c/tech/", name=HOSTILE, headline_title=HOSTILE)
    blocks = render_fragment(
        "cards/headline_blocks.html",
        {
            "main_blocks": [{"channel": channel, "cards": [Pick(hostile_card(5), Why.EDITOR)]}],
            "original_blocks": [{"channel": channel, "cards": []}],
        },
    )
    assert inert(blocks) and '<span class="why tag">' in blocks


@pytest.mark.django_db
def test_comments_and_their_authors_are_text():
    article = ArticleFactory(comment_count=2)
    # A nickname holds at most 30 characters (PostgreSQL enforces it): a short attack.
    author = UserFactory(nickname='"><script>alert(1)</script>')
    top = CommentFactory(article=article, user=author, body=f"{HOSTILE}\njavascript:alert(5)")
    CommentFactory(article=article, parent=top, reply_to=author, body=HOSTILE)
    section = comment_list_for_article(article_id=article.pk)
    request = RequestFactory().get(article.get_absolute_url())
    request.user = AnonymousUser()
    viewer = Viewer.of(request, article, sort=section.sort, back='/a/1/"><script>')
    html = render_fragment(
        "engagement/section.html", {"article": article, "comments": section, "viewer": viewer}
    )
    assert inert(html) and "<br>" in html and 'href="javascript' not in html
    request.user = UserFactory()
    member = Viewer.of(request, article, sort="new", back='/a/1/"><script>', draft_body=HOSTILE)
    assert inert(comments_html(section, member))
