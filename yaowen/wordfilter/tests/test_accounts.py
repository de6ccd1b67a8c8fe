"""Names, nicknames, bios and statements are screened: block words are form errors naming
them, mask words are stored as ＊ (names refuse them, a name with ＊ names nobody)."""

from dataclasses import replace

import pytest
from django.urls import reverse

from yaowen.accounts.forms import ApplicationForm, RegisterForm
from yaowen.accounts.models import CreatorApplication, User
from yaowen.accounts.tests.images import png_upload
from yaowen.newsroom.models import Channel
from yaowen.wordfilter.services import word_blocked_message, word_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def lists(admin):
    for word, action in [("代开发票", "block"), ("发财", "mask"), ("博彩", "review")]:
        word_create(word=word, category="fraud", action=action, by=admin)


def application(**changes):
    data = {
        "account_type": "personal",
        "display_name": "江州观鸟笔记",
        "field": Channel.objects.get(slug="tech").pk,
        "bio": "记录江州的鸟类与湿地。",
        "contact": "邮箱联系",
        "statement": "从事鸟类观察十年，发表过多篇湿地调查报告。",
    } | changes
    return ApplicationForm(data, require_avatar=False)


def test_block_words_in_a_bio_or_statement_are_errors_naming_them():
    form = application(bio="专业代开 發票", statement="代.开.发.票服务")
    assert not form.is_valid()
    assert form.errors["bio"] == [word_blocked_message(["代开发票"])]
    assert form.errors["statement"] == [word_blocked_message(["代开发票"])]


def test_mask_words_are_stored_masked_and_review_words_pass():
    form = application(bio="祝大家發財，也聊博彩史")
    assert form.is_valid(), form.errors
    assert form.to_input().bio == "祝大家＊＊，也聊博彩史"


def test_names_refuse_mask_words_too():
    form = application(display_name="发财笔记")
    assert not form.is_valid()
    assert form.errors["display_name"] == [word_blocked_message(["发财"])]


def test_a_masked_application_is_submitted_masked(client):
    user = User.objects.create_user("applicant", password="pass-word-123")
    client.force_login(user)
    data = {
        "account_type": "personal",
        "display_name": "江州观鸟笔记",
        "field": Channel.objects.get(slug="tech").pk,
        "bio": "祝大家发财",
        "contact": "邮箱联系",
        "statement": "从事鸟类观察十年。",
    }
    response = client.post(reverse("accounts:apply"), data | {"avatar": png_upload()})
    assert response.status_code == 302
    assert CreatorApplication.objects.get(user=user).bio == "祝大家＊＊"


@pytest.mark.parametrize(
    ("nickname", "valid", "stored"),
    [("江州老王", True, "江州老王"), ("发财哥", True, "＊＊哥"), ("代开发票", False, None)],
)
def test_nicknames(nickname, valid, stored):
    form = RegisterForm(
        {
            "username": "wang",
            "nickname": nickname,
            "email": "wang@example.com",
            "password1": "a-long-pass-word-123",
            "password2": "a-long-pass-word-123",
        }
    )
    assert form.is_valid() is valid
    if valid:
        assert form.save().nickname == stored
    else:
        assert form.errors["nickname"] == [word_blocked_message(["代开发票"])]


def test_the_application_service_screens_words_whoever_calls_it():
    from yaowen.accounts.services import ApplicationInput, ApplicationInvalid, application_submit
    from yaowen.core.tests.factories import UserFactory

    user = UserFactory()
    data = ApplicationInput(
        account_type="personal",
        display_name="江州观鸟笔记",
        field=Channel.objects.get(slug="tech"),
        bio="记录江州的鸟类。",
        contact="邮箱联系",
        statement="专业代开发票，从事鸟类观察十年，发表过多篇湿地调查报告。",
    )
    with pytest.raises(ApplicationInvalid) as refused:
        application_submit(user=user, data=data)
    assert refused.value.errors["statement"] == [word_blocked_message(["代开发票"])]
    assert not CreatorApplication.objects.filter(user=user).exists()
    masked = "从事鸟类观察十年，祝大家发财，发表过多篇湿地调查报告。"
    stored = application_submit(user=user, data=replace(data, statement=masked))
    assert stored.statement == "从事鸟类观察十年，祝大家＊＊，发表过多篇湿地调查报告。"
