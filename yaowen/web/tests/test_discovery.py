"""Feeds, sitemaps, robots.txt, canonical URLs, social tags, JSON-LD and share cards."""

import datetime as dt
import io
import json
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import jsonschema
import pytest
import xmlschema
from django.conf import settings
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone
from PIL import Image, ImageFont

from yaowen.core.tests.factories import ArticleFactory, CreatorFactory, ReferenceFactory
from yaowen.newsroom.models import Article, Channel
from yaowen.newsroom.selectors import article_get
from yaowen.web.discovery import cards, selectors, structured

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).parent / "schemas"
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS_NS = "{http://www.google.com/schemas/sitemap-news/0.9}"
ORIGIN = "http://testserver"


class HeadParser(HTMLParser):
    """Collects <meta>, <link> and JSON-LD <script> contents of a page."""

    def __init__(self):
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.links: list[dict] = []
        self.json_ld: list[str] = []
        self._in_ld = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("property" in attrs or "name" in attrs):
            key = attrs.get("property") or attrs["name"]
            self.meta.setdefault(key, []).append(attrs.get("content", ""))
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_ld = True
            self.json_ld.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_ld = False

    def handle_data(self, data):
        if self._in_ld:
            self.json_ld[-1] += data

    def one(self, key: str) -> str:
        assert len(self.meta.get(key, [])) == 1, key
        return self.meta[key][0]

    def link(self, rel: str, type_: str | None = None) -> list[str]:
        return [
            link["href"]
            for link in self.links
            if link.get("rel") == rel and (type_ is None or link.get("type") == type_)
        ]


def parse_head(response) -> HeadParser:
    assert response.status_code == 200
    parser = HeadParser()
    parser.feed(response.content.decode())
    return parser


# Feeds


def test_site_feeds_list_the_latest_50_published_articles_newest_first(
    client, django_assert_num_queries
):
    articles = ArticleFactory.create_batch(51)
    ArticleFactory(status=Article.Status.DRAFT, title="草稿不出现", published_at=None)
    ArticleFactory(status=Article.Status.REMOVED, title="下架不出现", published_at=timezone.now())
    newest = sorted(articles, key=lambda a: a.published_at, reverse=True)[:50]
    for url, version in (("/feed.xml", "atom10"), ("/rss.xml", "rss20")):
        with django_assert_num_queries(1):
            response = client.get(url)
        assert response.status_code == 200
        feed = feedparser.parse(response.content)
        assert feed.bozo == 0, feed.get("bozo_exception")
        assert feed.version == version
        assert feed.feed.title == settings.SITE_NAME
        assert [entry.link for entry in feed.entries] == [
            f"{ORIGIN}/a/{article.pk}/" for article in newest
        ]
        first = feed.entries[0]
        assert first.title == newest[0].title
        assert first.summary == "摘要。"
        assert first.author == newest[0].author.display_name
        assert [tag.term for tag in first.tags] == ["科技"]
        published = dt.datetime(*first.published_parsed[:6], tzinfo=dt.UTC)
        assert abs(published - newest[0].published_at) < dt.timedelta(seconds=1)
        assert "草稿不出现" not in response.content.decode()
        assert "下架不出现" not in response.content.decode()


def test_atom_entries_carry_their_updated_time(client):
    article = ArticleFactory()
    feed = feedparser.parse(client.get("/feed.xml").content)
    updated = dt.datetime(*feed.entries[0].updated_parsed[:6], tzinfo=dt.UTC)
    assert abs(updated - article.updated_at) < dt.timedelta(seconds=1)


def test_channel_feeds_list_only_that_channel(client):
    sports = Channel.objects.get(slug="sports")
    mine = ArticleFactory.create_batch(3, channel=sports)
    ArticleFactory(title="科技频道的文章")
    for url in ("/c/sports/feed.xml", "/c/sports/rss.xml"):
        feed = feedparser.parse(client.get(url).content)
        assert feed.bozo == 0
        assert {entry.link for entry in feed.entries} == {f"{ORIGIN}/a/{a.pk}/" for a in mine}
        assert all(entry.tags[0].term == sports.name for entry in feed.entries)
        assert sports.name in feed.feed.title
    assert client.get("/c/nope/feed.xml").status_code == 404
    assert client.get("/c/nope/rss.xml").status_code == 404


