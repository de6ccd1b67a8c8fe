"""Word-list edits: only administrators, audited, unique by matching form, seen at once."""

import pytest
from django.core.cache import cache
from django.db import connection, transaction

from yaowen.core.errors import ApplicationError, PermissionDeniedError
from yaowen.governance.models import AuditEntry
from yaowen.governance.roles import NOT_ALLOWED, Action
from yaowen.wordfilter.models import SensitiveWord
from yaowen.wordfilter.services import (
    WORD_BAD_ACTION,
    WORD_EMPTY,
    WORD_EXISTS,
    WORD_TOO_LONG,
    highlight_html,
    screen_text,
    word_blocked_message,
    word_create,
    word_delete,
    word_update,
    words_import,
)

pytestmark = pytest.mark.django_db


def add(admin, word, category="gambling", action="block", note=""):
    return word_create(word=word, category=category, action=action, note=note, by=admin)


def test_a_new_word_is_screened_for_at_once_however_it_is_written(admin):
    assert screen_text("网上赌 博").hits == ()
    add(admin, "賭博", action="review")
    screening = screen_text("网上赌 博，发财")
    assert screening.action == "review"
    assert [(hit.word, hit.start, hit.end) for hit in screening.hits] == [("賭博", 2, 5)]


def test_mask_words_are_masked_and_block_words_named(admin):
    add(admin, "发财", category="ads", action="mask")
    add(admin, "代开发票", category="fraud", action="block")
    screening = screen_text("代开 发票，包你發財")
    assert screening.action == "block"
    assert screening.masked == "代开 发票，包你＊＊"
    assert screening.words("block") == ("代开发票",)
    assert word_blocked_message(screening.words("block")) == (
        "包含不允许发布的内容：代开发票。请修改后再提交。"
    )


@pytest.mark.parametrize("who", ["reader", "editor"])
def test_only_administrators_edit_the_lists(request, who, admin):
    user = request.getfixturevalue(who)
    word = add(admin, "赌博")
    for attempt in (
        lambda: add(user, "博彩"),
        lambda: word_update(
            sensitive_word=word, word="博彩", category="gambling", action="mask", by=user
        ),
        lambda: word_delete(sensitive_word=word, by=user),
        lambda: words_import(lines=["博彩"], category="gambling", action="block", by=user),
    ):
        with pytest.raises(PermissionDeniedError) as refused:
            attempt()
        assert refused.value.message == str(NOT_ALLOWED)
    assert list(SensitiveWord.objects.values_list("word", flat=True)) == ["赌博"]


def test_words_are_unique_by_matching_form(admin):
    add(admin, "发财")
    for variant in ("發財", "发 财", "ＦＡ发财"[2:], "发.财"):
        with pytest.raises(ApplicationError) as refused:
            add(admin, variant)
        assert refused.value.message == str(WORD_EXISTS).format(word=variant, existing="发财")
    assert SensitiveWord.objects.count() == 1


@pytest.mark.parametrize(
    ("word", "category", "action", "message"),
    [
        ("……", "other", "block", WORD_EMPTY),
        ("  ", "other", "block", WORD_EMPTY),
        ("字" * 51, "other", "block", WORD_TOO_LONG),
        ("词", "other", "delete", WORD_BAD_ACTION),
    ],
)
def test_bad_words_are_refused_with_a_reason(admin, word, category, action, message):
    with pytest.raises(ApplicationError) as refused:
        add(admin, word, category=category, action=action)
    assert refused.value.message == str(message)
    assert not SensitiveWord.objects.exists()


