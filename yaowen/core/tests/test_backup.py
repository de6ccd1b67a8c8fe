"""`manage.py backup` and `restore`: a site backed up while it runs comes back whole in an
empty instance (another process, another database and media folder); bad archives and
occupied instances are refused with a message, never a traceback."""

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from yaowen.core.backup import DATABASE_MEMBER, MANIFEST
from yaowen.core.tests.factories import CreatorFactory, UserFactory, story
from yaowen.core.tests.test_imaging import png
from yaowen.engagement.models import Comment
from yaowen.engagement.services.comments import comment_create
from yaowen.engagement.services.reactions import article_like_set
from yaowen.newsroom.models import Article, ArticleImage, Channel
from yaowen.newsroom.services import article_create, article_publish
from yaowen.newsroom.services.images import image_upload

ROOT = Path(settings.BASE_DIR)

pytestmark = pytest.mark.django_db(transaction=True)


def site_contents() -> dict:
    """Every article, comment and image with what a reader would see of it (image bytes
    as hashes), read through the ORM and the storage API of the running settings."""

    def digest(name: str) -> str:
        with default_storage.open(name, "rb") as stored:
            return hashlib.sha256(stored.read()).hexdigest()

    return {
        "articles": [
            [a.pk, a.title, a.status, a.body_html, a.comment_count, a.like_count]
            for a in Article.objects.order_by("pk")
        ],
        "comments": [
            [c.pk, c.article_id, c.user.username, c.body, c.parent_id]
            for c in Comment.objects.select_related("user").order_by("pk")
        ],
        "images": [
            [i.pk, i.alt, {name: digest(name) for name in _image_files(i)}]
            for i in ArticleImage.objects.order_by("pk")
        ],
    }


def _image_files(image: ArticleImage) -> list[str]:
    return [image.file.name, *(variant["name"] for variant in image.variants)]


def _build_site() -> None:
    society = Channel.objects.get(slug="society")
    creator = CreatorFactory()
    image = image_upload(owner=creator, data=png(), alt="湖面上的白鹤")
    articles = []
    for number in range(3):
        article = article_create(
            author=creator,
            channel=society,
            title=f"青岚湖湿地迎来越冬候鸟第{number + 1}批",
            body_source=f"{story()}\n\n![湖面上的白鹤]({image.file.url})",
        )
        articles.append(article_publish(article=article, by=creator.user))
    for reader in UserFactory.create_batch(3):
        for article in articles:
            comment_create(user=reader, article=article, body="保护湿地，人人有责。")
            article_like_set(article=article, user=reader, liked=True)
    first = Comment.objects.filter(article=articles[0]).first()
    comment_create(user=creator.user, article=articles[0], body="谢谢关注。", parent=first)


def _instance(folder: Path) -> dict[str, str]:
    """The environment of a new, empty instance with production settings."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "SQLITE_PATH": str(folder / "site.sqlite3"),
        "MEDIA_ROOT": str(folder / "media"),
        "CACHE_DIR": str(folder / "cache"),
        "QUEUE_PATH": str(folder / "queue.sqlite3"),
        "CLASSIFIER_PATH": str(folder / "classifier.joblib"),
    }
    env.pop("REDIS_URL", None)  # its own cache on disk, away from the test run's Redis
    return env


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def empty_instance(tmp_path):
    """A fresh SQLite file and media folder; on the PostgreSQL pass a fresh database on the
    same server, dropped afterwards."""
    env = _instance(tmp_path / "restored")
    server = os.environ.get("DATABASE_URL")
    if not server:
        yield env
        return
    name = f"ywrestore{uuid.uuid4().hex[:10]}"
    admin_url = server.replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = server.rsplit("/", 1)[0] + f"/{name}"
    try:
        yield env
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_restored_backup_has_every_article_comment_and_image(tmp_path, empty_instance):
    _build_site()
    before = site_contents()
    assert len(before["articles"]) == 3 and len(before["comments"]) == 10
    assert len(before["images"]) == 1 and len(before["images"][0][2]) >= 2  # + variants

    out = io.StringIO()
    call_command("backup", output=tmp_path / "backups", stdout=out, stderr=io.StringIO())
    archive = Path(out.getvalue().splitlines()[0])
    assert archive.parent == tmp_path / "backups" and archive.name.endswith(".tar.gz")
    assert "3 articles, 10 comments, 1 images" in out.getvalue()
    assert [p.name for p in archive.parent.iterdir()] == [archive.name]  # nothing partial

    restored = _manage(empty_instance, "restore", str(archive), "--yes")
    assert restored.returncode == 0, restored.stderr
    assert "3 articles, 10 comments, 1 images" in restored.stdout
    assert "migrate" not in restored.stdout  # the backup's schema is the code's

    read = _manage(
        empty_instance,
        *("shell", "--no-imports", "-c"),
        "import json; from yaowen.core.tests.test_backup import site_contents;"
        "print(json.dumps(site_contents()))",
    )
    assert read.returncode == 0, read.stderr
    assert json.loads(read.stdout.strip().splitlines()[-1]) == json.loads(json.dumps(before))

    again = _manage(empty_instance, "restore", str(archive), "--yes")
    assert again.returncode != 0
    assert "This instance is not empty: it holds" in again.stderr
    assert "3 articles" in again.stderr and "--force" in again.stderr
    assert "Traceback" not in again.stderr

    forced = _manage(empty_instance, "restore", str(archive), "--yes", "--force")
    assert forced.returncode == 0, forced.stderr
    assert "already there" in forced.stdout


def _archive(path: Path, members: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def _restore_error(archive: Path) -> str:
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(archive), yes=True, stderr=io.StringIO())
    return str(refused.value)


def test_bad_archives_are_refused_with_a_clear_message(tmp_path):
    assert "does not exist" in _restore_error(tmp_path / "missing.tar.gz")

    text = tmp_path / "notes.txt"
    text.write_text("not an archive")
    assert "is not a complete Yaowen backup" in _restore_error(text)

    no_manifest = _archive(tmp_path / "other.tar.gz", {"hello.txt": b"hi"})
    assert "unexpected entry" in _restore_error(no_manifest)

    escaping = _archive(tmp_path / "escape.tar.gz", {"media/../../etc/x": b"x"})
    assert "unexpected entry" in _restore_error(escaping)

    other = "postgresql" if os.environ.get("DATABASE_URL") is None else "sqlite"
    manifest = {
        "format": 1,
        "created_at": "2026-01-01T00:00:00+00:00",
        "database": other,
        "tables": {},
        "media_files": 0,
        "media_bytes": 0,
    }
    foreign = _archive(
        tmp_path / "foreign.tar.gz",
        {DATABASE_MEMBER[other]: b"...", MANIFEST: json.dumps(manifest).encode()},
    )
    assert "restore it into an instance of the same kind" in _restore_error(foreign)

    out = io.StringIO()
    call_command("backup", output=tmp_path / "backups", stdout=out, stderr=io.StringIO())
    whole = Path(out.getvalue().splitlines()[0])
    data = whole.read_bytes()
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(data[: len(data) // 2])
    assert "is not a complete Yaowen backup" in _restore_error(cut)
    damaged = tmp_path / "damaged.tar.gz"
    middle = len(data) // 2
    damaged.write_bytes(data[:middle] + bytes(64) + data[middle + 64 :])
    assert "Yaowen backup" in _restore_error(damaged)  # a checksum or a header