def test_author_feeds_keep_the_old_atom_url_and_add_rss(client):
    author = CreatorFactory(display_name="体坛老张")
    mine = ArticleFactory.create_batch(2, author=author)
    ArticleFactory(title="别人的文章")
    atom = client.get(f"/u/{author.pk}/feed/")
    assert atom["Content-Type"].startswith("application/atom+xml")
    rss = client.get(f"/u/{author.pk}/rss.xml")
    assert rss["Content-Type"].startswith("application/rss+xml")
    for response in (atom, rss):
        feed = feedparser.parse(response.content)
        assert feed.bozo == 0
        assert "体坛老张" in feed.feed.title
        assert {entry.link for entry in feed.entries} == {f"{ORIGIN}/a/{a.pk}/" for a in mine}
    assert client.get("/u/999999/feed/").status_code == 404
    assert client.get("/u/999999/rss.xml").status_code == 404


# Sitemaps


@pytest.fixture(scope="module")
def schemas():
    return {
        "index": xmlschema.XMLSchema(str(SCHEMAS / "siteindex.xsd")),
        "urlset": xmlschema.XMLSchema(str(SCHEMAS / "sitemap.xsd")),
        "news": xmlschema.XMLSchema(
            [str(SCHEMAS / "sitemap.xsd"), str(SCHEMAS / "sitemap-news.xsd")]
        ),
    }


def xml_of(client, url: str, schema) -> "xmlschema.ElementTree.Element":
    response = client.get(url.removeprefix(ORIGIN))
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    schema.validate(response.content.decode())
    return xmlschema.XMLResource(response.content.decode()).root


def locs(root, tag="url") -> list[str]:
    return [node.findtext(f"{SITEMAP_NS}loc") for node in root.iter(f"{SITEMAP_NS}{tag}")]


