"""The header and footer, rendered once per variant for anonymous readers, still carry each
page's own path and the reader's language, care state and highlighted channel."""

import re

import pytest
from django.conf import settings

from yaowen.core.tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


def nexts(html: str) -> set[str]:
    """Where the login, care-mode and language links send the reader back to."""
    return set(re.findall(r'\?next=([^"&]+)"', html))


def test_each_page_links_back_to_itself_though_the_chrome_is_shared(client):
    first, second = ArticleFactory(), ArticleFactory()
    one = client.get(first.get_absolute_url()).content.decode()
    two = client.get(second.get_absolute_url()).content.decode()
    assert f"/a/{first.pk}/" in nexts(one) and f"/a/{second.pk}/" not in nexts(one)
    assert f"/a/{second.pk}/" in nexts(two) and f"/a/{first.pk}/" not in nexts(two)
    paged = client.get("/latest/?page=2").content.decode()
    assert "/latest/%3Fpage%3D2" in nexts(paged)


def test_variants_do_not_leak_into_each_other(client):
    article = ArticleFactory()
    plain = client.get(article.get_absolute_url()).content.decode()
    client.cookies["yw_care"] = "1"
    client.cookies["yw_text"] = "3"
    care = client.get(article.get_absolute_url()).content.decode()
    assert "退出关怀版" in care and "退出关怀版" not in plain
    assert 'aria-current="true"' in care.split('class="text-size"')[1][:2000]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(article.get_absolute_url()).content.decode()
    assert "Skip to main content" in english and "跳到主要内容" not in english


def test_logged_in_readers_and_searches_get_their_own_header(client):
    reader = UserFactory(nickname="老读者")
    ArticleFactory()
    client.get("/")  # the anonymous variant is now held
    client.force_login(reader)
    assert "老读者" in client.get("/").content.decode()
    client.logout()
    searched = client.get("/search/?q=台风").content.decode()
    assert 'value="台风"' in searched
    assert 'value="台风"' not in client.get("/").content.decode()


def test_a_held_author_card_follows_its_creator_and_each_page(client):
    from yaowen.accounts.models import CreatorProfile

    first = ArticleFactory()
    second = ArticleFactory(author=first.author)
    one = client.get(first.get_absolute_url()).content.decode()
    two = client.get(second.get_absolute_url()).content.decode()
    card = two.split('class="author-card"')[1].split("</section>")[0]
    assert f"/a/{second.pk}/" in card and f"/a/{first.pk}/" not in card  # log in, come back
    assert "data-follower-count>0<" in one
    CreatorProfile.objects.filter(pk=first.author.pk).update(follower_count=7)
    client.get("/")  # nothing else changes; the page cache is bypassed below
    fresh = client.get(f"{first.get_absolute_url()}?page=1").content.decode()
    assert "data-follower-count>7<" in fresh
