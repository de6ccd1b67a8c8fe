"""The Content-Security-Policy in Chromium: every kind of page, in the normal layout and in
关怀版, on a 375 px phone and a 1440 px desktop, fires no `securitypolicyviolation`, and what
the pages' scripts do still works under it (share panel and QR code, copy link, 朗读,
comments posted in place, 顶, the login, studio and review forms)."""

import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from yaowen.accounts.models import User
from yaowen.core.care import CARE_COOKIE, TEXT_SIZE_COOKIE
from yaowen.demo.build import DEMO_PASSWORD, DEMO_READER, DemoSize, demo_build
from yaowen.demo.review_work import DEMO_EDITOR
from yaowen.newsroom.models import Article
from yaowen.web.tests.test_browser_a11y import SPEECH_STUB

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Installed before any of the page's own scripts, in every document: what the browser
# refused, as the page itself would learn of it.
WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push(
    `${e.effectiveDirective} refused ${e.blockedURI || '(inline)'} `
    + `at ${e.sourceFile || location.pathname}:${e.lineNumber} ${e.sample || ''}`
  );
});
"""
WIDTHS = ((375, 812), (1440, 900))


@pytest.fixture
def site(live_server, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    demo_build(size=DemoSize(creators=4, articles=40, readers=4))
    article = (
        Article.objects.filter(comment_count__gt=0, status=Article.Status.PUBLISHED)
        .select_related("author__user", "channel")
        .order_by("-hot_score")
        .first()
    )
    return live_server.url, article


class Visitor:
    """One person's browser context, watching every page it opens for refused content."""

    def __init__(self, browser, base: str, *, care: bool, viewport: dict, who: str | None):
        self.base, self.refused = base, []
        self.context = browser.new_context(locale="zh-CN", viewport=viewport)
        if care:
            host = base.split("//", 1)[1].split(":")[0]
            self.context.add_cookies(
                [
                    {"name": CARE_COOKIE, "value": "1", "domain": host, "path": "/"},
                    {"name": TEXT_SIZE_COOKIE, "value": "1", "domain": host, "path": "/"},
                ]
            )
        self.context.add_init_script(WATCH)
        self.context.add_init_script(SPEECH_STUB)
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        # Chromium also reports refusals on the console; keep whatever reaches it.
        self.page.on(
            "console",
            lambda message: (
                self.refused.append(f"console: {message.text}")
                if "Content Security Policy" in message.text
                else None
            ),
        )
        if who == DEMO_EDITOR:
            # Staff sign in with a second factor; a session signed in as that step would
            # leave it stands in for it here (the login form is tried by the others).
            client = Client()
            client.force_login(User.objects.get(username=who))
            cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
            host = base.split("//", 1)[1].split(":")[0]
            self.context.add_cookies(
                [
                    {
                        "name": settings.SESSION_COOKIE_NAME,
                        "value": cookie,
                        "domain": host,
                        "path": "/",
                    }
                ]
            )
        elif who:
            self.open("/accounts/login/")
            self.page.locator("#id_username").fill(who)
            self.page.locator("#id_password").fill(DEMO_PASSWORD)
            self.leave()
            self.page.locator("main form button[type=submit]").click()
            self.page.wait_for_url(lambda url: "/accounts/login/" not in url)
            self.leave()

    def open(self, path: str) -> None:
        response = self.page.goto(self.base + path)
        assert response.status == 200, f"{path} answered {response.status}"
        assert urlsplit(self.page.url).path == urlsplit(path).path, (
            f"{path} went to {self.page.url}"
        )
        assert "script-src 'self'" in response.headers["content-security-policy"]

    def leave(self) -> None:
        """Collect what the current page refused (before it goes away)."""
        where = self.page.url.removeprefix(self.base)
        self.refused += [f"[{where}] {line}" for line in self.page.evaluate("window.__csp")]

    def close(self) -> None:
        self.context.close()


def reader_pages(visitor: Visitor, article: Article, care: bool) -> None:
    page = visitor.page
    for path in ("/", f"/c/{article.channel.slug}/", f"/u/{article.author_id}/"):
        visitor.open(path)
        expect(page.locator("main h1, main h2").first).to_be_visible()
        visitor.leave()
    visitor.open(f"/search/?q={article.title[:2]}")
    expect(page.locator(".search-results li").first).to_be_visible()
    visitor.leave()

    # The article: comments, the share panel with its QR code and beacons, copy link, 朗读.
    visitor.open(f"/a/{article.pk}/")
    expect(page.locator("#comments li").first).to_be_attached()
    share = page.get_by_role("group", name="分享至")
    if not care:  # 关怀版 leaves the QR pop-over out; its link stays copyable
        wechat = share.get_by_text("微信", exact=True)
        wechat.click()
        qr = share.get_by_role("img", name="本文链接的二维码")
        expect(qr).to_be_visible()
        page.wait_for_function("(img) => img.complete", arg=qr.element_handle())
        wechat.click()  # closed again: the pop-over covers what follows it
    copy = share.get_by_role("button", name="复制链接")
    expect(copy).to_be_visible()  # shown by site.js
    beacon = f"{visitor.base}/a/{article.pk}/share/"
    with page.expect_response(lambda r: r.url == beacon and r.request.method == "POST") as sent:
        copy.click()
    assert sent.value.ok  # sent by sendBeacon, allowed by connect-src 'self'
    read_aloud = page.get_by_role("button", name="朗读")
    expect(read_aloud).to_be_visible()  # shown by care.js where speech works
    read_aloud.click()
    assert page.evaluate("window.__spoken")[0]["text"] == article.title
    page.get_by_role("button", name="停止朗读").click()
    if care:
        expect(page.locator("html")).to_have_class(re.compile(r"\bcare\b"))
    visitor.leave()


