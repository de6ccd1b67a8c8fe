"""Accessibility in a real browser, in the normal layout and in 关怀版: axe-core on every kind
of page, keyboard-only use, care-mode type and contrast, 朗读 (read aloud), no flash."""

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from yaowen.core.care import CARE_COOKIE, TEXT_SIZE_COOKIE, TEXT_SIZES
from yaowen.demo.build import DEMO_PASSWORD, DEMO_READER, DemoSize, demo_build
from yaowen.newsroom.models import Article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[3] / "node_modules" / "axe-core" / "axe.min.js"
LARGEST = len(TEXT_SIZES) - 1
VIEWPORT = {"width": 1280, "height": 900}


@dataclass(frozen=True)
class Site:
    base: str
    article: Article
    creator_username: str


@pytest.fixture
def site(live_server, settings, tmp_path) -> Site:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    demo_build(size=DemoSize(creators=4, articles=40, readers=4))
    article = (
        Article.objects.filter(comment_count__gt=0, status=Article.Status.PUBLISHED)
        .select_related("author__user", "channel")
        .order_by("-hot_score")
        .first()
    )
    return Site(live_server.url, article, article.author.user.username)


@pytest.fixture(scope="session")
def axe_script() -> Path:
    if not AXE.exists():
        message = f"axe-core is not installed at {AXE} (run npm ci in the project folder)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return AXE


# Which pages: (name, path, who is logged in). Every kind of page a reader, an applicant
# or a creator sees.
def reader_pages(site: Site) -> list[tuple[str, str, str | None]]:
    article = site.article
    return [
        ("home", "/", None),
        ("channel", f"/c/{article.channel.slug}/", None),
        ("article", f"/a/{article.pk}/", None),
        ("article (reader)", f"/a/{article.pk}/", DEMO_READER),
        ("author", f"/u/{article.author_id}/", None),
        ("search", f"/search/?q={article.title[:2]}", None),
        ("login", "/accounts/login/", None),
        ("申请入驻", "/join/", None),
        ("申请入驻 form", "/accounts/apply/", DEMO_READER),
        ("studio writing", "/studio/write/", site.creator_username),
    ]


def open_context(
    browser, site: Site, *, care: bool, size: int = LARGEST, viewport=None, bypass_csp=False
):
    """A browser context (one person) with care mode on or off, set as the switch would.

    `bypass_csp` only for tests that inject their own tools (axe-core) into the page: the
    site's Content-Security-Policy refuses inline scripts, as it should.
    """
    context = browser.new_context(
        locale="zh-CN", viewport=viewport or VIEWPORT, bypass_csp=bypass_csp
    )
    if care:
        host = site.base.split("//", 1)[1].split(":")[0]
        context.add_cookies(
            [
                {"name": CARE_COOKIE, "value": "1", "domain": host, "path": "/"},
                {"name": TEXT_SIZE_COOKIE, "value": str(size), "domain": host, "path": "/"},
            ]
        )
    return context


def log_in(page, site: Site, username: str) -> None:
    page.goto(f"{site.base}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def pages_as(browser, site: Site, *, care: bool, viewport=None, bypass_csp=False):
    """Yield (name, page) for every reader page, each opened by the right person."""
    contexts = {}
    try:
        for name, path, who in reader_pages(site):
            if who not in contexts:
                context = open_context(
                    browser, site, care=care, viewport=viewport, bypass_csp=bypass_csp
                )
                context.set_default_timeout(15_000)
                page = context.new_page()
                if who:
                    log_in(page, site, who)
                contexts[who] = (context, page)
            page = contexts[who][1]
            response = page.goto(site.base + path)
            assert response.status == 200, f"{name} ({path}) answered {response.status}"
            assert urlsplit(page.url).path == urlsplit(path).path, f"{name} went to {page.url}"
            yield name, page
    finally:
        for context, _page in contexts.values():
            context.close()


# Structure is checked whatever impact axe gives it: landmarks, headings in order, the skip
# link. WCAG 2.2's 24 px target size runs everywhere, AAA 7:1 contrast in care mode.
STRUCTURE_RULES = {
    "heading-order",
    "landmark-banner-is-top-level",
    "landmark-contentinfo-is-top-level",
    "landmark-main-is-top-level",
    "landmark-no-duplicate-banner",
    "landmark-no-duplicate-contentinfo",
    "landmark-no-duplicate-main",
    "landmark-one-main",
    "landmark-unique",
    "page-has-heading-one",
    "region",
    "skip-link",
}


def axe_violations(page, axe_script: Path, *, care: bool) -> list[str]:
    page.add_script_tag(path=str(axe_script))
    options = {
        "resultTypes": ["violations"],
        "rules": {"target-size": {"enabled": True}, "color-contrast-enhanced": {"enabled": care}},
    }
    results = page.evaluate("(options) => axe.run(document, options)", options)
    found = []
    for violation in results["violations"]:
        if violation["impact"] not in ("serious", "critical") and (
            violation["id"] not in STRUCTURE_RULES | {"color-contrast-enhanced"}
        ):
            continue
        targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:8])
        found.append(f"{violation['id']} ({violation['impact']}): {violation['help']} -> {targets}")
    return found


