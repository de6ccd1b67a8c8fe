"""Home, channel, author and directory pages; following from the author card."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from yaowen.accounts.models import Follow
from yaowen.core.tests.factories import ArticleFactory, CreatorFactory, UserFactory
from yaowen.newsroom.models import Channel
from yaowen.recommend.services.hot import hot_scores_refresh

pytestmark = pytest.mark.django_db


def test_home_shows_headline_blocks_hot_and_latest_without_repeats(client):
    for channel in Channel.objects.all():
        ArticleFactory.create_batch(5, channel=channel, view_count=100)
    hot_scores_refresh()
    html = client.get(reverse("web:home")).content.decode()
    for title in ("头条要闻", "体育要闻", "热点推荐", "最新", "原创栏目"):
        assert title in html
    blocks = html[html.index('id="headlines-h"') : html.index('id="latest-h"')]
    hot = html[html.index('id="hot-h"') :]
    ids = re.findall(r'href="/a/(\d+)/"', blocks + hot)
    assert len(ids) == len(set(ids)) > 20


def test_channel_page_paginates_and_survives_bad_page_numbers(client):
    sports = Channel.objects.get(slug="sports")
    ArticleFactory.create_batch(25, channel=sports)
    first = client.get(reverse("web:channel", args=["sports"]))
    assert first.status_code == 200
    assert "第 1 / 2 页" in first.content.decode()
    for bad in ("abc", "-1", "999"):
        assert client.get(reverse("web:channel", args=["sports"]), {"page": bad}).status_code == 200
    assert client.get("/c/nope/").status_code == 404


def test_channel_hot_tab_orders_by_hot_score_and_keeps_the_tab_across_pages(client):
    sports = Channel.objects.get(slug="sports")
    quiet = ArticleFactory.create_batch(22, channel=sports, title="冷门")  # newer (factory)
    busy = ArticleFactory(channel=sports, title="最热的那篇", view_count=5000, like_count=80)
    ArticleFactory(title="别的频道更热", view_count=9000)
    hot_scores_refresh()
    url = reverse("web:channel", args=["sports"])
    latest = client.get(url).content.decode()
    hot = client.get(url, {"tab": "hot"}).content.decode()
    rows = re.findall(r'href="/a/(\d+)/"', hot[hot.index('id="channel-h"') :])
    newest = re.findall(r'href="/a/(\d+)/"', latest[latest.index('id="channel-h"') :])
    assert rows[0] == str(busy.pk) != newest[0]
    assert "别的频道更热" not in hot
    assert hot.count(f'href="/a/{busy.pk}/"') == 1  # no sidebar repeating the tab
    assert 'href="?tab=hot&amp;page=2"' in hot
    assert '?tab=hot" aria-current="page"' in hot and '?tab=hot" aria-current' not in latest
    second = client.get(url, {"tab": "hot", "page": "2"}).content.decode()
    assert len(quiet) == 22 and "第 2 / 2 页" in second


def test_author_page_lists_only_their_published_articles(client):
    author = CreatorFactory(display_name="体坛老张")
    ArticleFactory.create_batch(3, author=author, title="老张的文章")
    ArticleFactory(title="别人的文章")
    html = client.get(author.get_absolute_url()).content.decode()
    assert "体坛老张" in html
    assert html.count("老张的文章") == 3
    assert "别人的文章" not in html
    assert "全部文章（3）" in html


def test_creators_directory_lists_creators(client):
    CreatorFactory(display_name="财经夜读")
    assert "财经夜读" in client.get(reverse("web:creators")).content.decode()


def test_follow_button_needs_login_then_follows_and_unfollows(client):
    creator = CreatorFactory()
    url = reverse("web:follow", args=[creator.pk])
    response = client.post(url, {"next": creator.get_absolute_url()})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={creator.get_absolute_url()}"
    reader = UserFactory()
    client.force_login(reader)
    client.post(url, {"next": creator.get_absolute_url()})
    assert Follow.objects.filter(follower=reader, followee=creator.user).exists()
    assert "已关注" in client.get(creator.get_absolute_url()).content.decode()
    client.post(url, {"action": "unfollow"})
    assert not Follow.objects.exists()


def test_following_yourself_shows_a_message_not_an_error(client):
    creator = CreatorFactory()
    client.force_login(creator.user)
    response = client.post(reverse("web:follow", args=[creator.pk]), follow=True)
    assert response.status_code == 200
    assert "不能关注自己" in response.content.decode()


def test_refusals_are_explained_in_chinese_in_the_site_s_style(client):
    client.force_login(UserFactory())
    refused = client.get(reverse("moderation:queue"))
    assert refused.status_code == 403
    assert "没有权限" in refused.content.decode() and 'lang="zh-hans"' in refused.content.decode()
    strict = Client(enforce_csrf_checks=True)
    stale = strict.post(reverse("accounts:login"), {"username": "a", "password": "b"})
    assert stale.status_code == 403
    assert "这次提交没有保存" in stale.content.decode() and "CSRF" not in stale.content.decode()
    bad = client.get("/", HTTP_HOST="evil.example")
    assert bad.status_code == 400 and "请求有误" in bad.content.decode()


def test_login_page_and_unknown_pages_render(client):
    assert client.get(reverse("accounts:login")).status_code == 200
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_staff_edits_to_channels_show_in_every_page_navigation(
    client, django_capture_on_commit_callbacks
):
    assert "体育" in client.get(reverse("web:home")).content.decode()  # navigation now cached
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    sports = Channel.objects.get(slug="sports")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:newsroom_channel_change", args=[sports.pk]),
            {
                "slug": "sports",
                "name": "体育频道",
                "group": "main",
                "position": 999,
                "block_title": "",
                "in_blocks": "on",
                "is_active": "on",
            },
        )
    assert response.status_code == 302
    client.logout()
    html = client.get(reverse("web:home")).content.decode()
    assert ">体育频道</a>" in html
    # Moved to the end of the navigation by its new position.
    assert html.index(">数码</a></li>") < html.index(">体育频道</a>")


def test_every_page_footer_links_the_terms_page_in_both_languages(client):
    for url in (reverse("web:home"), reverse("web:join"), reverse("accounts:login")):
        assert 'href="/terms/"' in client.get(url).content.decode(), url
    html = client.get(reverse("web:terms")).content.decode()
    assert "<h1>用户协议与免责声明</h1>" in html and "仅提供信息存储和传播服务" in html
    client.get(reverse("language", args=["en"]))
    english = client.get(reverse("web:terms")).content.decode()
    assert "<h1>Terms of use and disclaimer</h1>" in english and "平台" not in english
