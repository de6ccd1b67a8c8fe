"""原创 claims: a false claim confirmed by an editor, and an appeal that reinstates it."""

import pytest
from django.urls import reverse

from yaowen.core.errors import ApplicationError, PermissionDeniedError
from yaowen.core.tests.factories import ArticleFactory, CreatorFactory, UserFactory
from yaowen.governance.models import AuditEntry, EditorScope, Notification
from yaowen.governance.roles import Action
from yaowen.newsroom.models import Channel
from yaowen.standing.models import Standing, Violation
from yaowen.standing.services import (
    NOT_CLAIMED_ORIGINAL,
    REASON_REQUIRED,
    original_claim_reinstate,
    original_claim_reject,
    standing_refresh,
)
from yaowen.standing.tests.helpers import make_editor

pytestmark = pytest.mark.django_db


@pytest.fixture
def claimed():
    return ArticleFactory(is_original=True, author=CreatorFactory())


def test_rejecting_a_false_claim_removes_the_badge_and_costs_standing(claimed):
    creator = claimed.author
    before = standing_refresh(creator=creator).parts["originality"]
    editor = make_editor()
    result = original_claim_reject(article=claimed, by=editor, reason="全文转载自某报，非原创")
    claimed.refresh_from_db()
    assert not claimed.is_original and not result.is_original
    violation = Violation.objects.get(creator=creator)
    assert (violation.kind, violation.article, violation.by) == ("false_original", claimed, editor)
    assert violation.reason == "全文转载自某报，非原创"
    standing = Standing.objects.get(creator=creator)
    assert standing.parts["originality"] < before
    assert standing.parts["health"] < 100


def test_the_creator_is_told_why_and_the_decision_is_audited(claimed):
    editor = make_editor()
    original_claim_reject(article=claimed, by=editor, reason="与他人文章雷同")
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.subject_type, entry.subject_id) == (
        editor,
        Action.ORIGINAL_CLAIM_REVIEW,
        "article",
        claimed.pk,
    )
    assert entry.before == {"is_original": True} and entry.after == {"is_original": False}
    assert entry.reason == "与他人文章雷同"
    notice = Notification.objects.get(recipient=claimed.author.user)
    assert notice.kind == Notification.Kind.MODERATION
    assert notice.reason == "与他人文章雷同" and notice.article == claimed
    assert notice.audit_entry == entry


@pytest.mark.parametrize("who", ["reader", "creator", "the author"])
def test_only_editors_may_reject_a_claim(claimed, who):
    by = {
        "reader": UserFactory,
        "creator": lambda: CreatorFactory().user,
        "the author": lambda: claimed.author.user,
    }[who]()
    with pytest.raises(PermissionDeniedError):
        original_claim_reject(article=claimed, by=by, reason="不是原创")
    claimed.refresh_from_db()
    assert claimed.is_original
    assert not Violation.objects.exists() and not AuditEntry.objects.exists()


def test_an_editor_limited_to_other_channels_may_not_reject(claimed):
    editor = make_editor()
    scope = EditorScope.objects.create(user=editor)
    scope.channels.add(Channel.objects.get(slug="sports"))
    with pytest.raises(PermissionDeniedError):
        original_claim_reject(article=claimed, by=editor, reason="不是原创")
    claimed.refresh_from_db()
    assert claimed.is_original


def test_a_reason_is_required_and_only_claimed_articles_can_be_rejected(claimed):
    editor = make_editor()
    with pytest.raises(ApplicationError) as error:
        original_claim_reject(article=claimed, by=editor, reason="  ")
    assert error.value.message == str(REASON_REQUIRED)
    with pytest.raises(ApplicationError) as error:
        original_claim_reject(article=ArticleFactory(), by=editor, reason="不是原创")
    assert error.value.message == str(NOT_CLAIMED_ORIGINAL)
    assert not Violation.objects.exists() and not Notification.objects.exists()


def test_the_public_article_page_loses_its_badge(
    client, claimed, django_capture_on_commit_callbacks
):
    url = reverse("web:article", args=[claimed.pk])
    assert 'class="tag-original"' in client.get(url).text  # now cached for visitors
    with django_capture_on_commit_callbacks(execute=True):
        original_claim_reject(article=claimed, by=make_editor(), reason="不是原创")
    assert 'class="tag-original"' not in client.get(url).text


def test_a_successful_appeal_reinstates_the_claim_and_voids_the_violation(claimed):
    creator = claimed.author
    original_claim_reject(article=claimed, by=make_editor(), reason="不是原创")
    lowered = Standing.objects.get(creator=creator).score
    other_editor = make_editor()
    original_claim_reinstate(article=claimed, by=other_editor, reason="作者提供了采访素材")
    claimed.refresh_from_db()
    assert claimed.is_original
    violation = Violation.objects.get()
    assert violation.is_void and violation.void_reason == "作者提供了采访素材"
    assert Standing.objects.get(creator=creator).score > lowered
    with pytest.raises(PermissionDeniedError):
        original_claim_reinstate(article=claimed, by=creator.user, reason="我说是原创")


def test_a_refused_claim_cannot_be_made_again_by_editing_or_restoring_a_revision(claimed):
    from yaowen.newsroom.models import ArticleRevision
    from yaowen.newsroom.services import ArticleInput, article_update, revision_restore
    from yaowen.newsroom.services.articles import ORIGINAL_CLAIM_WITHDRAWN

    author = claimed.author.user
    claiming = ArticleInput(
        title="再声明一次", channel=claimed.channel, body_source="正文", is_original=True
    )
    article_update(article=claimed, data=claiming, by=author)  # a revision that claims
    original_claim_reject(article=claimed, by=make_editor(), reason="转载")
    claimed.refresh_from_db()
    with pytest.raises(ApplicationError) as refused:
        article_update(article=claimed, data=claiming, by=author)
    assert refused.value.message == str(ORIGINAL_CLAIM_WITHDRAWN)
    revision = ArticleRevision.objects.filter(article=claimed, is_original=True).last()
    with pytest.raises(ApplicationError):
        revision_restore(article=claimed, revision=revision, by=author)
    # Editing without the claim still works, and after a granted appeal the claim is back.
    plain = ArticleInput(title="不再声明", channel=claimed.channel, body_source="正文")
    assert not article_update(article=claimed, data=plain, by=author).is_original
    original_claim_reinstate(article=claimed, by=make_editor(), reason="有采访素材")
    claimed.refresh_from_db()
    assert claimed.is_original