def test_every_change_is_audited_with_before_and_after(admin):
    word = add(admin, "发财", category="ads", action="mask", note="广告常见词")
    word_update(sensitive_word=word, word="发大财", category="ads", action="review", by=admin)
    word_delete(sensitive_word=word, by=admin, reason="误伤太多")
    entries = list(AuditEntry.objects.filter(subject_type="word").order_by("pk"))
    assert [(e.action, e.subject_id, e.actor_id) for e in entries] == [
        (Action.WORDS_EDIT, word.pk, admin.pk)
    ] * 3
    created, updated, deleted = entries
    assert created.before is None
    assert created.after == {
        "word": "发财",
        "category": "ads",
        "action": "mask",
        "note": "广告常见词",
    }
    assert updated.before["word"] == "发财"
    assert updated.after == {"word": "发大财", "category": "ads", "action": "review", "note": ""}
    assert deleted.before["word"] == "发大财"
    assert deleted.after is None
    assert deleted.reason == "误伤太多"


def test_an_update_and_a_delete_change_what_is_found(admin):
    word = add(admin, "发财", action="block")
    word_update(sensitive_word=word, word="发财", category="ads", action="mask", by=admin)
    assert screen_text("发财").action == "mask"
    word_delete(sensitive_word=word, by=admin)
    assert screen_text("发财").hits == ()


def test_an_unchanged_update_records_nothing(admin):
    word = add(admin, "发财")
    word_update(sensitive_word=word, word="发财", category="gambling", action="block", by=admin)
    assert AuditEntry.objects.filter(subject_type="word").count() == 1


def test_import_adds_new_words_and_reports_the_rest(admin):
    add(admin, "赌博")
    result = words_import(
        lines=["# 赌博类", "博彩", "", "賭博", "六合彩", "六 合 彩", "！！", "网赌 "],
        category="gambling",
        action="review",
        by=admin,
    )
    assert result.created == 3
    assert result.duplicates == ["六 合 彩", "賭博"]
    assert result.invalid == ["！！"]
    assert set(SensitiveWord.objects.filter(action="review").values_list("word", flat=True)) == {
        "博彩",
        "六合彩",
        "网赌",
    }
    entry = AuditEntry.objects.filter(subject_type="word").latest("pk")
    assert entry.after["imported"] == 3
    assert screen_text("六.合.彩").action == "review"


def test_import_reports_progress(admin):
    ticks = []

    def progress(label, total):
        ticks.append(total)
        return ticks.append

    words_import(
        lines=[f"词{i}" for i in range(2500)],
        category="other",
        action="mask",
        by=admin,
        progress=progress,
    )
    assert ticks == [2500, 1000, 1000, 500]


def test_highlight_escapes_the_text_and_marks_each_hit(admin):
    add(admin, "赌博", action="review")
    add(admin, "赌博网站", category="gambling", action="block")
    add(admin, "网站", category="ads", action="mask")
    text = "<b>赌博网站</b> 与 发财"
    html = highlight_html(text, screen_text(text).hits)
    assert html == (
        '&lt;b&gt;<mark class="word-hit" title="赌博、广告">赌博网站</mark>&lt;/b&gt; 与 发财'
    )


@pytest.mark.django_db(transaction=True)
def test_other_processes_recompile_when_the_version_stamp_changes(admin):
    assert screen_text("发财").hits == ()  # compiled and held for the current version
    # Another worker adds a word: its row, then (after its commit) a new version stamp.
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO wordfilter_sensitiveword (word, key, category, action, note, "
            "created_at, updated_at) VALUES (%s, %s, %s, %s, '', %s, %s)",
            ["发财", "发财", "ads", "mask", "2025-01-01 00:00:00+00", "2025-01-01 00:00:00+00"],
        )
    assert screen_text("发财").hits == ()  # this process still holds its matcher...
    cache.set("wordfilter:version", "bumped-by-another-worker", timeout=None)
    assert screen_text("发财").action == "mask"  # ...until the stamp moves


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_is_forgotten(admin):
    with pytest.raises(RuntimeError), transaction.atomic():
        add(admin, "发财")
        assert screen_text("发财").action == "block"
        raise RuntimeError
    assert screen_text("发财").hits == ()
    with transaction.atomic():
        add(admin, "发财")
    assert screen_text("发财").action == "block"