def commenting_and_liking(visitor: Visitor, article: Article, words: str) -> None:
    page = visitor.page
    visitor.open(f"/a/{article.pk}/")
    page.evaluate("window.__noReload = true")
    box = page.locator("#comments textarea").first
    box.fill(words)
    box.locator("xpath=ancestor::form").get_by_role("button").first.click()
    expect(page.locator("#comments").get_by_text(words)).to_be_visible()
    like = page.locator("#actions form[data-like] button")
    counter = page.locator("#actions [data-like-count]")
    likes, liked = int(counter.inner_text()), like.get_attribute("aria-pressed") == "true"
    like.click()
    expect(like).to_have_attribute("aria-pressed", str(not liked).lower())
    expect(counter).to_have_text(str(likes - 1 if liked else likes + 1))
    like.click()  # the next press asks for the opposite state
    expect(like).to_have_attribute("aria-pressed", str(liked).lower())
    expect(counter).to_have_text(str(likes))
    assert page.evaluate("window.__noReload") is True  # all of it in place
    visitor.leave()


@pytest.mark.parametrize("care", [False, True], ids=["normal", "care"])
def test_no_page_breaks_the_policy_and_every_feature_still_works(browser, site, care):
    base, article = site
    refused = []
    for step, (width, height) in enumerate(WIDTHS):
        viewport = {"width": width, "height": height}

        anonymous = Visitor(browser, base, care=care, viewport=viewport, who=None)
        try:
            reader_pages(anonymous, article, care)
            anonymous.open("/accounts/login/")
            anonymous.leave()
        finally:
            anonymous.close()

        reader = Visitor(browser, base, care=care, viewport=viewport, who=DEMO_READER)
        try:
            commenting_and_liking(reader, article, f"在 {width} 像素宽的屏幕上跟帖 {step}")
        finally:
            reader.close()

        creator = Visitor(
            browser, base, care=care, viewport=viewport, who=article.author.user.username
        )
        try:
            creator.open(f"/studio/articles/{article.pk}/")
            creator.leave()
            creator.page.get_by_role("button", name="预览").click()
            expect(creator.page.locator(".preview .article-body")).to_be_visible()
            creator.leave()
            creator.open("/studio/write/")
            creator.leave()
        finally:
            creator.close()

        editor = Visitor(browser, base, care=care, viewport=viewport, who=DEMO_EDITOR)
        try:
            editor.open("/review/")
            expect(editor.page.get_by_role("heading", level=1)).to_be_visible()
            editor.leave()
            # The first item of the queue shown (an application, article, ...): its decision
            # page with the forms that decide it.
            with editor.page.expect_navigation():
                editor.page.locator("main a[href^='/review/'][href*='?next=']").first.click()
            assert re.search(r"/review/\w+/\d+/$", urlsplit(editor.page.url).path)
            expect(editor.page.locator("main form button").first).to_be_visible()
            editor.leave()
        finally:
            editor.close()

        for visitor in (anonymous, reader, creator, editor):
            refused += [f"{width}px: {line}" for line in visitor.refused]
    assert not refused, "Content-Security-Policy violations:\n" + "\n".join(refused)


def test_the_wechat_qr_code_is_an_image_the_browser_draws(browser, site):
    """Under the policy (img-src 'self') the QR code loads and is drawn: an SVG document
    served on its own needs its namespace, or Chromium shows a broken image."""
    base, article = site
    visitor = Visitor(browser, base, care=False, viewport={"width": 1440, "height": 900}, who=None)
    try:
        visitor.open(f"/a/{article.pk}/")
        visitor.page.get_by_text("微信", exact=True).click()
        qr = visitor.page.get_by_role("img", name="本文链接的二维码")
        visitor.page.wait_for_function("(img) => img.complete", arg=qr.element_handle())
        assert qr.evaluate("(img) => img.naturalWidth") > 0
        visitor.leave()
        assert not visitor.refused
    finally:
        visitor.close()


def test_the_watch_sees_what_the_policy_refuses(browser, site):
    """The check above is not vacuous: an injected inline script is refused and reported."""
    base, article = site
    visitor = Visitor(browser, base, care=False, viewport={"width": 1440, "height": 900}, who=None)
    try:
        visitor.open(f"/a/{article.pk}/")
        visitor.page.evaluate(
            """() => {
              const script = document.createElement('script');
              script.textContent = 'window.__ran = true';
              document.body.append(script);
              document.body.insertAdjacentHTML('beforeend', '<p style="color: red">x</p>');
            }"""
        )
        visitor.page.wait_for_function("window.__csp.length >= 2")
        assert visitor.page.evaluate("window.__ran") is None
        visitor.leave()
        assert any("script-src" in line for line in visitor.refused)
        assert any("style-src" in line for line in visitor.refused)
    finally:
        visitor.close()
