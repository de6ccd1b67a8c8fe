"""The article page: every block of the reference page, no repeats, bounded queries."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from yaowen.core.care import CARE_COOKIE
from yaowen.core.tests.factories import (
    ArticleFactory,
    CommentFactory,
    CreatorFactory,
    ReferenceFactory,
    UserFactory,
)
from yaowen.engagement.services.comments import comment_create
from yaowen.newsroom.models import Article, Channel
from yaowen.newsroom.services import ArticleInput, article_remove, article_update
from yaowen.recommend.services.hot import hot_scores_refresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    """An article among others: same author, same channel, and every headline channel."""
    author = CreatorFactory(display_name="科技观察", bio="每天一篇科技评论", badge="incentive")
    article = ArticleFactory(author=author, title="新一代芯片发布", comment_count=2, view_count=50)
    ReferenceFactory(article=article, source="科技日报", title="芯片发布会报道")
    CommentFactory(article=article, body="期待评测")
    CommentFactory(article=article, body="价格呢？")
    for n in range(4):
        ArticleFactory(author=author, title=f"作者旧文{n}", view_count=10 + n)
    for channel in Channel.objects.all():
        for n in range(6):
            ArticleFactory(channel=channel, title=f"{channel.name}热文{n}", view_count=100 * n + 1)
    hot_scores_refresh()
    return article


def get(client, article):
    return client.get(reverse("web:article", args=[article.pk]))


def test_page_shows_every_block_of_the_reference_page(client, site):
    response = get(client, site)
    assert response.status_code == 200
    html = response.content.decode()
    # 1 breadcrumb 首页 > 号 > 频道 > 正文, 2 申请入驻, 3 title
    assert re.search(r"首页.*要闻号.*科技.*正文", html, re.S)
    assert "申请入驻" in html
    assert '<h1 id="article-title">新一代芯片发布</h1>' in html
    # author, time and channel next to the title (the reference page lacks them)
    meta = html[html.index('class="meta"') : html.index('class="share"')]
    assert "科技观察" in meta and "<time" in meta and "科技" in meta
    # 4 comment count linking to the comments, then share-to
    assert 'href="#comments">2 跟帖' in html
    assert "分享至" in html
    assert reverse("web:article_qr", args=[site.pk]) in html
    assert reverse("web:share_out", args=[site.pk, "weibo"]) in html
    assert reverse("web:share_out", args=[site.pk, "qq"]) in html
    assert "复制链接" in html
    # 5 body with headings and figures
    assert "<h2>第一节小标题</h2>" in html
    assert '<figure><img src="/media/demo/figures/00.webp" alt="会场全景"' in html
    assert "<figcaption>发布会现场</figcaption>" in html
    # 6 references, 7 disclaimer in Chinese and English
    assert "参考资料" in html and "芯片发布会报道" in html and "2026-11-01" in html
    assert "特别声明" in html and "Notice: The content above" in html
    # 8 related, 9 hot, 10 render time
    assert "相关推荐" in html and "热点推荐" in html and "页面生成于" in html
    # 11 author card with badge, bio, article count, follower count, follow button
    card = html[html.index('class="author-card"') : html.index('class="past"')]
    assert "科技观察" in card and "创作激励计划" in card and "每天一篇科技评论" in card
    assert "文章数" in card and "粉丝" in card and "关注" in card
    # 12 past articles with a link to all
    assert "往期回顾" in html and "作者旧文" in html
    assert f'href="{site.author.get_absolute_url()}"' in html
    # 13 headline blocks, 14 original columns, 15 accessibility and care mode
    for title in ("头条要闻", "体育要闻", "娱乐要闻", "财经要闻", "科技要闻", "汽车要闻"):
        assert title in html
    assert "原创栏目" in html
    for column in ("亲子", "家居", "艺术", "游戏", "数码"):
        assert f"{column}要闻" in html
    assert "无障碍浏览" in html and "进入关怀版" in html
    # comments are listed where the count points
    assert 'id="comments"' in html and "期待评测" in html


def test_no_article_appears_twice_and_the_page_never_recommends_itself(client, site):
    html = get(client, site).content.decode()
    recommended = html[html.index('id="related-h"') :]
    ids = re.findall(r'<a (?:class="card-title" )?href="/a/(\d+)/"', recommended)
    assert ids, "the page recommends something"
    assert len(ids) == len(set(ids)), "an article is repeated across blocks"
    assert str(site.pk) not in ids


def test_page_is_accessible_in_structure(client, site):
    html = get(client, site).content.decode()
    assert html.index('class="skip-link" href="#main"') < html.index("<header")
    for landmark in ("<header", "<nav", "<main", "<aside", "<footer", "<article"):
        assert landmark in html
    assert html.count("<h1") == 1
    assert re.search(r'<html lang="zh-hans"', html)
    for img in re.findall(r"<img [^>]*>", html):
        assert "alt=" in img


def test_query_count_is_bounded_cold_and_warm(client, site, django_assert_max_num_queries):
    cache.clear()
    with django_assert_max_num_queries(15):
        assert get(client, site).status_code == 200
    with django_assert_max_num_queries(3):
        assert get(client, site).status_code == 200


def test_query_count_does_not_grow_with_data(client, site):
    def count():
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            get(client, site)
        return len(queries)

    before = count()
    for channel in Channel.objects.all():
        ArticleFactory.create_batch(3, channel=channel)
    CommentFactory.create_batch(5, article=site)
    hot_scores_refresh()
    assert count() == before


def test_missing_article_is_404_and_removed_article_is_410(client, site):
    assert client.get("/a/999999/").status_code == 404
    draft = ArticleFactory(status=Article.Status.DRAFT)
    assert get(client, draft).status_code == 404
    site.status = Article.Status.REMOVED
    site.removed_reason = "违反社区规范"
    site.save()
    response = get(client, site)
    assert response.status_code == 410
    assert "已下架" in response.content.decode()
    assert "违反社区规范" in response.content.decode()


def test_chinese_slugs_are_not_article_addresses(client, site):
    assert client.get("/a/新一代芯片发布/").status_code == 404


def test_care_mode_is_rendered_by_the_server_from_the_cookie(client, site):
    response = client.get(reverse("web:care", args=["on"]) + f"?next={site.get_absolute_url()}")
    assert response.status_code == 302
    assert response["Location"] == site.get_absolute_url()
    assert response.cookies[CARE_COOKIE].value == "1"
    html = get(client, site).content.decode()
    assert '<html lang="zh-hans" class="care">' in html
    assert "退出关怀版" in html
    client.get(reverse("web:care", args=["off"]))
    assert 'class="care"' not in get(client, site).content.decode()


def test_care_toggle_does_not_redirect_off_site(client):
    response = client.get(reverse("web:care", args=["on"]) + "?next=https://evil.example/")
    assert response["Location"] == reverse("web:home")


def test_wechat_share_is_a_qr_code_of_the_article_url(client, site):
    response = client.get(reverse("web:article_qr", args=[site.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b"<svg")
    assert "max-age=86400" in response["Cache-Control"]


def test_cached_page_never_hides_a_change_to_the_article(
    client, site, django_capture_on_commit_callbacks
):
    assert "2 跟帖" in get(client, site).content.decode()  # now cached for anonymous readers
    with django_capture_on_commit_callbacks(execute=True):
        comment_create(user=UserFactory(), article=site, body="第三条")
    html = get(client, site).content.decode()
    assert "3 跟帖" in html and "第三条" in html
    site.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        article_update(
            article=site,
            data=ArticleInput.from_article(site, title="改过的标题"),
            by=site.author.user,
        )
    assert "改过的标题" in get(client, site).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        article_remove(
            article=site, by=UserFactory(is_staff=True, is_superuser=True), reason="违规"
        )
    assert get(client, site).status_code == 410


def test_logged_in_readers_get_their_own_page_not_the_cached_one(client, site):
    get(client, site)  # cache the anonymous page
    reader = UserFactory()
    client.force_login(reader)
    html = get(client, site).content.decode()
    assert reader.public_name in html
    assert 'action="/u/' in html  # the follow form, not the login link