def test_sitemap_index_pages_hold_every_published_article_once(
    client, schemas, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(selectors, "ARTICLES_PER_SITEMAP", 2)
    published = ArticleFactory.create_batch(5)
    hidden = [
        ArticleFactory(status=Article.Status.DRAFT, published_at=None),
        ArticleFactory(status=Article.Status.PENDING, published_at=None),
        ArticleFactory(status=Article.Status.REMOVED),
    ]
    with django_assert_max_num_queries(2):
        index = xml_of(client, "/sitemap.xml", schemas["index"])
    sitemaps = locs(index, "sitemap")
    assert f"{ORIGIN}/sitemaps/pages.xml" in sitemaps
    assert f"{ORIGIN}/sitemaps/news.xml" in sitemaps
    pages = [url for url in sitemaps if "/sitemaps/articles-" in url]
    # 2 ids per page; a page holding only hidden articles is not listed. Ids need not
    # start at 1 (PostgreSQL's sequences run on across tests).
    numbers = sorted({(article.pk - 1) // 2 + 1 for article in published})
    hidden_only = {(article.pk - 1) // 2 + 1 for article in hidden} - set(numbers)
    assert pages == [f"{ORIGIN}/sitemaps/articles-{n}.xml" for n in numbers]
    assert hidden_only and not any(f"articles-{n}.xml" in " ".join(pages) for n in hidden_only)
    listed = []
    for page in pages:
        with django_assert_max_num_queries(1):
            root = xml_of(client, page, schemas["urlset"])
        entries = list(root.iter(f"{SITEMAP_NS}url"))
        assert 1 <= len(entries) <= 2
        for entry in entries:
            listed.append(entry.findtext(f"{SITEMAP_NS}loc"))
            article = Article.objects.get(pk=int(listed[-1].rstrip("/").rsplit("/", 1)[1]))
            lastmod = dt.datetime.fromisoformat(entry.findtext(f"{SITEMAP_NS}lastmod"))
            assert lastmod.utcoffset() is not None
            assert abs(lastmod - article.updated_at) < dt.timedelta(seconds=1)
    assert listed == [f"{ORIGIN}/a/{a.pk}/" for a in published]
    for article in hidden:
        assert f"/a/{article.pk}/" not in " ".join(listed)
    assert client.get("/sitemaps/articles-4.xml").status_code == 404
    assert client.get("/sitemaps/articles-0.xml").status_code == 404


def test_pages_sitemap_lists_home_channels_and_authors_with_articles(client, schemas):
    # Services keep the denormalised count; factories set it by hand.
    writer = CreatorFactory(article_count=1)
    ArticleFactory(author=writer)
    silent = CreatorFactory()
    urls = locs(xml_of(client, "/sitemaps/pages.xml", schemas["urlset"]))
    assert urls[0] == f"{ORIGIN}/"
    assert f"{ORIGIN}/c/sports/" in urls
    assert f"{ORIGIN}/u/{writer.pk}/" in urls
    assert f"{ORIGIN}/u/{silent.pk}/" not in urls
    assert len(urls) == len(set(urls))


def test_news_sitemap_lists_only_the_last_48_hours(client, schemas):
    now = timezone.now()
    fresh = ArticleFactory(title="寒潮 & <预警> 发布", published_at=now - dt.timedelta(hours=47))
    newest = ArticleFactory(published_at=now - dt.timedelta(minutes=5))
    old = ArticleFactory(published_at=now - dt.timedelta(hours=49))
    removed = ArticleFactory(status=Article.Status.REMOVED, published_at=now)
    scheduled = ArticleFactory(status=Article.Status.SCHEDULED, published_at=None)
    root = xml_of(client, "/sitemaps/news.xml", schemas["news"])
    urls = locs(root)
    assert urls == [f"{ORIGIN}/a/{newest.pk}/", f"{ORIGIN}/a/{fresh.pk}/"]
    for article in (old, removed, scheduled):
        assert f"{ORIGIN}/a/{article.pk}/" not in urls
    news = root.findall(f"{SITEMAP_NS}url/{NEWS_NS}news")
    assert news[1].findtext(f"{NEWS_NS}title") == "寒潮 & <预警> 发布"
    publication = news[1].find(f"{NEWS_NS}publication")
    assert publication.findtext(f"{NEWS_NS}name") == settings.SITE_NAME
    assert publication.findtext(f"{NEWS_NS}language") == "zh-cn"
    date = dt.datetime.fromisoformat(news[1].findtext(f"{NEWS_NS}publication_date"))
    assert abs(date - fresh.published_at) < dt.timedelta(seconds=1)


def test_news_sitemap_is_left_out_of_the_index_when_nothing_is_recent(client, schemas):
    ArticleFactory(published_at=timezone.now() - dt.timedelta(days=3))
    sitemaps = locs(xml_of(client, "/sitemap.xml", schemas["index"]), "sitemap")
    assert f"{ORIGIN}/sitemaps/news.xml" not in sitemaps
    assert f"{ORIGIN}/sitemaps/articles-1.xml" in sitemaps


# robots.txt


def test_robots_txt_opens_the_site_and_closes_private_and_action_urls(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Allow: /" in lines
    for path in (
        "/studio/",
        "/review/",
        "/admin/",
        "/accounts/",
        "/inbox/",
        "/feed/",
        "/search/",
        "/e/",
        "/a/*/like/",
        "/a/*/share/",
        "/a/*/report/",
    ):
        assert f"Disallow: {path}" in lines
    assert "Disallow: /a/" not in lines and "Disallow: /c/" not in lines
    assert f"Sitemap: {ORIGIN}/sitemap.xml" in lines


# Canonical URLs, OpenGraph, Twitter


def test_list_pages_have_canonical_urls_without_query_strings_but_page_numbers(client):
    ArticleFactory.create_batch(25, channel=Channel.objects.get(slug="sports"))
    author = CreatorFactory()
    ArticleFactory.create_batch(21, author=author)
    cases = [
        ("/?tab=news&utm_source=x", f"{ORIGIN}/"),
        ("/c/sports/?utm_source=wechat", f"{ORIGIN}/c/sports/"),
        ("/c/sports/?page=1", f"{ORIGIN}/c/sports/"),
        ("/c/sports/?page=2&from=timeline", f"{ORIGIN}/c/sports/?page=2"),
        (f"/u/{author.pk}/?page=2", f"{ORIGIN}/u/{author.pk}/?page=2"),
        ("/latest/?page=abc", f"{ORIGIN}/latest/"),
        ("/latest/?page=2", f"{ORIGIN}/latest/?page=2"),
    ]
    for url, canonical in cases:
        head = parse_head(client.get(url))
        assert head.link("canonical") == [canonical], url
        assert head.one("og:url") == canonical


def test_home_channel_and_author_pages_have_website_cards_and_feed_links(client):
    author = CreatorFactory(
        display_name="财经夜读", bio="每晚一篇财经评论", avatar="avatars/2026/11/caijing.png"
    )
    ArticleFactory(author=author)
    home = parse_head(client.get("/"))
    assert home.one("og:type") == "website"
    assert home.one("og:site_name") == settings.SITE_NAME
    assert home.one("og:locale") == "zh_CN"
    assert home.one("og:image") == f"{ORIGIN}/share.png"
    assert home.link("alternate", "application/atom+xml") == ["/feed.xml"]
    assert home.link("alternate", "application/rss+xml") == ["/rss.xml"]

    channel = parse_head(client.get("/c/sports/"))
    assert channel.one("og:title").startswith("体育")
    assert "/c/sports/feed.xml" in channel.link("alternate", "application/atom+xml")
    assert "/c/sports/rss.xml" in channel.link("alternate", "application/rss+xml")

    page = parse_head(client.get(author.get_absolute_url()))
    assert page.one("og:title").startswith("财经夜读")
    assert page.one("og:description") == "每晚一篇财经评论"
    assert page.one("og:image") == f"{ORIGIN}/media/avatars/2026/11/caijing.png"
    assert f"/u/{author.pk}/feed/" in page.link("alternate", "application/atom+xml")
    assert f"/u/{author.pk}/rss.xml" in page.link("alternate", "application/rss+xml")
    # Every advertised feed answers.
    for head in (home, channel, page):
        for href in head.link("alternate"):
            assert client.get(href).status_code == 200, href


def test_article_without_cover_shares_its_generated_card(client):
    article = ArticleFactory(title="长江流域迎来今冬首场寒潮", summary="多地气温骤降。")
    head = parse_head(client.get(article.get_absolute_url()))
    url = f"{ORIGIN}/a/{article.pk}/"
    assert head.link("canonical") == [url]
    assert head.one("og:type") == "article"
    assert head.one("og:url") == url
    assert head.one("og:title") == "长江流域迎来今冬首场寒潮"
    assert head.one("og:description") == "多地气温骤降。"
    assert head.one("og:site_name") == settings.SITE_NAME
    assert head.one("og:locale") == "zh_CN"
    image = head.one("og:image")
    assert image.startswith(f"{ORIGIN}/a/{article.pk}/share.png?v=")
    assert client.get(image.removeprefix(ORIGIN)).status_code == 200
    assert head.one("article:section") == "科技"
    assert head.one("article:author") == f"{ORIGIN}{article.author.get_absolute_url()}"
    published = dt.datetime.fromisoformat(head.one("article:published_time"))
    assert published.utcoffset() == dt.timedelta(hours=8)
    assert abs(published - article.published_at) < dt.timedelta(seconds=1)
    assert dt.datetime.fromisoformat(head.one("article:modified_time")) >= published
    assert head.one("twitter:card") == "summary"
    assert head.one("twitter:title") == article.title
    assert head.one("twitter:image") == image


def test_article_with_cover_shares_the_cover_as_a_large_image(client):
    article = ArticleFactory(cover="covers/2026/11/hanchao.jpg", cover_alt="武汉街头")
    head = parse_head(client.get(article.get_absolute_url()))
    assert head.one("og:image") == f"{ORIGIN}/media/covers/2026/11/hanchao.jpg"
    assert head.one("og:image:alt") == "武汉街头"
    assert head.one("twitter:card") == "summary_large_image"
    assert head.one("twitter:image") == f"{ORIGIN}/media/covers/2026/11/hanchao.jpg"


def test_article_description_falls_back_to_the_body(client):
    article = ArticleFactory(summary="")
    description = parse_head(client.get(article.get_absolute_url())).one("og:description")
    assert description.startswith("第一段导语，讲清楚发生了什么。")
    assert "<" not in description


# JSON-LD


@pytest.fixture(scope="module")
def news_article_schema():
    schema = json.loads((SCHEMAS / "news_article.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_article_page_json_ld_is_a_valid_news_article(client, news_article_schema):
    author = CreatorFactory(display_name="新华视点", account_type="media")
    article = ArticleFactory(author=author, tags=["寒潮", "气象"])
    ReferenceFactory(article=article, source="新华社", url="https://example.com/news/1")
    ReferenceFactory(article=article, source="气象台", title="", url="")
    head = parse_head(client.get(article.get_absolute_url()))
    assert len(head.json_ld) == 1
    data = json.loads(head.json_ld[0])
    news_article_schema.validate(data)
    url = f"{ORIGIN}/a/{article.pk}/"
    assert data["mainEntityOfPage"]["@id"] == url
    assert data["headline"] == article.title
    assert data["image"] == [head.one("og:image")]
    assert data["author"] == [
        {"@type": "Organization", "name": "新华视点", "url": f"{ORIGIN}/u/{author.pk}/"}
    ]
    assert data["publisher"]["name"] == settings.SITE_NAME
    assert data["articleSection"] == "科技"
    assert data["keywords"] == ["寒潮", "气象"]
    assert [work["name"] for work in data["citation"]] == ["一篇参考报道", "气象台"]
    assert data["citation"][0]["url"] == "https://example.com/news/1"
    logo = client.get(data["publisher"]["logo"]["url"].removeprefix(ORIGIN))
    assert Image.open(io.BytesIO(logo.content)).size == (512, 512)


def test_a_personal_creator_is_a_person(client, news_article_schema):
    article = ArticleFactory()
    data = json.loads(parse_head(client.get(article.get_absolute_url())).json_ld[0])
    assert data["author"][0]["@type"] == "Person"


def test_json_ld_cannot_close_its_script_element(client, news_article_schema):
    title = '</script><script>alert("x")</script>'
    article = ArticleFactory(title=title, summary="a <!-- b & c")
    html = client.get(article.get_absolute_url()).content.decode()
    start = html.index('<script type="application/ld+json">')
    body = html[start : html.index("</script>", start)]
    assert "<" not in body.removeprefix('<script type="application/ld+json">')
    head = parse_head(client.get(article.get_absolute_url()))
    data = json.loads(head.json_ld[0])
    news_article_schema.validate(data)
    assert data["headline"] == title
    assert data["description"] == "a <!-- b & c"


def test_long_headlines_are_cut_to_110_characters_and_text_stays_readable():
    article = article_get(ArticleFactory().pk)
    article.title = "长" * 120  # longer than the model allows, as a future limit might be
    request = RequestFactory().get("/")
    data = structured.article_json_ld(request, article)
    assert len(data["headline"]) == 110
    text = structured.json_ld_text({**data, "note": "\u2028"})
    assert "\u2028" not in text
    assert "长" * 100 in text  # Chinese kept as is, not \\u-escaped


def test_head_tags_add_no_query_to_the_article_page(django_assert_num_queries):
    article = ArticleFactory(tags=["寒潮"])
    references = [ReferenceFactory(article=article)]
    loaded = article_get(article.pk)
    request = RequestFactory().get(loaded.get_absolute_url())
    template = Template(
        "{% load discovery %}{% article_social_tags article %}"
        "{% article_json_ld article references %}"
    )
    with django_assert_num_queries(0):
        html = template.render(
            Context({"article": loaded, "references": references, "request": request})
        )
    assert 'property="og:image"' in html and "application/ld+json" in html


# Share cards


def png_of(response) -> Image.Image:
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    cache_control = response["Cache-Control"]
    assert "public" in cache_control and "max-age=86400" in cache_control
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG"
    image.verify()
    return image


def test_article_share_card_is_a_1200_by_630_png_and_cached(client, django_assert_num_queries):
    article = ArticleFactory(title="长江流域迎来今冬首场寒潮，武汉南京气温一天下降超过十摄氏度")
    url = f"/a/{article.pk}/share.png"
    first = client.get(url)
    assert png_of(first).size == (1200, 630)
    with django_assert_num_queries(1):  # the article's status and change time only
        again = client.get(url)
    assert again.content == first.content


def test_editing_the_title_draws_a_new_card(client):
    # Latin titles are drawn with or without a CJK font on the machine.
    article = ArticleFactory(title="Cold wave reaches Wuhan")
    url = f"/a/{article.pk}/share.png"
    before = client.get(url).content
    article.title = "Cold wave reaches Nanjing"
    article.save()
    after = client.get(url).content
    assert png_of(client.get(url)).size == (1200, 630)
    assert after != before
    assert client.get("/a/999999/share.png").status_code == 404
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    assert client.get(f"/a/{draft.pk}/share.png").status_code == 404


def test_site_share_card_and_logo(client):
    assert png_of(client.get("/share.png")).size == (1200, 630)
    assert png_of(client.get("/logo.png")).size == (512, 512)


def test_without_a_cjk_font_chinese_text_gives_way_to_its_fallback(monkeypatch):
    text = cards.Text("体育", fallback="SPORTS")
    assert text.pick(cjk=True) == "体育"
    assert text.pick(cjk=False) == "SPORTS"
    assert cards.Text("Yaowen News").pick(cjk=False) == "Yaowen News"
    monkeypatch.setattr(cards, "cjk_font", lambda: None)
    data = cards.share_card(
        title=cards.Text("标题"), kicker=text, site=cards.Text("要闻", fallback="example.com")
    )
    assert Image.open(io.BytesIO(data)).size == (1200, 630)


def test_titles_wrap_within_the_card_and_end_with_an_ellipsis_when_cut():
    font = ImageFont.load_default(size=64)
    lines = cards.wrap("Breaking news " * 20, font, 1040, 4)
    assert len(lines) == 4
    assert lines[-1].endswith("…")
    assert all(font.getlength(line) <= 1040 for line in lines)
    assert cards.wrap("Short title", font, 1040, 4) == ["Short title"]
