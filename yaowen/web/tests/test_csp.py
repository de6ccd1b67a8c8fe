"""The Content-Security-Policy every response carries, pages from the page cache included,
and the markup it relies on: no inline script, style or event handler in any template.
(Chromium's verdict on real pages is in test_browser_csp.py.)"""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from config.settings.base import csp_media_origins
from yaowen.core.storage import PublicS3Storage
from yaowen.core.tests.factories import ArticleFactory

TEMPLATES = Path(settings.BASE_DIR) / "yaowen" / "templates"


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


@pytest.mark.django_db
def test_pages_carry_the_policy_whether_rendered_or_from_the_page_cache(client):
    article = ArticleFactory()
    rendered = client.get(article.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        cached = client.get(article.get_absolute_url())
    assert not queries.captured_queries  # answered by the page cache
    for response in (rendered, cached, client.get("/accounts/login/")):
        policy = directives(response["Content-Security-Policy"])
        assert policy["default-src"] == ["'self'"]
        assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
        assert policy["img-src"][:2] == ["'self'", "data:"]
        assert policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert policy["form-action"] == ["'self'"] and policy["base-uri"] == ["'self'"]
        assert "'unsafe-inline'" not in response["Content-Security-Policy"]
        assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def test_no_template_has_inline_script_style_or_event_handlers():
    found = []
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        for script in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in script and "application/ld+json" not in script:
                found.append(f"{template.name}: {script}")
        found += [f"{template.name}: {m}" for m in re.findall(r"<style\b|\sstyle=", text)]
        found += [f"{template.name}: {m}" for m in re.findall(r"\son[a-z]+=", text)]
        found += [f"{template.name}: {m}" for m in re.findall(r"javascript:", text)]
    assert not found


@pytest.mark.parametrize(
    "options",
    [
        {"custom_domain": "media.example.com"},
        {"custom_domain": "cdn.example.com", "url_protocol": "http:"},
        {"endpoint_url": "http://127.0.0.1:9000", "addressing_style": "path"},
        {"endpoint_url": "https://oss.example.com", "addressing_style": "virtual"},
        {"endpoint_url": "https://oss.example.com"},
        {"region_name": "ap-east-1"},
    ],
)
def test_images_may_come_from_where_the_media_storage_puts_them(options):
    options = {"bucket_name": "yaowen-media", "access_key": "k", "secret_key": "s", **options}
    storage = {"BACKEND": "yaowen.core.storage.PublicS3Storage", "OPTIONS": options}
    url = urlsplit(PublicS3Storage(**options).url("covers/a.webp"))
    assert f"{url.scheme}://{url.netloc}" in csp_media_origins(storage)
    assert csp_media_origins({"BACKEND": "django.core.files.storage.FileSystemStorage"}) == []
