"""Feeds carry what creators wrote as text: a summary or title written as markup reaches a
feed reader as the characters typed, never as live HTML."""

import html
import xml.etree.ElementTree as ET

import feedparser
import pytest

from yaowen.core.tests.factories import ArticleFactory, CreatorFactory
from yaowen.newsroom.rendering import render_body

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SUMMARY = '<img src=x onerror="alert(1)">读者看到的是这些字'
TITLE = "<b>加粗</b> & 标题"


def atom_entry(client, url: str) -> ET.Element:
    return ET.fromstring(client.get(url).content).find(f"{ATOM}entry")


def rss_item(client, url: str) -> ET.Element:
    return ET.fromstring(client.get(url).content).find("channel/item")


def test_a_summary_written_as_markup_is_text_in_both_feeds(client):
    ArticleFactory(summary=SUMMARY, title=TITLE)
    entry = atom_entry(client, "/feed.xml")
    summary = entry.find(f"{ATOM}summary")
    # type="html": the reader decodes the element's text as HTML; it must hold no tag.
    assert summary.get("type") == "html"
    assert "<img" not in summary.text and html.unescape(summary.text) == SUMMARY
    item = rss_item(client, "/rss.xml")
    description = item.find("description").text
    assert "<img" not in description and html.unescape(description) == SUMMARY


def test_titles_are_text_in_both_feeds(client):
    ArticleFactory(title=TITLE)
    # Atom titles have no type: text already, sent as typed.
    assert atom_entry(client, "/feed.xml").find(f"{ATOM}title").text == TITLE
    # RSS readers take a title as HTML: it is escaped.
    rss_title = rss_item(client, "/rss.xml").find("title").text
    assert "<b>" not in rss_title and html.unescape(rss_title) == TITLE
    # A feed reader's parser shows the same title for both.
    for url in ("/feed.xml", "/rss.xml"):
        assert shown(feedparser.parse(client.get(url).content).entries[0].title_detail) == TITLE


def shown(detail) -> str:
    """What a reader displays for a feedparser text construct: HTML is rendered."""
    return html.unescape(detail.value) if detail.type == "text/html" else detail.value


def test_a_summary_taken_from_the_body_is_its_text_not_its_markup(client):
    # The body's markup is sanitised; what it shows as text (here a tag written in code)
    # must not turn back into a tag in the feed.
    source = "正文里讲到 `<script>alert(1)</script>` 这段代码 & 其他。"
    ArticleFactory(summary="", body_source=source, body_html=render_body(source))
    for element in (
        atom_entry(client, "/feed.xml").find(f"{ATOM}summary"),
        rss_item(client, "/rss.xml").find("description"),
    ):
        assert "<script" not in element.text and "<code" not in element.text
        assert (
            html.unescape(element.text) == "正文里讲到 <script>alert(1)</script> 这段代码 & 其他。"
        )


def test_an_author_feed_sends_the_bio_and_name_as_text(client):
    creator = CreatorFactory(display_name="<i>号</i>", bio="<a href=x>简介</a>")
    ArticleFactory(author=creator)
    channel = ET.fromstring(client.get(f"/u/{creator.pk}/rss.xml").content).find("channel")
    for tag in ("title", "description"):
        assert "<" not in channel.find(tag).text
    assert html.unescape(channel.find("description").text) == "<a href=x>简介</a>"
    atom = ET.fromstring(client.get(f"/u/{creator.pk}/feed/").content)
    assert atom.find(f"{ATOM}subtitle").text == "<a href=x>简介</a>"  # Atom text: as typed
