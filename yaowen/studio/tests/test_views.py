"""The studio: who may enter, writing, preview, import, images, revisions, submission."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from yaowen.core.tests.factories import ArticleFactory, CreatorFactory, UserFactory
from yaowen.newsroom.models import Article, ArticleImage, Channel

pytestmark = pytest.mark.django_db


@pytest.fixture
def creator(client):
    creator = CreatorFactory()
    client.force_login(creator.user)
    return creator


def form_data(**overrides):
    data = {
        "title": "一款新手机的上手体验",
        "channel": Channel.objects.get(slug="digital").pk,
        "tags": "手机, 评测",
        "summary": "",
        "body_source": "导语段落。\n\n## 外观\n\n很轻薄。",
        "references": "数码日报 | 新机发布会 | 2026-11-01 | https://example.com/a",
        "is_original": "on",
        "scheduled_at": "",
        "action": "save",
    }
    data.update(overrides)
    return data


def test_readers_and_visitors_cannot_reach_the_studio(client):
    assert reverse("accounts:login") in client.get(reverse("studio:dashboard"))["Location"]
    client.force_login(UserFactory())
    for url in (reverse("studio:dashboard"), reverse("studio:new")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("accounts:apply")


def test_creators_cannot_open_other_creators_articles(client, creator):
    other = ArticleFactory()
    assert client.get(reverse("studio:edit", args=[other.pk])).status_code == 404
    response = client.post(reverse("studio:edit", args=[other.pk]), form_data(title="抢改"))
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.title != "抢改"


def test_write_save_and_find_it_under_drafts(client, creator):
    response = client.post(reverse("studio:new"), form_data())
    article = Article.objects.get(author=creator)
    assert response["Location"] == reverse("studio:edit", args=[article.pk])
    assert article.status == "draft" and article.tags == ["手机", "评测"] and article.is_original
    reference = article.references.get()
    assert (reference.source, reference.title, str(reference.published_on)) == (
        "数码日报",
        "新机发布会",
        "2026-11-01",
    )
    page = client.get(reverse("studio:dashboard") + "?status=draft").content.decode()
    assert "一款新手机的上手体验" in page


def test_preview_renders_without_saving(client, creator):
    response = client.post(reverse("studio:new"), form_data(action="preview"))
    assert "<h2>外观</h2>" in response.content.decode()
    assert not Article.objects.exists()


def test_bad_reference_lines_get_a_message_and_nothing_is_saved(client, creator):
    response = client.post(reverse("studio:new"), form_data(references="数码日报 | 标题 | 11月1日"))
    assert "第 1 行的日期应写成" in response.content.decode()
    assert not Article.objects.exists()


def test_pasted_plain_text_becomes_paragraphs_headings_and_references(client, creator):
    text = (
        "新品发布会今日举行\n\n"
        "本次发布会推出了三款新机型，价格区间覆盖中高端市场，引发了不少消费者的关注和讨论。\n\n"
        "续航表现如何？\n\n"
        "实测连续播放视频可以达到十四个小时，比上一代提升明显，重度用户也能坚持一整天。\n\n\n\n"
        "结语\n\n"
        "总体来看，这次更新诚意十足，值得期待后续的市场表现和用户口碑变化。\n\n"
        "参考资料\n"
        "新机发布会实录 数码日报 2026-11-01\n"
    )
    response = client.post(reverse("studio:new"), {"action": "import", "text": text})
    html = response.content.decode()
    assert "## 续航表现如何？" in html and "## 结语" in html
    assert "数码日报" in html and "2026-11-01" in html
    assert not Article.objects.exists()  # the creator confirms, then saves


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 800), (30, 120, 200)).save(buffer, "PNG")
    return buffer.getvalue()


def test_images_are_uploaded_with_alt_text_and_inserted_as_figures(client, creator):
    client.post(reverse("studio:new"), form_data())
    article = Article.objects.get(author=creator)
    url = reverse("studio:image", args=[article.pk])
    upload = SimpleUploadedFile("photo.png", png_bytes())
    client.post(url, {"image": upload, "alt": "", "caption": "x"})
    assert not ArticleImage.objects.exists()  # alt text is required
    upload = SimpleUploadedFile("photo.png", png_bytes())
    response = client.post(url, {"image": upload, "alt": "蓝色的样机", "caption": "新机外观"})
    assert response.status_code == 302
    image = ArticleImage.objects.get()
    article.refresh_from_db()
    assert f'![蓝色的样机]({image.file.url} "新机外观")' in article.body_source
    assert "<figcaption>新机外观</figcaption>" in article.body_html
    assert article.cover.name == image.file.name
    assert {v["format"] for v in image.variants} >= {"WEBP"}


def test_a_file_that_is_not_an_image_changes_nothing(client, creator):
    client.post(reverse("studio:new"), form_data())
    article = Article.objects.get(author=creator)
    body = article.body_source
    fake = SimpleUploadedFile("photo.jpg", b"#!/bin/sh\necho not an image\n")
    response = client.post(
        reverse("studio:image", args=[article.pk]), {"image": fake, "alt": "图"}, follow=True
    )
    assert "不是可识别的图片" in response.content.decode()
    article.refresh_from_db()
    assert article.body_source == body and not ArticleImage.objects.exists()


def test_revisions_are_listed_and_restorable(client, creator):
    client.post(reverse("studio:new"), form_data(title="第一版"))
    article = Article.objects.get(author=creator)
    client.post(reverse("studio:edit", args=[article.pk]), form_data(title="第二版"))
    page = client.get(reverse("studio:revisions", args=[article.pk])).content.decode()
    assert "第 2 版" in page and "第 1 版" in page
    first = article.revisions.get(number=1)
    client.post(reverse("studio:revisions", args=[article.pk]), {"revision": first.pk})
    article.refresh_from_db()
    assert article.title == "第一版" and article.revisions.count() == 3


def test_submit_from_the_editor_sends_the_article_to_review(client, creator):
    client.post(reverse("studio:new"), form_data())
    article = Article.objects.get(author=creator)
    response = client.post(
        reverse("studio:edit", args=[article.pk]), form_data(action="submit"), follow=True
    )
    assert "已提交审核" in response.content.decode()
    article.refresh_from_db()
    assert article.status == "pending"


@pytest.mark.parametrize("application_status", [None, "pending", "rejected"])
def test_applicants_in_any_state_cannot_write(client, application_status):
    from yaowen.accounts.models import CreatorApplication

    user = UserFactory()
    if application_status:
        CreatorApplication.objects.create(
            user=user,
            account_type="personal",
            display_name="申请中的人",
            field=Channel.objects.get(slug="tech"),
            bio="简介",
            avatar="a.png",
            contact="邮箱",
            statement="说明",
            status=application_status,
        )
    client.force_login(user)
    response = client.post(reverse("studio:new"), form_data())
    assert response.status_code == 302 and response["Location"] == reverse("accounts:apply")
    assert not Article.objects.exists()


def test_suspended_creators_can_save_but_not_submit(client, creator):
    creator.status = "suspended"
    creator.save()
    client.post(reverse("studio:new"), form_data())
    article = Article.objects.get(author=creator)
    response = client.post(reverse("studio:edit", args=[article.pk]), form_data(action="submit"))
    assert "账号已暂停" in response.content.decode()
    article.refresh_from_db()
    assert article.status == "draft"


def test_oversized_uploads_are_refused_before_reading(client, creator, settings):
    client.post(reverse("studio:new"), form_data())
    article = Article.objects.get(author=creator)
    big = SimpleUploadedFile("big.jpg", b"\xff" * (10 * 1024 * 1024 + 1))
    response = client.post(
        reverse("studio:image", args=[article.pk]), {"image": big, "alt": "图"}, follow=True
    )
    assert "不能超过 10 MB" in response.content.decode()
    assert not ArticleImage.objects.exists()


def test_the_cover_can_be_chosen_among_uploaded_images(client, creator):
    client.post(reverse("studio:new"), form_data())
    article = Article.objects.get(author=creator)
    for alt in ("第一张", "第二张"):
        client.post(
            reverse("studio:image", args=[article.pk]),
            {"image": SimpleUploadedFile("p.png", png_bytes()), "alt": alt},
        )
    second = ArticleImage.objects.get(alt="第二张")
    article.refresh_from_db()
    assert article.cover_alt == "第一张"  # the first upload became the cover automatically
    client.post(
        reverse("studio:edit", args=[article.pk]),
        form_data(body_source=article.body_source, cover=second.pk),
    )
    article.refresh_from_db()
    assert (article.cover.name, article.cover_alt) == (second.file.name, "第二张")
