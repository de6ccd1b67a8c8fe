"""Languages: Simplified Chinese by default, English by the footer switch, and the catalogue.

Choice tested here: the language cookie set by /lang/<code>/ wins, then the browser's
Accept-Language (Django's LocaleMiddleware order), then Chinese. A reader without a
preference, or with a Chinese browser, gets Chinese; an English-only browser gets English
until the reader picks Chinese in the footer.
"""

import ast
import os
import re
import shutil
from contextlib import chdir
from gettext import GNUTranslations
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from yaowen.core.tests.factories import CreatorFactory

MESSAGES = Path(settings.BASE_DIR) / "yaowen" / "locale" / "en" / "LC_MESSAGES"
# What `makemessages` leaves out, as bin/messages runs it.
NOT_SCANNED = [".venv", "node_modules", "bench", "*/tests/*"]
ONE_YEAR = 365 * 24 * 3600
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# %(name)s, %d, {name}: what a translation must carry over unchanged.
PLACEHOLDER = re.compile(r"%%|%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[sdif]|\{\w*\}")
TAG = re.compile(r"</?([a-z]+)")


class _SwitchParser(HTMLParser):
    """Collects the links of the footer's language switch."""

    def __init__(self):
        super().__init__()
        self.navs: list[dict] = []
        self.links: list[dict] = []
        self._in_switch = False
        self._link: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "nav" and "language-switch" in (attrs.get("class") or "").split():
            self.navs.append(attrs)
            self._in_switch = True
        elif tag == "a" and self._in_switch:
            self._link = {**attrs, "text": ""}

    def handle_data(self, data):
        if self._link is not None:
            self._link["text"] += data

    def handle_endtag(self, tag):
        if tag == "a" and self._link is not None:
            self._link["text"] = self._link["text"].strip()
            self.links.append(self._link)
            self._link = None
        elif tag == "nav":
            self._in_switch = False


def switch_of(html: str) -> _SwitchParser:
    parser = _SwitchParser()
    parser.feed(html)
    return parser


def html_lang(html: str) -> str:
    return re.search(r'<html lang="([^"]+)"', html).group(1)


def choose(client, code: str, page: str) -> None:
    """Follow the footer link for `code` on `page`, as a reader would."""
    link = next(a for a in switch_of(client.get(page).content.decode()).links if a["lang"] == code)
    response = client.get(link["href"])
    assert response.status_code == 302
    assert response["Location"] == page


# Pages ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_chinese_without_a_preference_and_for_chinese_browsers(client):
    for headers in ({}, {"HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9,en;q=0.5"}):
        html = client.get(reverse("web:home"), **headers).content.decode()
        assert html_lang(html) == "zh-hans"
        assert "跳到主要内容" in html and "Skip to main content" not in html


@pytest.mark.django_db
def test_english_browser_gets_english_until_the_reader_picks_chinese(client):
    english = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}
    html = client.get(reverse("web:home"), **english).content.decode()
    assert html_lang(html) == "en"
    assert "Skip to main content" in html

    client.get(reverse("language", args=["zh-hans"]), {"next": "/"})
    html = client.get(reverse("web:home"), **english).content.decode()
    assert html_lang(html) == "zh-hans"
    assert "跳到主要内容" in html


@pytest.mark.django_db
def test_footer_switch_names_each_language_in_itself_and_marks_the_current_one(client):
    page = reverse("web:latest")
    switch = switch_of(client.get(page).content.decode())
    assert len(switch.navs) == 1 and switch.navs[0]["aria-label"] == "语言"
    links = {a["lang"]: a for a in switch.links}
    assert set(links) == {"zh-hans", "en"}
    assert links["zh-hans"]["text"] == "简体中文" and links["en"]["text"] == "English"
    for code, link in links.items():
        assert link["hreflang"] == code
        assert unquote(link["href"]) == f"/lang/{code}/?next=/latest/"
    assert links["zh-hans"].get("aria-current") == "true"
    assert "aria-current" not in links["en"]

    choose(client, "en", page)
    switch = switch_of(client.get(page).content.decode())
    assert switch.navs[0]["aria-label"] == "Language"
    current = [a["lang"] for a in switch.links if a.get("aria-current") == "true"]
    assert current == ["en"]
    # The language names stay in their own language whichever language the page is in.
    assert [a["text"] for a in switch.links] == ["简体中文", "English"]


