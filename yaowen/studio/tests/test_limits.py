"""The writing page under oversized or malformed input: form errors in Chinese, a 404 for an
id that names nothing, and nothing stored changed or lost."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils.http import urlencode

from yaowen.core.tests.factories import CreatorFactory
from yaowen.newsroom.models import Article, ArticleRevision, Channel
from yaowen.newsroom.services import article_create
from yaowen.newsroom.services.articles import BODY_MAX_LENGTH
from yaowen.studio.tests.test_views import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def creator(client):
    creator = CreatorFactory()
    client.force_login(creator.user)
    return creator


@pytest.fixture
def draft(creator):
    return article_create(
        author=creator,
        channel=Channel.objects.get(slug="tech"),
        title="原来的标题",
        body_source="原来的正文。",
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "标" * 65, "最多 64 个字，现在是 65 个"),
        ("summary", "摘" * 201, "最多 200 个字，现在是 201 个"),
        ("tags", "标签" * 51, "最多 100 个字，现在是 102 个"),
        (
            "body_source",
            "字" * (BODY_MAX_LENGTH + 1),
            f"最多 {BODY_MAX_LENGTH} 个字，现在是 {BODY_MAX_LENGTH + 1} 个",
        ),
    ],
)
def test_overlong_fields_are_form_errors_and_nothing_is_saved(
    client, creator, draft, field, value, message
):
    response = client.post(reverse("studio:edit", args=[draft.pk]), form_data(**{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    draft.refresh_from_db()
    assert (draft.title, draft.body_source) == ("原来的标题", "原来的正文。")
    assert draft.revisions.count() == 1


def test_a_body_at_the_limit_is_saved_through_the_real_request_size_limit(client, creator):
    # Chinese text percent-encoded is 9 bytes a character: the longest body allowed must
    # still fit under DATA_UPLOAD_MAX_MEMORY_SIZE.
    body = "长" * BODY_MAX_LENGTH
    response = client.post(
        reverse("studio:new"),
        urlencode(form_data(body_source=body)),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 302
    assert Article.objects.get(author=creator).body_source == body


def test_a_request_body_of_megabytes_is_refused_before_any_form_sees_it(creator):
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 1024 * 1024
    client = Client(raise_request_exception=False)
    client.force_login(creator.user)
    # As the writing page's form posts it (urlencoded): about 2.3 MB.
    body = urlencode(form_data(body_source="字" * 250_000))
    response = client.post(
        reverse("studio:new"), body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert not Article.objects.filter(author=creator).exists()


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("来" * 61 + " | 标题", "第 1 行的来源最多 60 个字。"),
        ("新华社 | " + "题" * 121, "第 1 行的标题最多 120 个字。"),
        ("新华社 | 标题 | 2025-11-13 | https://example.com/" + "a" * 200, "链接最多 200 个字"),
    ],
)
def test_overlong_references_are_form_errors_naming_the_line(client, creator, line, message):
    response = client.post(reverse("studio:new"), form_data(references=line))
    assert message in response.content.decode()
    assert not Article.objects.filter(author=creator).exists()


def test_more_references_than_allowed_is_a_form_error(client, creator):
    lines = "\n".join(f"来源{n} | 标题{n}" for n in range(31))
    response = client.post(reverse("studio:new"), form_data(references=lines))
    assert "参考资料最多 30 条。" in response.content.decode()


def test_an_overlong_import_is_a_form_error(client, creator):
    response = client.post(
        reverse("studio:new"), {"action": "import", "text": "字" * (BODY_MAX_LENGTH + 20_000)}
    )
    assert response.status_code == 200
    assert "最多" in response.content.decode() and "请删减" in response.content.decode()


@pytest.mark.parametrize("revision", ["abc", "99999999999999999999999", "", "-1", "１"])
def test_restoring_a_revision_that_cannot_exist_is_not_found(client, draft, revision):
    response = client.post(reverse("studio:revisions", args=[draft.pk]), {"revision": revision})
    assert response.status_code == 404
    draft.refresh_from_db()
    assert (
        draft.title == "原来的标题" and ArticleRevision.objects.filter(article=draft).count() == 1
    )
