"""Media through Django's storage API: local files by default, and an S3-compatible bucket
shared by every machine with S3_BUCKET, tested against a real S3 server (moto's, started on
127.0.0.1 by the tests; no mock of the client) for uploads, avatars, share cards and the demo.
"""

import io
import json
import logging
import os
import re
import subprocess
import sys
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import boto3
import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from storages.backends.s3 import S3Storage

from config import env
from yaowen.accounts.models import CreatorApplication
from yaowen.core.storage import PublicS3Storage
from yaowen.core.tests.factories import ArticleFactory, CreatorFactory, UserFactory
from yaowen.demo.build import DemoSize, demo_build
from yaowen.moderation.tests.people import editor
from yaowen.newsroom.models import Article, ArticleImage, Channel
from yaowen.newsroom.selectors import author_recent_cards

KEY, SECRET, REGION = "test-key", "test-secret", "us-east-1"
# Ordinary names and ones Django would never generate: botocore's quoting is the reference.
AWKWARD_NAMES = ["covers/2026/11/a.jpg", "a b/图 片.webp", "x/y(1)!.jpg", "k~/v+=&.png", "d/"]


# The server and a bucket per test


@pytest.fixture(scope="session")
def s3_endpoint():
    """moto's S3 server on a free port of 127.0.0.1, for the whole session."""
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    with pytest.MonkeyPatch.context() as patch:
        # A proxy configured on the machine must not see requests to the local server.
        patch.setenv("NO_PROXY", ",".join(filter(None, ["127.0.0.1", os.environ.get("NO_PROXY")])))
        patch.setenv("no_proxy", os.environ["NO_PROXY"])
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        host, port = server.get_host_and_port()
        yield f"http://{host}:{port}"
        server.stop()