@pytest.mark.django_db
def test_switching_to_english_translates_the_reader_pages_and_back(client, publish):
    author = CreatorFactory(display_name="江城观察")
    article = publish(author=author, title="长江流域迎来今冬首场寒潮", channel="society")

    choose(client, "en", article.get_absolute_url())
    cookie = client.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en"
    assert int(cookie["max-age"]) == ONE_YEAR
    assert cookie["samesite"] == "Lax"

    expected = {
        reverse("web:home"): ["Home", "Latest", "Care mode (larger text)", "Yaowen creators"],
        reverse("web:channel", args=["society"]): ['aria-label="Breadcrumb"', "Trending in "],
        article.get_absolute_url(): [
            "Comments (0)",
            "0 comments",
            "Share on",
            "Copy link",
            ">Sign in</a> to join the comments",
            "Like 0",
            "Sign in to report",
        ],
        author.get_absolute_url(): ["All articles (1)", "Subscribe (Atom)", "Followers"],
        reverse("search:results") + "?q=寒潮": ["1 result found", "Best match", "Any time"],
        reverse("search:results") + "?q=没有这种东西的词": ["No articles found for “"],
        reverse("accounts:login"): ["Forgot your password?", "Create an account"],
        reverse("web:join"): ["What you need to apply", "Apply now", "Join as a creator"],
    }
    for url, phrases in expected.items():
        html = client.get(url).content.decode()
        assert html_lang(html) == "en", url
        for phrase in phrases:
            assert phrase in html, (url, phrase)
        for chinese in ("首页", "跳到主要内容", "申请入驻", "搜索文章"):
            assert chinese not in html, (url, chinese)

    choose(client, "zh-hans", reverse("web:join"))
    html = client.get(article.get_absolute_url()).content.decode()
    assert html_lang(html) == "zh-hans"
    assert "跟帖（0）" in html and "Comments (0)" not in html


@pytest.mark.django_db
def test_cached_anonymous_pages_are_kept_per_language(client, publish):
    article = publish()
    url = article.get_absolute_url()
    assert "跟帖（0）" in client.get(url).content.decode()
    choose(client, "en", url)
    assert "Comments (0)" in client.get(url).content.decode()
    choose(client, "zh-hans", url)
    assert "跟帖（0）" in client.get(url).content.decode()


@pytest.mark.django_db
def test_python_validation_messages_are_translated(client):
    choose(client, "en", reverse("web:home"))
    response = client.get(reverse("search:results"), {"q": "长" * 61})
    assert response.status_code == 400
    assert "Search terms can be at most 60 characters." in response.content.decode()


# The switch itself ----------------------------------------------------------------------


@pytest.mark.django_db
def test_unknown_language_is_a_plain_400_and_sets_nothing(client):
    for code in ("fr", "EN", "zh"):
        response = client.get(reverse("language", args=[code]), {"next": "/"})
        assert response.status_code == 400
        assert response["Content-Type"].startswith("text/plain")
        assert "zh-hans, en" in response.content.decode()
        assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


@pytest.mark.django_db
def test_unsafe_next_goes_home_and_a_local_one_is_kept(client):
    url = reverse("language", args=["en"])
    for unsafe in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)"):
        response = client.get(url, {"next": unsafe})
        assert response.status_code == 302
        assert response["Location"] == "/"
    response = client.get(url, {"next": "/search/?q=寒潮&page=2"})
    assert unquote(response["Location"]) == "/search/?q=寒潮&page=2"
    assert client.get(url)["Location"] == "/"


@pytest.mark.django_db
def test_switch_is_a_get_link_only(client):
    assert client.post(reverse("language", args=["en"])).status_code == 405


# The catalogue --------------------------------------------------------------------------


def _unquote(line: str) -> str:
    return ast.literal_eval(line)


