"""What only a browser shows: the demo article's blocks, care mode, and layout from phone to
desktop."""

import re

import pytest
from playwright.sync_api import expect

from yaowen.demo.build import DemoSize, demo_build
from yaowen.newsroom.models import Article
from yaowen.web.tests.test_browser_a11y import Site, pages_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_article(live_server, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    demo_build(size=DemoSize(creators=8, articles=120, readers=20))
    article = Article.objects.filter(comment_count__gt=0).order_by("-hot_score").first()
    return live_server.url, article


def body_font_px(page) -> float:
    return page.eval_on_selector(
        ".article-body p", "el => parseFloat(getComputedStyle(el).fontSize)"
    )


def test_demo_article_shows_every_block_of_the_reference_page(page, demo_article):
    base, article = demo_article
    page.goto(f"{base}/a/{article.pk}/")
    breadcrumb = page.get_by_role("navigation", name="面包屑")
    expect(breadcrumb).to_contain_text("首页")
    expect(breadcrumb).to_contain_text(article.channel.name)
    expect(breadcrumb).to_contain_text("正文")
    expect(page.get_by_role("link", name="申请入驻").first).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(article.title)
    meta = page.locator(".article-head .meta")
    expect(meta).to_contain_text(article.author.display_name)
    expect(meta.locator("time")).to_be_visible()
    comments_link = page.get_by_role("link", name=f"{article.comment_count} 跟帖")
    expect(comments_link).to_be_visible()
    share = page.get_by_role("group", name="分享至")
    expect(share.get_by_text("微信", exact=True)).to_be_visible()
    for target in ("微博", "QQ"):
        expect(share.get_by_role("link", name=re.compile(f"^{target}"))).to_be_visible()
    expect(share.get_by_role("button", name="复制链接")).to_be_visible()
    share.get_by_text("微信", exact=True).click()
    expect(share.get_by_role("img", name="本文链接的二维码")).to_be_visible()
    expect(page.locator(".article-body h2").first).to_be_visible()
    figure = page.locator(".article-body figure img").first
    assert figure.get_attribute("alt")
    for heading in (
        "参考资料",
        "相关推荐",
        "热点推荐",
        "往期回顾",
        "头条要闻",
        "体育要闻",
        "原创栏目",
    ):
        expect(page.get_by_role("heading", name=heading).first).to_be_visible()
    expect(page.get_by_text(re.compile("^特别声明："))).to_be_visible()
    expect(page.get_by_text("Notice: The content above")).to_be_visible()
    card = page.locator(".author-card")
    expect(card).to_contain_text(article.author.display_name)
    expect(card).to_contain_text("文章数")
    expect(card).to_contain_text("粉丝")
    expect(card.get_by_role("link", name="关注")).to_be_visible()
    expect(page.get_by_role("link", name="无障碍浏览")).to_be_visible()
    expect(page.get_by_role("link", name="进入关怀版").first).to_be_visible()
    comments_link.click()
    expect(page.locator("#comments li").first).to_be_visible()


def test_care_mode_enlarges_body_text_and_persists_across_pages(page, demo_article):
    base, article = demo_article
    page.goto(f"{base}/a/{article.pk}/")
    normal = body_font_px(page)
    page.get_by_role("link", name="进入关怀版").first.click()
    page.wait_for_url(f"**/a/{article.pk}/")
    assert body_font_px(page) >= normal * 1.25
    page.get_by_role("link", name=article.channel.name).first.click()
    expect(page.locator("html")).to_have_class("care")
    page.goto(f"{base}/a/{article.pk}/")
    expect(page.locator("html")).to_have_class("care")
    assert body_font_px(page) >= normal * 1.25
    page.get_by_role("link", name="退出关怀版").first.click()
    page.wait_for_url(f"**/a/{article.pk}/")
    assert body_font_px(page) == pytest.approx(normal)


@pytest.mark.parametrize("care", [False, True], ids=["normal", "care-largest"])
def test_no_horizontal_scroll_from_a_375px_phone_to_a_1440px_desktop(browser, demo_article, care):
    """Every kind of page, anonymous, reader's and creator's, in both modes (care mode at its
    largest text, the hardest case)."""
    base, article = demo_article
    site = Site(base, article, article.author.user.username)
    failures = []
    for width, height in ((375, 812), (1440, 900)):
        viewport = {"width": width, "height": height}
        for name, page in pages_as(browser, site, care=care, viewport=viewport):
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            if overflow > 0:
                failures.append(f"{name} at {width}px scrolls sideways by {overflow}px")
    assert not failures, "\n".join(failures)


def test_a_reader_comments_and_likes_in_place(new_page, demo_article):
    base, article = demo_article
    page = new_page()
    page.goto(f"{base}/accounts/login/?next=/a/{article.pk}/")
    page.get_by_label("用户名").fill("reader")
    page.locator("#id_password").fill("yaowen-demo")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"**/a/{article.pk}/")
    count_before = article.comment_count
    box = page.locator("#comments textarea").first
    box.fill("写得很清楚，期待后续报道。")
    page.evaluate("window.__noReload = true")
    box.locator("xpath=ancestor::form").get_by_role("button").first.click()
    expect(page.locator("#comments").get_by_text("写得很清楚，期待后续报道。")).to_be_visible()
    expect(page.locator("a.comment-count")).to_contain_text(f"{count_before + 1} 跟帖")
    assert page.evaluate("window.__noReload") is True  # posted in place, no reload
    like = page.locator("#actions form[data-like] button")
    counter = page.locator("#actions [data-like-count]")
    likes = int(counter.inner_text())
    like.click()
    expect(counter).to_have_text(str(likes + 1))
    expect(like).to_have_attribute("aria-pressed", "true")