@pytest.mark.parametrize("care", [False, True], ids=["normal", "care-largest"])
def test_axe_finds_no_serious_or_critical_violation(browser, site, axe_script, care):
    report = []
    for name, page in pages_as(browser, site, care=care, bypass_csp=True):  # axe is injected
        expect(page.locator("html")).to_have_class(
            re.compile(rf"\bcare text-{LARGEST}\b") if care else re.compile(r"^(?!.*care)")
        )
        report += [f"[{name}] {line}" for line in axe_violations(page, axe_script, care=care)]
    assert not report, "axe-core violations:\n" + "\n".join(report)


# Keyboard only -------------------------------------------------------------------------


def tab_to(page, condition: str, *, limit: int = 250, backwards: bool = False) -> None:
    """Press Tab until `condition` (JS, `el` = the focused element) holds."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        if page.evaluate(
            f"(() => {{ const el = document.activeElement; return !!({condition}); }})()"
        ):
            return
    raise AssertionError(f"{condition} was never focused after {limit} presses of Tab")


def test_keyboard_only_search_care_mode_text_size_and_a_comment(browser, site):
    context = open_context(browser, site, care=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(f"{site.base}/")
        # The skip link comes first and moves focus to the main content.
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent.trim()") == "跳到主要内容"
        assert page.evaluate("getComputedStyle(document.activeElement).top") != "-200px"
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"

        # Search from the header box.
        page.goto(f"{site.base}/")
        tab_to(page, "el.id === 'site-search-q'")
        word = site.article.title[:2]
        page.keyboard.type(word)
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/search/\?q="))
        expect(page.get_by_role("heading", level=1)).to_have_text("搜索")
        expect(page.locator(".search-results li").first).to_be_visible()

        # Care mode on, then the largest text size.
        tab_to(page, "el.textContent.trim() === '进入关怀版'")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        expect(page.locator("html")).to_have_class("care")
        assert "/search/" in page.url  # back where the reader was
        tab_to(page, "el.closest('.text-size') && el.textContent.includes('超大')")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        expect(page.locator("html")).to_have_class(f"care text-{LARGEST}")
        expect(page.get_by_role("link", name=re.compile("^超大")).first).to_have_attribute(
            "aria-current", "true"
        )

        # Log in and post a comment, keyboard only.
        page.goto(f"{site.base}/accounts/login/?next=/a/{site.article.pk}/")
        tab_to(page, "el.id === 'id_username'")
        page.keyboard.type(DEMO_READER)
        page.keyboard.press("Tab")
        page.keyboard.type(DEMO_PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_url(lambda url: urlsplit(url).path == f"/a/{site.article.pk}/")
        tab_to(page, "el.id === 'comment-body'", limit=400)
        page.keyboard.type("用键盘也能发跟帖，字大看得清。")
        tab_to(page, "el.tagName === 'BUTTON' && el.textContent.trim() === '发表跟帖'", limit=5)
        page.keyboard.press("Enter")
        expect(
            page.locator("#comments").get_by_text("用键盘也能发跟帖，字大看得清。")
        ).to_be_visible()
        page.reload()
        expect(
            page.locator("#comments").get_by_text("用键盘也能发跟帖，字大看得清。")
        ).to_be_visible()
    finally:
        context.close()


# Care mode type, spacing and contrast ----------------------------------------------------

_COLOURS = """(selector) => {
  const opaque = (value) => {
    const m = value.match(/[\\d.]+/g);
    return m && (m.length < 4 || +m[3] > 0);
  };
  const background = (el) => {
    for (let node = el; node; node = node.parentElement) {
      const bg = getComputedStyle(node).backgroundColor;
      if (opaque(bg)) return bg;
    }
    return 'rgb(255, 255, 255)';
  };
  return [...document.querySelectorAll(selector)]
    .filter((el) => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden')
    .slice(0, 60)
    .map((el) => ({
      what: el.outerHTML.slice(0, 80),
      color: getComputedStyle(el).color,
      background: background(el),
    }));
}"""


def rgb(value: str) -> tuple[float, float, float]:
    parts = [float(x) for x in re.findall(r"[\d.]+", value)[:3]]
    return parts[0], parts[1], parts[2]


def luminance(colour: str) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = rgb(colour)
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def body_metrics(page) -> dict:
    return page.evaluate(
        """() => {
      const ps = [...document.querySelectorAll('.article-body > p')];
      const [a, b] = ps;
      const style = getComputedStyle(a);
      return {
        fontSize: parseFloat(style.fontSize),
        lineHeight: parseFloat(style.lineHeight),
        gap: b.getBoundingClientRect().top - a.getBoundingClientRect().bottom,
      };
    }"""
    )


def test_care_mode_type_spacing_and_contrast_at_every_size(browser, site):
    url = f"{site.base}/a/{site.article.pk}/"
    normal_context = open_context(browser, site, care=False)
    normal_page = normal_context.new_page()
    normal_page.goto(url)
    normal = body_metrics(normal_page)
    normal_context.close()

    sizes = []
    for step, (_label, percent) in enumerate(TEXT_SIZES):
        context = open_context(browser, site, care=True, size=step)
        page = context.new_page()
        try:
            page.goto(url)
            metrics = body_metrics(page)
            sizes.append(metrics["fontSize"])
            assert metrics["fontSize"] == pytest.approx(normal["fontSize"] * percent / 100, abs=0.5)
            assert metrics["lineHeight"] >= 1.3 * metrics["fontSize"]
            assert metrics["gap"] >= 1.3 * metrics["lineHeight"] - 0.5
            if step != LARGEST:
                continue
            checks = {
                "body text": ".article-body p",
                "links": "a:not(.button):not(.skip-link)",
                "muted text": ".meta time, .byline, .comment-meta, .disclaimer p, .share-label",
                "buttons": ".button, button:not([hidden]), .site-search button",
                "size control": ".text-size a",
            }
            failures = []
            for what, selector in checks.items():
                found = page.evaluate(_COLOURS, selector)
                assert found, f"no {what} on the page"
                for item in found:
                    ratio = contrast(item["color"], item["background"])
                    if ratio < 7:
                        failures.append(f"{what}: {ratio:.2f} {item}")
            placeholder = page.evaluate(
                "getComputedStyle(document.querySelector('#site-search-q'), '::placeholder').color"
            )
            if contrast(placeholder, "rgb(255, 255, 255)") < 7:
                failures.append(f"placeholder: {placeholder}")
            page.locator("#site-search-q").focus()
            page.keyboard.press("Shift+Tab")
            page.keyboard.press("Tab")  # a keyboard focus, so :focus-visible applies
            outline = page.evaluate(
                """() => {
                  const s = getComputedStyle(document.activeElement);
                  return {
                    width: parseFloat(s.outlineWidth), color: s.outlineColor, style: s.outlineStyle,
                  };
                }"""
            )
            assert outline["style"] != "none" and outline["width"] >= 2
            if contrast(outline["color"], "rgb(255, 255, 255)") < 7:
                failures.append(f"focus outline: {outline}")
            assert not failures, "\n".join(failures)
        finally:
            context.close()
    assert sizes == sorted(sizes) and len(set(sizes)) == len(TEXT_SIZES)
    assert sizes[-1] >= 1.5 * normal["fontSize"]


def test_care_mode_click_targets_are_at_least_44px(browser, site):
    context = open_context(browser, site, care=True, size=1)
    page = context.new_page()
    try:
        log_in(page, site, DEMO_READER)
        page.goto(f"{site.base}/a/{site.article.pk}/")
        small = page.evaluate(
            """() => [...document.querySelectorAll(
                '.site-header a, .site-header button, .site-footer a, .cards a, .block-items a, '
                + '.comment-form button, .comments .comment-actions button, .read-aloud')]
              .filter((el) => el.getClientRects().length && !el.hidden)
              .map((el) => ({
                el: el.outerHTML.slice(0, 80), ...el.getBoundingClientRect().toJSON(),
              }))
              .filter((r) => r.width < 44 || r.height < 44)"""
        )
        assert not small, small
    finally:
        context.close()


# 朗读 (read aloud) and no flash --------------------------------------------------------

# The browser's speech engine cannot be heard in a headless test: this stub records what
# the page asks it to say. It is the only stand-in in these tests.
SPEECH_STUB = """
window.__spoken = [];
window.__cancelled = 0;
Object.defineProperty(window, 'speechSynthesis', { configurable: true, value: {
  speaking: false, pending: false, paused: false,
  getVoices() { return []; },
  speak(utterance) { window.__spoken.push({ text: utterance.text, lang: utterance.lang }); },
  cancel() { window.__cancelled += 1; },
  pause() {}, resume() {},
  addEventListener() {}, removeEventListener() {},
}});
"""


@pytest.mark.parametrize("care", [False, True], ids=["normal", "care"])
def test_read_aloud_speaks_the_title_then_the_body(browser, site, care):
    context = open_context(browser, site, care=care, size=1)
    context.add_init_script(SPEECH_STUB)
    page = context.new_page()
    try:
        page.goto(f"{site.base}/a/{site.article.pk}/")
        button = page.get_by_role("button", name="朗读")
        expect(button).to_be_visible()
        box = button.bounding_box()
        if care:  # prominent: a large button
            assert box["height"] >= 56
        button.click()
        spoken = page.evaluate("window.__spoken")
        assert spoken[0] == {"text": site.article.title, "lang": "zh-CN"}
        paragraphs = [
            text.strip()
            for text in page.locator(".article-body > p").all_inner_texts()
            if text.strip()
        ]
        said = [item["text"] for item in spoken[1:]]
        assert paragraphs and all(text in said for text in paragraphs)
        assert [text for text in said if text in paragraphs] == paragraphs  # in reading order
        stop = page.get_by_role("button", name="停止朗读")
        expect(stop).to_be_visible()
        stop.click()
        expect(page.get_by_role("button", name="朗读")).to_be_visible()
        assert page.evaluate("window.__cancelled") >= 2
    finally:
        context.close()


def test_read_aloud_is_not_offered_without_speech_synthesis(browser, site):
    context = open_context(browser, site, care=True)
    context.add_init_script(
        "Object.defineProperty(window, 'speechSynthesis', {configurable: true, value: undefined});"
    )
    page = context.new_page()
    try:
        page.goto(f"{site.base}/a/{site.article.pk}/")
        expect(page.locator("h1")).to_be_visible()
        expect(page.locator("[data-read-aloud]")).to_be_hidden()
        expect(page.get_by_role("button", name="朗读")).to_have_count(0)
    finally:
        context.close()


def test_care_mode_arrives_in_the_first_html_response(browser, site):
    context = open_context(browser, site, care=True)
    page = context.new_page()
    try:
        for path in ("/", f"/a/{site.article.pk}/"):
            response = page.goto(site.base + path)
            raw = response.text()  # the bytes the server sent, before any script ran
            assert f'class="care text-{LARGEST}"' in re.search(r"<html[^>]*>", raw).group(0)
    finally:
        context.close()


def test_reduced_motion_switches_off_smooth_scrolling_and_motion(browser, live_server):
    # The test injects a style sheet of its own, which the site's policy would refuse.
    context = browser.new_context(
        locale="zh-CN", viewport=VIEWPORT, reduced_motion="reduce", bypass_csp=True
    )
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/accessibility/")
        # Motion a later stylesheet might add must still be switched off for these readers.
        page.add_style_tag(
            content="html { scroll-behavior: smooth; } "
            ".button { transition: background 2s; animation: spin 2s infinite; }"
        )
        styles = page.evaluate(
            """() => {
              const button = getComputedStyle(document.querySelector('.button'));
              return {
                scroll: getComputedStyle(document.documentElement).scrollBehavior,
                transition: button.transitionDuration,
                animation: button.animationName,
              };
            }"""
        )
        assert styles == {"scroll": "auto", "transition": "0s", "animation": "none"}
    finally:
        context.close()