def po_entries(path: Path) -> list[dict]:
    """The entries of a .po file: msgid, msgid_plural, msgstr list, flags, comments."""
    entries, entry, field = [], None, None
    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            if entry is not None and "msgid" in entry:
                entries.append(entry)
            entry, field = None, None
            continue
        entry = entry if entry is not None else {"flags": [], "comments": [], "msgstr": {}}
        if line.startswith("#~"):
            entry["obsolete"] = True
        elif line.startswith("#,"):
            entry["flags"] += [flag.strip() for flag in line[2:].split(",")]
        elif line.startswith("# "):
            entry["comments"].append(line[2:])
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            if isinstance(field, tuple):
                entry["msgstr"][field[1]] += _unquote(line)
            else:
                entry[field] += _unquote(line)
        else:
            keyword, value = line.split(" ", 1)
            match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            if match:
                field = ("msgstr", int(match.group(1)))
                entry["msgstr"][field[1]] = _unquote(value)
            elif keyword == "msgstr":
                field = ("msgstr", 0)
                entry["msgstr"][0] = _unquote(value)
            else:
                field = keyword
                entry[field] = _unquote(value)
    return [e for e in entries if not e.get("obsolete")]


def messages() -> tuple[dict, list[dict]]:
    entries = po_entries(MESSAGES / "django.po")
    return entries[0], entries[1:]


def test_catalogue_header_declares_english_plurals_and_is_not_fuzzy():
    header, entries = messages()
    assert header["msgid"] == "" and "fuzzy" not in header["flags"]
    assert "Language: en\n" in header["msgstr"][0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);\n" in header["msgstr"][0]
    assert len(entries) > 400


def test_every_entry_is_translated_into_english_with_the_same_placeholders():
    _header, entries = messages()
    for entry in entries:
        msgid = entry["msgid"]
        assert "fuzzy" not in entry["flags"], msgid
        forms = [entry["msgstr"][i] for i in sorted(entry["msgstr"])]
        assert len(forms) == (2 if "msgid_plural" in entry else 1), msgid
        for i, msgstr in enumerate(forms):
            source = entry["msgid_plural"] if i and "msgid_plural" in entry else msgid
            assert msgstr.strip(), msgid
            assert sorted(PLACEHOLDER.findall(msgstr)) == sorted(PLACEHOLDER.findall(source)), msgid
            assert TAG.findall(msgstr) == TAG.findall(source), msgid
            assert msgstr.count("\n") == source.count("\n"), msgid
            kept = any("Deliberately kept in Chinese" in c for c in entry["comments"])
            if kept:
                assert msgstr == source
            else:
                assert not HAN.search(msgstr), (msgid, msgstr)


def test_plural_entries_distinguish_one_from_many():
    _header, entries = messages()
    plurals = [e for e in entries if "msgid_plural" in e]
    assert plurals
    for entry in plurals:
        assert entry["msgstr"][0] != entry["msgstr"][1], entry["msgid"]


def test_compiled_catalogue_matches_the_po():
    _header, entries = messages()
    with (MESSAGES / "django.mo").open("rb") as handle:
        compiled = GNUTranslations(handle)._catalog
    expected = {}
    for entry in entries:
        # A message with a context (pgettext) is compiled as "context\x04msgid".
        key = f"{entry['msgctxt']}\x04{entry['msgid']}" if "msgctxt" in entry else entry["msgid"]
        if "msgid_plural" in entry:
            for i, msgstr in entry["msgstr"].items():
                expected[(key, i)] = msgstr
        else:
            expected[key] = entry["msgstr"][0]
    compiled.pop("", None)
    assert compiled == expected


def test_catalogue_holds_every_string_the_code_wraps(tmp_path, settings):
    """A string wrapped since the last `makemessages` would show in Chinese on English pages."""
    if shutil.which("xgettext") is None:
        message = "GNU gettext is not installed (apt-get install gettext)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    fresh = tmp_path / "locale"
    (fresh / "en" / "LC_MESSAGES").mkdir(parents=True)
    settings.LOCALE_PATHS = [fresh]
    with chdir(settings.BASE_DIR):
        call_command(
            "makemessages",
            locale=["en"],
            ignore_patterns=[*NOT_SCANNED, "yaowen/locale"],
            verbosity=0,
        )
    keys = [
        [(e["msgid"], e.get("msgid_plural")) for e in po_entries(folder / "django.po")[1:]]
        for folder in (fresh / "en" / "LC_MESSAGES", MESSAGES)
    ]
    assert set(keys[0]) - set(keys[1]) == set(), "run bin/messages and translate the new entries"
    assert set(keys[1]) - set(keys[0]) == set(), "run bin/messages: entries no longer in the code"
