"""Registering, logging in (throttled), passwords, and applying to become a creator."""

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from yaowen.accounts import rules
from yaowen.accounts.models import CreatorApplication, CreatorProfile, User
from yaowen.accounts.services import application_approve, application_reject
from yaowen.accounts.tests.images import png_upload
from yaowen.core.tests.factories import CreatorFactory, UserFactory
from yaowen.newsroom.models import Channel

pytestmark = pytest.mark.django_db


def test_register_logs_in_and_leads_to_the_application(client):
    response = client.post(
        reverse("accounts:register"),
        {
            "username": "newreader",
            "nickname": "新读者",
            "email": "new@example.com",
            "password1": "a-Long-pass-2026",
            "password2": "a-Long-pass-2026",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("accounts:apply")
    user = User.objects.get(username="newreader")
    assert user.password.startswith("argon2") or user.check_password("a-Long-pass-2026")
    assert "新读者" in client.get(reverse("web:home")).content.decode()


def test_passwords_are_hashed_with_argon2_outside_tests():
    from config.settings import base

    # The test settings swap in a fast hasher; every other environment uses Argon2.
    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_repeated_login_failures_make_this_client_wait_with_a_clear_message(client, settings):
    # The full rules are tested in test_throttle.py.
    settings.LOGIN_FAILURE_LIMIT = 3
    UserFactory(username="victim")
    for _attempt in range(3):
        response = client.post(
            reverse("accounts:login"), {"username": "victim", "password": "wrong"}
        )
        assert response.status_code == 200
    response = client.post(
        reverse("accounts:login"), {"username": "victim", "password": "pass-word-123"}
    )
    page = response.content.decode()
    assert "登录尝试过于频繁，请 1 秒后再试" in page
    assert "锁定" not in page
    assert "_auth_user_id" not in client.session


def test_a_good_login_works_and_resets_nothing_it_should_not(client):
    UserFactory(username="alice")
    response = client.post(
        reverse("accounts:login"), {"username": "alice", "password": "pass-word-123"}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_password_reset_mail_goes_out_with_a_working_link(client):
    user = UserFactory(email="me@example.com")
    client.post(reverse("accounts:password_reset"), {"email": "me@example.com"})
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password/reset/" in line)
    path = link.split("testserver", 1)[1]
    response = client.get(path, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else path
    response = client.post(
        form_url, {"new_password1": "Another-pass-77", "new_password2": "Another-pass-77"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Another-pass-77")


def application_data(**overrides):
    data = {
        "account_type": "personal",
        "display_name": "科技早知道",
        "field": Channel.objects.get(slug="tech").pk,
        "bio": "每天一篇科技评论",
        "contact": "138 0013 8000",
        "statement": "十年科技媒体从业经验，曾任科技版编辑。",
        "avatar": png_upload(),
    }
    data.update(overrides)
    return data


@pytest.fixture
def applicant(client):
    user = UserFactory()
    client.force_login(user)
    return user


def test_apply_needs_login(client):
    response = client.get(reverse("accounts:apply"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_a_valid_application_is_pending_and_its_avatar_cleaned(client, applicant):
    response = client.post(reverse("accounts:apply"), application_data(), follow=True)
    assert "审核中" in response.content.decode()
    application = CreatorApplication.objects.get(user=applicant)
    assert application.status == "pending" and application.submission_count == 1
    assert application.avatar.name.endswith(".png")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"display_name": "要闻官方"}, rules.NAME_RESERVED),
        ({"display_name": "新闻资讯"}, rules.NAME_GENERIC),
        ({"bio": "加微信领取资料 vx:abc123"}, None),
        ({"bio": "详见 www.example.com"}, rules.TEXT_HAS_URL),
        ({"field": "news"}, rules.FIELD_NEEDS_ORGANISATION),
    ],
)
def test_bad_applications_get_a_specific_message_and_nothing_is_stored(
    client, applicant, overrides, message
):
    if overrides.get("field") == "news":
        overrides["field"] = Channel.objects.get(slug="news").pk
    response = client.post(reverse("accounts:apply"), application_data(**overrides))
    assert response.status_code == 200
    html = response.content.decode()
    if message is not None:
        assert str(message) in html
    else:
        assert 'class="field-error"' in html
    assert not CreatorApplication.objects.exists()


def test_an_avatar_that_is_not_an_image_is_refused(client, applicant):
    fake = SimpleUploadedFile("avatar.png", b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    response = client.post(reverse("accounts:apply"), application_data(avatar=fake))
    assert "不是可识别的图片" in response.content.decode()
    assert not CreatorApplication.objects.exists()


def application_reviewer():
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="review_application"))
    return User.objects.get(pk=user.pk)


def test_rejected_applicants_see_reasons_and_may_resubmit_at_most_three_times(client, applicant):
    client.post(reverse("accounts:apply"), application_data())
    editor = application_reviewer()
    for attempt in range(1, 4):
        application = CreatorApplication.objects.get(user=applicant)
        assert application.submission_count == attempt
        application_reject(
            application=application, reviewer=editor, reasons=["name"], note="名称太泛"
        )
        page = client.get(reverse("accounts:apply")).content.decode()
        assert "名称不符合规范" in page and "名称太泛" in page
        if attempt < 3:
            client.post(
                reverse("accounts:apply"),
                application_data(display_name=f"科技早知道{attempt}", avatar=""),
            )
    page = client.get(reverse("accounts:apply")).content.decode()
    assert "不能再次提交" in page
    response = client.post(reverse("accounts:apply"), application_data(display_name="再来一次"))
    assert CreatorApplication.objects.get(user=applicant).submission_count == 3
    assert response.status_code == 200


def test_approval_makes_the_applicant_a_creator_with_that_identity(client, applicant):
    client.post(reverse("accounts:apply"), application_data())
    creator = application_approve(
        application=CreatorApplication.objects.get(user=applicant),
        reviewer=application_reviewer(),
    )
    assert isinstance(creator, CreatorProfile)
    assert creator.display_name == "科技早知道" and creator.field.slug == "tech"
    assert client.get(reverse("accounts:apply"))["Location"] == reverse("studio:dashboard")


def test_names_already_taken_are_refused(client, applicant):
    CreatorFactory(display_name="科技早知道")
    response = client.post(reverse("accounts:apply"), application_data())
    assert "已被使用" in response.content.decode()
