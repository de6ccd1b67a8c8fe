"""The audit log: entries are added, never changed or deleted through the application."""

import datetime as dt

import pytest
from django.contrib import admin
from django.db.models import ProtectedError
from django.test import RequestFactory

from yaowen.governance.audit import audit_action_choices, audit_record
from yaowen.governance.models import AppendOnlyError, AuditEntry
from yaowen.governance.roles import Action
from yaowen.moderation.tests import people

pytestmark = pytest.mark.django_db


def entry(**changes) -> AuditEntry:
    values = {
        "actor": people.editor("review_article"),
        "action": Action.ARTICLE_TAKE_DOWN,
        "subject_type": "article",
        "subject_id": 7,
        "reason": "  侵权投诉  ",
        "before": {"status": "published", "when": dt.date(2026, 11, 1)},
        "after": {"status": "removed"},
    }
    return audit_record(**{**values, **changes})


def test_an_entry_keeps_who_what_which_why_and_the_states():
    recorded = entry()
    stored = AuditEntry.objects.get()
    assert stored.pk == recorded.pk and stored.actor == recorded.actor
    assert (stored.action, stored.subject_type, stored.subject_id) == (
        "article_take_down",
        "article",
        7,
    )
    assert stored.reason == "侵权投诉"
    assert stored.before == {"status": "published", "when": "2026-11-01"}
    assert stored.after == {"status": "removed"}
    assert stored.created_at and stored.action_label == "下架文章"


def test_unknown_subject_types_are_a_programming_error():
    with pytest.raises(ValueError):
        entry(subject_type="planet")


def test_saving_an_existing_entry_again_is_refused():
    recorded = entry()
    recorded.reason = "改过的原因"
    with pytest.raises(AppendOnlyError):
        recorded.save()
    assert AuditEntry.objects.get().reason == "侵权投诉"


def test_deleting_an_entry_is_refused():
    recorded = entry()
    with pytest.raises(AppendOnlyError):
        recorded.delete()
    assert AuditEntry.objects.count() == 1


def test_queryset_update_and_delete_are_refused():
    entry()
    entry(subject_id=8)
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().update(reason="x")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(subject_id=7).delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.bulk_update(list(AuditEntry.objects.all()), ["reason"])
    assert list(AuditEntry.objects.values_list("reason", flat=True)) == ["侵权投诉"] * 2


def test_an_actor_with_entries_cannot_be_deleted_away():
    recorded = entry()
    with pytest.raises(ProtectedError):
        recorded.actor.delete()
    assert AuditEntry.objects.filter(pk=recorded.pk).exists()


def test_the_django_admin_shows_entries_read_only():
    model_admin = admin.site._registry[AuditEntry]
    request = RequestFactory().get("/")
    request.user = people.admin()
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, entry())
    assert not model_admin.has_delete_permission(request)


def test_action_choices_name_every_logged_action():
    labels = dict(audit_action_choices())
    assert labels["article_take_down"] == "下架文章"
    assert labels["appeal_reverse"] == "申诉成立，撤销原处理"
    assert labels["words_edit"] == "编辑敏感词"
