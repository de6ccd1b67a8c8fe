"""Staff sign-in: second factors (authenticator app, recovery codes), the rule that editors
and administrators use one, the admin's login, and signed-in sessions."""

import re
import time

import pyotp
import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from yaowen.accounts.models import RecoveryCode, TotpDevice, UserSession
from yaowen.accounts.security import services, totp
from yaowen.accounts.security.devices import device_label
from yaowen.accounts.security.flow import PENDING
from yaowen.accounts.security.sealing import InvalidToken, seal, unseal
from yaowen.accounts.security.services import LAST_FACTOR, recovery_codes_new
from yaowen.accounts.security.views.factors import TOTP_SETUP
from yaowen.moderation.tests.people import editor, reader

pytestmark = pytest.mark.django_db

PASSWORD = "pass-word-123"
LOGIN = reverse("accounts:login")
VERIFY = reverse("accounts:login_verify")
SECURITY = reverse("accounts:security")
TOTP = reverse("accounts:totp_setup")
REVIEW = reverse("moderation:queue")
CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/126.0 Safari/537.36"
)
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


def password_step(client, user, next_url=""):
    data = {"username": user.username, "password": PASSWORD}
    return client.post(f"{LOGIN}?next={next_url}" if next_url else LOGIN, data)


def signed_in(client) -> bool:
    return SESSION_KEY in client.session


def secret_on_page(html: str) -> str:
    return "".join(re.search(r"<code>([A-Z2-7 ]+)</code>", html)[1].split())