@dataclass
class Bucket:
    name: str
    endpoint: str
    client: object

    @property
    def url_prefix(self) -> str:
        return f"{self.endpoint}/{self.name}/"

    def keys(self, prefix: str = "") -> list[str]:
        listing = self.client.list_objects_v2(Bucket=self.name, Prefix=prefix)
        return sorted(item["Key"] for item in listing.get("Contents", ()))

    def object_bytes(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()


def fetch(url: str) -> tuple[int, str, bytes]:
    """GET `url` as a browser would, without credentials (and without any proxy)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(url, timeout=10) as response:
        return response.status, response.headers["Content-Type"], response.read()


@pytest.fixture
def bucket(s3_endpoint, settings, monkeypatch) -> Bucket:
    """A fresh, publicly readable bucket, made the default storage from S3_* variables."""
    name = f"media-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name=REGION,
        aws_access_key_id=KEY,
        aws_secret_access_key=SECRET,
    )
    client.create_bucket(Bucket=name)
    # What docs/operations.md asks of a real bucket: anyone may read its objects.
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{name}/*",
            }
        ],
    }
    client.put_bucket_policy(Bucket=name, Policy=json.dumps(policy))
    for variable, value in {
        "S3_BUCKET": name,
        "S3_ENDPOINT_URL": s3_endpoint,
        "S3_REGION": REGION,
        "S3_ACCESS_KEY_ID": KEY,
        "S3_SECRET_ACCESS_KEY": SECRET,
    }.items():
        monkeypatch.setenv(variable, value)
    # Assigning STORAGES resets Django's storage handler and default_storage.
    settings.STORAGES = {**settings.STORAGES, "default": env.storage_config()}
    settings.SERVE_MEDIA = False
    found = Bucket(name=name, endpoint=s3_endpoint, client=client)
    assert default_storage.url("a.png") == f"{found.url_prefix}a.png"
    return found


def png_bytes(size=(1200, 800), colour=(30, 120, 200)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def image_srcs(html: str, css_class: str = "") -> list[str]:
    """The src of each <img> in `html` (of the given class only, when one is named)."""
    srcs = []
    for tag in re.findall(r"<img\b[^>]*>", html):
        attributes = dict(re.findall(r'([\w-]+)="([^"]*)"', tag))
        if not css_class or css_class in attributes.get("class", "").split():
            srcs.append(unescape(attributes["src"]))
    return srcs


def meta(html: str, prop: str) -> str:
    match = re.search(rf'<meta property="{re.escape(prop)}" content="([^"]*)"', html)
    assert match, f"no {prop} in the page"
    return unescape(match[1])


def assert_image_served(url: str, bucket: Bucket, *, content_type: str, size=None) -> bytes:
    """The URL points into the bucket and a reader's browser gets the image from it."""
    assert url.startswith(bucket.url_prefix), url
    status, served_type, data = fetch(url)
    assert status == 200 and served_type == content_type
    image = Image.open(io.BytesIO(data))
    if size is not None:
        assert image.size == size
    key = urllib.parse.unquote(url.removeprefix(bucket.url_prefix))
    assert data == bucket.object_bytes(key)
    return data


# Configuration


def test_local_files_by_default_and_a_shared_bucket_with_s3_bucket(monkeypatch):
    for variable in ("S3_BUCKET", "S3_CUSTOM_DOMAIN", "S3_LOCATION"):
        monkeypatch.delenv(variable, raising=False)
    assert env.storage_config() == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    monkeypatch.setenv("S3_BUCKET", "yaowen-media")
    monkeypatch.setenv("S3_CUSTOM_DOMAIN", "media.example.com")
    monkeypatch.setenv("S3_LOCATION", "/site/")
    config = env.storage_config()
    assert config["BACKEND"] == "yaowen.core.storage.PublicS3Storage"
    options = config["OPTIONS"]
    assert options["bucket_name"] == "yaowen-media" and options["location"] == "site"
    assert options["custom_domain"] == "media.example.com"
    assert "access_key" not in options  # unset: django-storages' own lookup (instance role)
    storage = PublicS3Storage(**options)
    assert storage.url("covers/a.jpg") == "https://media.example.com/site/covers/a.jpg"
    assert storage.querystring_auth is False and storage.file_overwrite is False


def test_with_a_bucket_django_does_not_serve_media():
    def settings_in_child(**variables: str) -> list[str]:
        child_env = {name: value for name, value in os.environ.items() if name != "SERVE_MEDIA"}
        child_env.update({"S3_BUCKET": "", **variables})
        code = (
            "import config.settings.base as s;"
            "print(s.STORAGES['default']['BACKEND'], s.SERVE_MEDIA)"
        )
        found = subprocess.run(
            [sys.executable, "-c", code],
            env=child_env,
            cwd=django_settings.BASE_DIR,
            capture_output=True,
            text=True,
            check=True,
        )
        return found.stdout.split()

    local = "django.core.files.storage.FileSystemStorage"
    assert settings_in_child() == [local, "True"]
    assert settings_in_child(SERVE_MEDIA="false") == [local, "False"]
    s3 = "yaowen.core.storage.PublicS3Storage"
    assert settings_in_child(S3_BUCKET="media", SERVE_MEDIA="true") == [s3, "False"]


def test_urls_are_the_ones_botocore_builds():
    options = {
        "bucket_name": "media",
        "endpoint_url": "http://127.0.0.1:9",
        "region_name": REGION,
        "access_key": KEY,
        "secret_key": SECRET,
    }
    for location in ("", "site"):
        ours = PublicS3Storage(**options, location=location)
        reference = S3Storage(**options, location=location, querystring_auth=False)
        for name in AWKWARD_NAMES:
            assert ours.url(name) == reference.url(name)
    aws = {"bucket_name": "media", "region_name": "ap-east-1"}
    reference = S3Storage(**aws, querystring_auth=False)
    assert PublicS3Storage(**aws).url("a b.jpg") == reference.url("a b.jpg")


# The real code paths, on the bucket


@pytest.mark.django_db
def test_a_studio_upload_lands_in_the_bucket_and_pages_show_it_from_there(client, bucket):
    creator = CreatorFactory(user=UserFactory())
    client.force_login(creator.user)
    client.post(
        reverse("studio:new"),
        {
            "title": "一款新手机的上手体验",
            "channel": Channel.objects.get(slug="digital").pk,
            "tags": "手机",
            "summary": "",
            "body_source": "导语段落。\n\n## 外观\n\n很轻薄。",
            "references": "",
            "scheduled_at": "",
            "action": "save",
        },
    )
    article = Article.objects.get(author=creator)
    upload = SimpleUploadedFile("photo.png", png_bytes())
    client.post(
        reverse("studio:image", args=[article.pk]),
        {"image": upload, "alt": "蓝色的样机", "caption": "新机外观"},
    )
    image = ArticleImage.objects.get()
    stored = bucket.keys("images/")
    assert image.file.name in stored
    assert {variant["name"] for variant in image.variants} <= set(stored)
    assert len(stored) == 1 + len(image.variants)
    article.refresh_from_db()
    assert article.cover.name == image.file.name

    # The figure in the body and the cover thumbnails point into the bucket and load.
    [figure] = image_srcs(article.body_html)
    assert_image_served(figure, bucket, content_type="image/png", size=(1200, 800))
    published = ArticleFactory(author=creator, cover=image.file.name)
    page = client.get(published.get_absolute_url()).content.decode()
    assert meta(page, "og:image") == image.file.url
    for path in (reverse("web:home"), creator.get_absolute_url()):
        assert image_srcs(client.get(path).content.decode(), "thumb") == [image.file.url]
    [card] = author_recent_cards(author_id=creator.pk)
    assert card.cover_url == image.file.url
    # Nothing is written under MEDIA_ROOT.
    assert not Path(django_settings.MEDIA_ROOT).exists()


@pytest.mark.django_db
def test_two_applicants_avatars_are_two_objects_the_reviewer_sees(client, bucket):
    tech = Channel.objects.get(slug="tech")
    colours = {"科技早知道": (200, 60, 60), "数码观察站": (60, 200, 60)}
    for display_name, colour in colours.items():
        client.force_login(UserFactory())
        avatar = SimpleUploadedFile("avatar.png", png_bytes((64, 64), colour))
        data = {
            "account_type": "personal",
            "display_name": display_name,
            "field": tech.pk,
            "bio": "每天一篇科技评论",
            "contact": "138 0013 8000",
            "statement": "十年科技媒体从业经验，曾任科技版编辑。",
            "avatar": avatar,
        }
        client.post(reverse("accounts:apply"), data)
    applications = list(CreatorApplication.objects.order_by("pk"))
    assert len(applications) == 2
    # Both upload "avatar.png": the second must not overwrite the first.
    names = {application.avatar.name for application in applications}
    assert len(names) == 2 and names <= set(bucket.keys("avatars/"))
    client.force_login(editor())
    for application, colour in zip(applications, colours.values(), strict=True):
        page = client.get(reverse("moderation:application", args=[application.pk]))
        [src] = image_srcs(page.content.decode(), "avatar")
        data = assert_image_served(src, bucket, content_type="image/png", size=(64, 64))
        assert Image.open(io.BytesIO(data)).convert("RGB").getpixel((10, 10)) == colour


@pytest.mark.django_db
def test_share_cards_are_drawn_once_into_the_bucket_for_every_web_server(client, bucket):
    article = ArticleFactory(title="长江流域迎来今冬首场寒潮", cover="")
    page = client.get(article.get_absolute_url()).content.decode()
    card_path = meta(page, "og:image").removeprefix("http://testserver")
    response = client.get(card_path)
    # Django does not serve media here: the card is fetched from the bucket.
    assert response.status_code == 302
    assert "max-age=86400" in response["Cache-Control"]
    location = response["Location"]
    assert_image_served(location, bucket, content_type="image/png", size=(1200, 630))
    assert bucket.keys("share/articles/") == [location.removeprefix(bucket.url_prefix)]
    # Another web server, with an empty cache, finds the card instead of drawing another.
    cache.clear()
    assert client.get(card_path)["Location"] == location
    assert len(bucket.keys("share/articles/")) == 1
    # An edit draws a new card.
    article.title = "寒潮过后江南气温回升"
    article.save()
    new_path = meta(client.get(article.get_absolute_url()).content.decode(), "og:image")
    assert new_path != card_path
    new_location = client.get(new_path.removeprefix("http://testserver"))["Location"]
    assert new_location != location and len(bucket.keys("share/articles/")) == 2
    for path, size in ((reverse("web:site_share_image"), (1200, 630)), ("/logo.png", (512, 512))):
        target = client.get(path)["Location"]
        assert_image_served(target, bucket, content_type="image/png", size=size)


@pytest.mark.django_db
def test_the_demo_writes_figures_and_avatars_into_the_bucket(client, bucket):
    demo_build(size=DemoSize(creators=3, articles=12, readers=3))
    figures = bucket.keys("demo/figures/")
    assert len(figures) == 48
    avatars = set(bucket.keys("avatars/demo/"))
    article = Article.objects.exclude(cover="").order_by("pk").first()
    assert article.cover.name in figures
    assert article.author.avatar.name in avatars
    page = client.get(article.get_absolute_url()).content.decode()
    figure = next(src for src in image_srcs(page) if "/demo/figures/" in src)
    assert_image_served(figure, bucket, content_type="image/webp")
    [avatar] = image_srcs(page, "avatar")
    assert_image_served(avatar, bucket, content_type="image/png", size=(128, 128))


# Local files, Django not serving them


@pytest.mark.django_db
def test_share_cards_redirect_to_media_served_by_the_web_server_in_front(client, settings):
    settings.SERVE_MEDIA = False
    article = ArticleFactory(title="Cold wave reaches Wuhan")
    response = client.get(reverse("web:article_share_image", args=[article.pk]))
    assert response.status_code == 302
    name = response["Location"].removeprefix(settings.MEDIA_URL)
    assert name.startswith(f"share/articles/{article.pk}/")
    card = Image.open(Path(settings.MEDIA_ROOT) / name)
    assert card.size == (1200, 630)


@pytest.mark.django_db
def test_a_share_card_deleted_from_the_media_folder_is_drawn_again(client):
    article = ArticleFactory(title="Cold wave reaches Nanjing")
    path = reverse("web:article_share_image", args=[article.pk])
    first = client.get(path)
    [name] = default_storage.listdir(f"share/articles/{article.pk}")[1]
    default_storage.delete(f"share/articles/{article.pk}/{name}")
    again = client.get(path)  # the cache still names the deleted file
    assert again.status_code == 200 and again.content == first.content
