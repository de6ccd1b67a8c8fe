"""The audit log page: administrators only, filtered, paginated, exported as CSV."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from yaowen.governance.audit import audit_record
from yaowen.governance.models import AuditEntry
from yaowen.governance.roles import Action
from yaowen.moderation.tests import people

pytestmark = pytest.mark.django_db

LOG = reverse("moderation:audit")
EXPORT = reverse("moderation:audit_export")


def record(actor, action=Action.ARTICLE_TAKE_DOWN, subject_type="article", **fields):
    values = {"subject_id": 1, "reason": "侵权投诉", "before": None, "after": None}
    return audit_record(actor=actor, action=action, subject_type=subject_type, **values | fields)


def recorded_days_ago(days: int, actor, reason: str) -> AuditEntry:
    """An entry written `days` ago (entries are only ever added, so it is added so)."""
    return AuditEntry.objects.create(
        actor=actor,
        action=Action.ARTICLE_TAKE_DOWN,
        subject_type="article",
        subject_id=1,
        reason=reason,
        created_at=timezone.now() - dt.timedelta(days=days),
    )


def csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


@pytest.fixture
def admin(client):
    user = people.admin()
    client.force_login(user)
    return user


def test_only_administrators_see_the_log(client):
    for user in (
        people.reader(),
        people.creator(),
        people.editor(),
        people.editor("review_article"),
    ):
        client.force_login(user)
        assert client.get(LOG).status_code == 403
        assert client.get(EXPORT).status_code == 403
    client.force_login(people.admin(superuser=False))
    assert client.get(LOG).status_code == 200


def test_the_log_shows_who_what_why_and_the_states(client, admin):
    editor = people.editor()
    record(editor, subject_id=42, before={"status": "published"}, after={"status": "removed"})
    html = client.get(LOG).content.decode()
    assert editor.username in html and "下架文章" in html and "侵权投诉" in html
    assert reverse("moderation:article", args=[42]) in html
    assert "{&quot;status&quot;: &quot;published&quot;}" in html


def test_filters_by_actor_action_subject_and_dates(client, admin):
    first, second = people.editor(), people.editor()
    recorded_days_ago(10, first, "十天前的下架")
    record(first, action=Action.COMMENT_HIDE, subject_type="comment", reason="隐藏跟帖原因")
    record(second, reason="另一位编辑的下架")
    html = client.get(LOG, {"actor": first.pk}).content.decode()
    assert "十天前的下架" in html and "隐藏跟帖原因" in html and "另一位编辑的下架" not in html
    html = client.get(LOG, {"action": "comment_hide"}).content.decode()
    assert "隐藏跟帖原因" in html and "十天前的下架" not in html
    html = client.get(LOG, {"subject_type": "article"}).content.decode()
    assert "隐藏跟帖原因" not in html and "另一位编辑的下架" in html
    today = timezone.localdate()
    html = client.get(LOG, {"since": today.isoformat()}).content.decode()
    assert "十天前的下架" not in html and "另一位编辑的下架" in html
    until = (today - dt.timedelta(days=5)).isoformat()
    html = client.get(LOG, {"until": until}).content.decode()
    assert "十天前的下架" in html and "另一位编辑的下架" not in html


def test_bad_filters_are_form_errors(client, admin):
    response = client.get(LOG, {"since": "昨天", "actor": "999999"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="field-error"') == 2
    today = timezone.localdate()
    html = client.get(
        LOG, {"since": today.isoformat(), "until": (today - dt.timedelta(days=1)).isoformat()}
    ).content.decode()
    assert "开始日期不能晚于结束日期。" in html


def test_pages_keep_the_filters(client, admin):
    editor = people.editor()
    for n in range(55):
        record(editor, subject_id=n + 1)
    html = client.get(LOG, {"action": "article_take_down"}).content.decode()
    assert "?action=article_take_down&amp;page=2" in html
    assert f"{EXPORT}?action=article_take_down" in html
    second = client.get(LOG, {"action": "article_take_down", "page": 2}).content.decode()
    assert "第 2 / 2 页" in second


def test_csv_export_has_a_bom_a_chinese_header_and_the_filtered_rows(client, admin):
    editor = people.editor()
    record(editor, subject_id=7, reason='=HYPERLINK("x")', after={"status": "removed"})
    record(editor, action=Action.COMMENT_HIDE, subject_type="comment", subject_id=8)
    response = client.get(EXPORT, {"action": "article_take_down"})
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="audit-')
    header, *rows = csv_rows(response)
    assert header == [
        "时间", "操作人", "操作", "操作代码", "对象类型", "对象编号", "原因", "操作前", "操作后"
    ]  # fmt: skip
    assert len(rows) == 1
    row = rows[0]
    assert row[1:6] == [editor.username, "下架文章", "article_take_down", "文章", "7"]
    # A cell Excel would run as a formula is kept as text.
    assert row[6] == '\'=HYPERLINK("x")' and row[8] == '{"status": "removed"}'


def test_csv_export_refuses_bad_filters_with_a_message(client, admin):
    response = client.get(EXPORT, {"since": "不是日期"})
    assert response.status_code == 400 and "日期" in response.content.decode()