def set_up_totp(client) -> str:
    """Through the set-up page as a person would: read the secret, type the app's code."""
    secret = secret_on_page(client.get(TOTP).content.decode())
    response = client.post(TOTP, {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 200
    assert "只显示这一次" in response.content.decode()
    return secret


def next_code(secret: str) -> str:
    """A code the app shows in the next 30 seconds: each code signs in once only."""
    return pyotp.TOTP(secret).at(time.time() + 30)


def with_totp(user) -> str:
    secret = pyotp.random_base32()
    services.totp_enable(user=user, secret=secret, code=pyotp.TOTP(secret).now())
    return secret


# Setting up and signing in with an authenticator app.


def test_a_reader_sets_up_totp_then_signs_in_with_password_and_code(client):
    person = reader()
    password_step(client, person)
    page = client.get(TOTP).content.decode()
    assert "<svg" in page and "扫描二维码" in page
    secret = set_up_totp(client)
    codes_page = client.get(SECURITY).content.decode()
    assert "还剩 10 个可用" in codes_page
    # Sealed at rest: the stored value is not the secret, and opens only with SECRET_KEY.
    device = TotpDevice.objects.get(user=person)
    assert secret not in device.sealed_secret
    assert services.totp_secret_unseal(device.sealed_secret) == secret
    assert TOTP_SETUP not in client.session

    client.post(reverse("accounts:logout"))
    response = password_step(client, person, next_url="/search/")
    assert response["Location"] == VERIFY
    assert not signed_in(client)  # pending, not logged in
    assert client.session[PENDING]["user"] == person.pk
    response = client.post(VERIFY, {"code": next_code(secret)})
    assert response.status_code == 302 and response["Location"] == "/search/"
    assert signed_in(client) and PENDING not in client.session


def test_a_wrong_setup_code_keeps_the_same_secret_and_stores_nothing(client):
    password_step(client, reader())
    secret = secret_on_page(client.get(TOTP).content.decode())
    response = client.post(TOTP, {"code": "000000"})
    assert "验证码不正确" in response.content.decode()
    assert secret_on_page(response.content.decode()) == secret
    assert not TotpDevice.objects.exists()


def test_wrong_and_reused_codes_are_refused(client):
    person = reader()
    secret = with_totp(person)
    password_step(client, person)
    response = client.post(VERIFY, {"code": "123456"})
    assert "验证码不正确或已使用过" in response.content.decode()
    assert not signed_in(client)
    code = next_code(secret)
    assert client.post(VERIFY, {"code": code}).status_code == 302
    other = Client()
    password_step(other, person)
    response = other.post(VERIFY, {"code": code})
    assert "验证码不正确或已使用过" in response.content.decode()
    assert not signed_in(other)


def test_second_factor_attempts_are_throttled(client, settings):
    settings.TWO_FACTOR_FAILURE_LIMIT = 3
    settings.TWO_FACTOR_LOCK_SECONDS = 600
    person = reader()
    secret = with_totp(person)
    password_step(client, person)
    for _attempt in range(3):
        client.post(VERIFY, {"code": "000000"})
    response = client.post(VERIFY, {"code": next_code(secret)})
    assert "验证失败次数过多，请 10 分钟后再试" in response.content.decode()
    assert not signed_in(client)


def test_a_recovery_code_signs_in_once(client):
    person = reader()
    with_totp(person)
    codes = recovery_codes_new(user=person)
    assert len(codes) == len(set(codes)) == 10
    stored = set(RecoveryCode.objects.values_list("digest", flat=True))
    assert not stored & set(codes)  # kept as keyed digests only
    password_step(client, person)
    response = client.post(VERIFY, {"code": codes[3].upper()}, follow=True)
    assert signed_in(client)
    assert "还剩 9 个" in response.content.decode()

    other = Client()
    password_step(other, person)
    response = other.post(VERIFY, {"code": codes[3]})
    assert "验证码不正确或已使用过" in response.content.decode()
    assert not signed_in(other)


def test_regenerating_recovery_codes_voids_the_old_ones(client):
    person = reader()
    client.force_login(person)
    with_totp(person)
    old = recovery_codes_new(user=person)
    page = client.post(reverse("accounts:recovery_codes")).content.decode()
    new = re.findall(r"<code>([a-z0-9-]{14})</code>", page)
    assert len(new) == 10 and not set(new) & set(old)
    assert services.code_verify(user=person, code=old[0]) is None
    assert services.code_verify(user=person, code=new[0]) == services.Used.RECOVERY


def test_the_pending_step_expires(client, monkeypatch):
    person = reader()
    secret = with_totp(person)
    password_step(client, person)
    later = time.time() + 301
    monkeypatch.setattr("yaowen.accounts.security.flow.time.time", lambda: later)
    response = client.post(VERIFY, {"code": next_code(secret)})
    assert response["Location"] == LOGIN
    assert not signed_in(client)


# Required for editors and administrators.


def test_an_editor_without_a_factor_can_open_nothing_until_one_is_set_up(client):
    person = editor()
    response = password_step(client, person, next_url=REVIEW)
    assert response["Location"].startswith(SECURITY)
    assert "请先设置两步验证" in client.get(response["Location"]).content.decode()
    for path in (REVIEW, "/appeals/", "/admin/", "/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith(SECURITY), path
    set_up_totp(client)
    assert client.get(REVIEW).status_code == 200
    assert client.get("/admin/").status_code == 200


def test_an_editor_with_a_factor_signs_in_through_the_second_step(client):
    person = editor()
    secret = with_totp(person)
    password_step(client, person, next_url=REVIEW)
    assert not signed_in(client)
    assert client.get(REVIEW)["Location"].startswith(LOGIN)
    response = client.post(VERIFY, {"code": next_code(secret)})
    assert response["Location"] == REVIEW
    assert client.get(REVIEW).status_code == 200


def test_a_reader_without_a_factor_is_unaffected(client):
    person = reader()
    response = password_step(client, person, next_url="/search/")
    assert response["Location"] == "/search/"
    assert signed_in(client)
    assert client.get(reverse("web:inbox")).status_code == 200
    assert "可选" in client.get(SECURITY).content.decode()


def test_staff_keep_at_least_one_factor(client):
    person = editor()
    with_totp(person)
    client.force_login(person)
    response = client.post(reverse("accounts:totp_remove"), follow=True)
    assert str(LAST_FACTOR) in response.content.decode()
    assert TotpDevice.objects.filter(user=person).exists()


def test_a_reader_may_remove_the_factor_and_its_recovery_codes_go_too(client):
    person = reader()
    with_totp(person)
    recovery_codes_new(user=person)
    client.force_login(person)
    client.post(reverse("accounts:totp_remove"))
    assert not TotpDevice.objects.filter(user=person).exists()
    assert not RecoveryCode.objects.filter(user=person).exists()


def test_the_admin_login_page_cannot_skip_the_second_step(client):
    person = editor()
    secret = with_totp(person)
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    response = client.post(
        "/admin/login/?next=/admin/", {"username": person.username, "password": PASSWORD}
    )
    assert response["Location"].startswith(LOGIN)
    assert not signed_in(client)
    # Any other way to a password-only session (here Django's login with the password
    # backend) is signed out at its next request.
    client.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get("/admin/")
    assert response["Location"].startswith(LOGIN)
    assert not signed_in(client)
    password_step(client, person, next_url="/admin/")
    assert client.post(VERIFY, {"code": next_code(secret)})["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_tests_still_sign_staff_in_with_force_login(client):
    client.force_login(editor())
    assert client.get(REVIEW).status_code == 200


# Signed-in sessions.


def login_as(person, user_agent: str, address: str) -> Client:
    browser = Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=address)
    password_step(browser, person)
    browser.get(SECURITY)  # the first signed-in request records the session
    return browser


def test_sessions_are_listed_and_one_revoked_is_signed_out():
    person = reader()
    desk = login_as(person, CHROME, "10.0.0.1")
    phone = login_as(person, IPHONE, "10.0.0.2")
    page = desk.get(reverse("accounts:sessions")).content.decode()
    assert "Chrome · Windows" in page and "Safari · iPhone" in page
    assert "10.0.0.2" in page and page.count("当前设备") == 1
    phone_session = UserSession.objects.get(ip="10.0.0.2")
    desk.post(reverse("accounts:session_sign_out", args=[phone_session.pk]))
    assert not UserSession.objects.filter(pk=phone_session.pk).exists()
    response = phone.get(SECURITY)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert desk.get(SECURITY).status_code == 200


def test_signing_out_everywhere_else_keeps_this_session():
    person = reader()
    desk = login_as(person, CHROME, "10.0.0.1")
    others = [login_as(person, IPHONE, f"10.0.1.{n}") for n in range(3)]
    desk.post(reverse("accounts:sessions_sign_out_others"))
    assert UserSession.objects.filter(user=person).count() == 1
    assert all(other.get(SECURITY).status_code == 302 for other in others)
    assert desk.get(SECURITY).status_code == 200


def test_a_session_cannot_revoke_another_accounts_session():
    mine = login_as(reader(), CHROME, "10.0.0.1")
    theirs = login_as(reader(), IPHONE, "10.0.0.2")
    record = UserSession.objects.get(ip="10.0.0.2")
    mine.post(reverse("accounts:session_sign_out", args=[record.pk]))
    assert theirs.get(SECURITY).status_code == 200


def test_changing_the_password_signs_out_the_other_sessions():
    person = reader()
    desk = login_as(person, CHROME, "10.0.0.1")
    phone = login_as(person, IPHONE, "10.0.0.2")
    response = desk.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Another-pass-2026",
            "new_password2": "Another-pass-2026",
        },
    )
    assert response.status_code == 302
    assert desk.get(SECURITY).status_code == 200
    assert phone.get(SECURITY).status_code == 302
    assert list(UserSession.objects.filter(user=person).values_list("ip", flat=True)) == [
        "10.0.0.1"
    ]


def test_last_seen_is_written_every_few_minutes_not_on_every_request(monkeypatch):
    person = reader()
    desk = login_as(person, CHROME, "10.0.0.1")
    seen = UserSession.objects.get(user=person).last_seen
    desk.get(SECURITY)
    assert UserSession.objects.get(user=person).last_seen == seen
    later = time.time() + 301
    monkeypatch.setattr("yaowen.accounts.security.middleware.time.time", lambda: later)
    desk.get(SECURITY)
    assert UserSession.objects.get(user=person).last_seen > seen


def test_anonymous_requests_and_sign_out_leave_no_record(client):
    client.get("/")
    client.get(LOGIN)
    assert not UserSession.objects.exists()
    person = reader()
    password_step(client, person)
    client.get(SECURITY)
    assert UserSession.objects.filter(user=person).count() == 1
    client.post(reverse("accounts:logout"))
    assert not UserSession.objects.exists()


@pytest.mark.parametrize(
    ("user_agent", "label"),
    [
        (CHROME, "Chrome · Windows"),
        (IPHONE, "Safari · iPhone"),
        (
            "Mozilla/5.0 (Linux; Android 14; V2309A) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/116.0 Mobile Safari/537.36 MicroMessenger/8.0.47",
            "微信 · Android",
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like "
            "Gecko) Chrome/126.0 Safari/537.36 Edg/126.0",
            "Edge · macOS",
        ),
        ("", "未知设备"),
    ],
)
def test_device_labels(user_agent, label):
    assert device_label(user_agent) == label


def test_codes_within_one_step_of_now_are_accepted_and_older_ones_not():
    secret = totp.secret_new()
    now = time.time()
    step = totp.step_now(now)
    for offset, accepted in ((-2, False), (-1, True), (0, True), (1, True), (2, False)):
        code = totp.code_at(secret, step + offset)
        assert (totp.code_match(secret, code, now=now) == step + offset) is accepted
    assert totp.code_match(secret, totp.code_at(secret, step), after_step=step, now=now) is None


def test_sealed_secrets_open_after_the_secret_key_is_rotated(settings):
    token = seal("JBSWY3DPEHPK3PXP", purpose="totp")
    with pytest.raises(InvalidToken):
        unseal(token, purpose="session")
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-key-" + "x" * 50
    assert unseal(token, purpose="totp") == "JBSWY3DPEHPK3PXP"
