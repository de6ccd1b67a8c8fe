"""The word-list pages: administrators only; list, filter, add, edit, delete, import,
export and try a text."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from yaowen.governance.models import AuditEntry
from yaowen.wordfilter.forms import IMPORT_EMPTY, IMPORT_NOT_TEXT
from yaowen.wordfilter.models import SensitiveWord
from yaowen.wordfilter.services import WORD_EMPTY, WORD_EXISTS, word_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def words(admin):
    made = {}
    for word, category, action in [
        ("賭博", "gambling", "review"),
        ("发财", "ads", "mask"),
        ("=cmd", "other", "block"),
    ]:
        made[word] = word_create(word=word, category=category, action=action, by=admin)
    return made


def test_anonymous_readers_and_editors_are_kept_out(client, reader, editor, words):
    index = reverse("wordfilter:index")
    assert reverse("accounts:login") in client.get(index)["Location"]
    pk = words["发财"].pk
    for user in (reader, editor):
        client.force_login(user)
        for url in (
            index,
            reverse("wordfilter:add"),
            reverse("wordfilter:edit", args=[pk]),
            reverse("wordfilter:delete", args=[pk]),
            reverse("wordfilter:import"),
            reverse("wordfilter:export"),
            reverse("wordfilter:check"),
        ):
            assert client.get(url).status_code == 403, url
        assert client.post(reverse("wordfilter:delete", args=[pk])).status_code == 403
        response = client.post(
            reverse("wordfilter:add"), {"word": "博彩", "category": "gambling", "action": "block"}
        )
        assert response.status_code == 403
    assert SensitiveWord.objects.count() == 3


def test_the_list_filters_by_category_and_action_and_searches_any_form(client, admin, words):
    client.force_login(admin)
    html = client.get(reverse("wordfilter:index")).content.decode()
    assert "賭博" in html and "发财" in html and "词库共 3 个词" in html
    html = client.get(reverse("wordfilter:index"), {"category": "ads"}).content.decode()
    assert "发财" in html and "賭博" not in html
    html = client.get(reverse("wordfilter:index"), {"action": "review"}).content.decode()
    assert "賭博" in html and "发财" not in html
    html = client.get(reverse("wordfilter:index"), {"q": "赌 博"}).content.decode()
    assert "賭博" in html and "发财" not in html
    # Nonsense filters are ignored, never a 500.
    response = client.get(reverse("wordfilter:index"), {"category": "x", "action": "mask"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "发财" in html and "賭博" not in html


def test_adding_a_word(client, admin, words):
    client.force_login(admin)
    response = client.post(
        reverse("wordfilter:add"),
        {"word": "博彩", "category": "gambling", "action": "block", "note": "新增"},
    )
    assert response.status_code == 302
    word = SensitiveWord.objects.get(word="博彩")
    assert (word.category, word.action, word.note, word.created_by) == (
        "gambling",
        "block",
        "新增",
        admin,
    )
    html = client.get(response["Location"]).content.decode()
    assert "已添加“博彩”。" in html


@pytest.mark.parametrize(
    ("word", "message"),
    [("发 財", str(WORD_EXISTS).format(word="发 財", existing="发财")), ("？！", str(WORD_EMPTY))],
)
def test_a_refused_word_shows_why(client, admin, words, word, message):
    client.force_login(admin)
    response = client.post(
        reverse("wordfilter:add"), {"word": word, "category": "ads", "action": "mask"}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert SensitiveWord.objects.count() == 3


def test_bad_choices_are_form_errors(client, admin):
    client.force_login(admin)
    response = client.post(
        reverse("wordfilter:add"), {"word": "词", "category": "nope", "action": "block"}
    )
    assert response.status_code == 200
    assert "has-error" in response.content.decode()
    assert not SensitiveWord.objects.exists()


def test_editing_a_word(client, admin, words):
    client.force_login(admin)
    url = reverse("wordfilter:edit", args=[words["发财"].pk])
    assert 'value="发财"' in client.get(url).content.decode()
    response = client.post(url, {"word": "发大财", "category": "ads", "action": "review"})
    assert response.status_code == 302
    words["发财"].refresh_from_db()
    assert (words["发财"].word, words["发财"].action) == ("发大财", "review")
    assert client.get(reverse("wordfilter:edit", args=[999999])).status_code == 404


def test_deleting_a_word_asks_first(client, admin, words):
    client.force_login(admin)
    url = reverse("wordfilter:delete", args=[words["发财"].pk])
    assert "删除“发财”？" in client.get(url).content.decode()
    assert SensitiveWord.objects.filter(word="发财").exists()
    response = client.post(url, {"reason": "误伤"})
    assert response.status_code == 302
    assert not SensitiveWord.objects.filter(word="发财").exists()
    assert AuditEntry.objects.filter(subject_type="word").latest("pk").reason == "误伤"


def test_importing_pasted_words_and_a_file(client, admin, words):
    client.force_login(admin)
    upload = SimpleUploadedFile("words.txt", "\ufeff六合彩\r\n网赌\r\n".encode())
    response = client.post(
        reverse("wordfilter:import"),
        {
            "words": "博彩\n发 财\n\n# 注释\n……",
            "file": upload,
            "category": "gambling",
            "action": "review",
        },
        follow=True,
    )
    html = response.content.decode()
    assert "已导入 3 个词，跳过重复 1 个、无效 1 个。" in html
    assert "……" in html  # the skipped lines are listed
    assert set(
        SensitiveWord.objects.filter(category="gambling", action="review").values_list(
            "word", flat=True
        )
    ) == {"賭博", "博彩", "六合彩", "网赌"}


def test_an_import_needs_words_and_text_files(client, admin):
    client.force_login(admin)
    url = reverse("wordfilter:import")
    response = client.post(url, {"words": "  ", "category": "other", "action": "mask"})
    assert str(IMPORT_EMPTY) in response.content.decode()
    upload = SimpleUploadedFile("words.txt", "博彩".encode("gbk"))
    response = client.post(url, {"file": upload, "category": "other", "action": "mask"})
    assert response.status_code == 200
    assert str(IMPORT_NOT_TEXT) in response.content.decode()
    assert not SensitiveWord.objects.exists()


def test_the_csv_export_opens_in_spreadsheets_and_follows_the_filters(client, admin, words):
    client.force_login(admin)
    response = client.get(reverse("wordfilter:export"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0][:5] == ["word", "category", "category_label", "action", "action_label"]
    assert [row[:5] for row in rows[1:]] == [
        ["賭博", "gambling", "赌博", "review", "送人工审核"],
        ["发财", "ads", "广告", "mask", "替换为＊"],
        ["'=cmd", "other", "其他", "block", "禁止发布"],  # never run as a formula
    ]
    response = client.get(reverse("wordfilter:export"), {"category": "ads"})
    text = b"".join(response.streaming_content).decode("utf-8")
    assert len(text.strip().splitlines()) == 2


def test_trying_a_text_shows_the_hits_highlighted(client, admin, words):
    client.force_login(admin)
    response = client.post(reverse("wordfilter:check"), {"text": "<i>网上赌 博</i>，恭喜發財"})
    html = response.content.decode()
    assert '<mark class="word-hit" title="赌博">赌 博</mark>' in html
    assert '<mark class="word-hit" title="广告">發財</mark>' in html
    assert "&lt;i&gt;" in html
    assert "送人工审核" in html
    assert "恭喜＊＊" in html
    response = client.post(reverse("wordfilter:check"), {"text": "今天天气很好"})
    assert "没有命中任何敏感词。" in response.content.decode()
