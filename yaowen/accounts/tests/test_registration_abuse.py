"""Registration and password reset under abuse: no open redirect, no list of who is
registered (by answer or by time), and limits on how often a client or an address may try."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from yaowen.accounts import tasks
from yaowen.accounts.models import User
from yaowen.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-Long-pass-2026"


def registration(**overrides) -> dict:
    data = {
        "username": "newreader",
        "nickname": "",
        "email": "new@example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example",
        "//evil.example",
        "https:evil.example",
        "http://127.0.0.1:8000@evil.example",
        "/\\evil.example",
        "javascript:alert(1)",
        "apply",  # a bare word redirect() would take for a view name
    ],
)
def test_registration_never_sends_the_new_reader_off_the_site(client, target):
    url = f"{reverse('accounts:register')}?{'next=' + target}"
    response = client.post(url, registration())
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:apply")
    assert User.objects.filter(username="newreader").exists()


def test_registration_keeps_a_next_on_this_site(client):
    response = client.post(f"{reverse('accounts:register')}?next=/hao/", registration())
    assert response.status_code == 302 and response["Location"] == "/hao/"


def test_a_taken_address_is_not_revealed_and_its_owner_is_told(
    client, django_capture_on_commit_callbacks
):
    owner = UserFactory(username="owner", email="me@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:register"), registration(email="ME@example.com"))
    # The same answer as for a free address: signed in, on to the application.
    assert response.status_code == 302 and response["Location"] == reverse("accounts:apply")
    new = User.objects.get(username="newreader")
    assert new.email == ""  # one address, one account: the owner keeps it
    assert User.objects.filter(email__iexact="me@example.com").get() == owner
    assert [message.to for message in mail.outbox] == [["me@example.com"]]
    body = mail.outbox[0].body
    assert "newreader" in body and "owner" in body
    assert reverse("accounts:password_reset") in body


def test_a_free_address_is_kept_and_nobody_is_mailed(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:register"), registration())
    assert User.objects.get(username="newreader").email == "new@example.com"
    assert mail.outbox == []


def test_registration_does_the_same_work_whether_or_not_the_address_is_taken(
    client, django_capture_on_commit_callbacks
):
    UserFactory(email="me@example.com")
    # Once first, so that what a process loads on its first request is loaded.
    client.post(reverse("accounts:register"), registration(username="first", email="f@x.cn"))
    statements = []
    for number, email in enumerate(("me@example.com", "free@example.com")):
        client.logout()
        with (
            CaptureQueriesContext(connection) as queries,
            django_capture_on_commit_callbacks() as queued,
        ):
            client.post(
                reverse("accounts:register"),
                registration(username=f"reader{number}", email=email),
            )
        statements.append([query["sql"].split(" ", 1)[0] for query in queries.captured_queries])
        # The mail task is queued both times; only the consumer learns which case it was.
        assert len(queued) == 1
    assert statements[0] == statements[1]


def test_a_taken_username_is_said(client):
    UserFactory(username="newreader")
    response = client.post(reverse("accounts:register"), registration())
    assert response.status_code == 200
    assert "已存在" in response.content.decode()


def test_registration_attempts_are_limited_per_client(client, settings):
    settings.REGISTRATION_LIMIT = 3
    UserFactory(username="taken")
    for _attempt in range(3):
        page = client.post(reverse("accounts:register"), registration(username="taken"))
        assert "已存在" in page.content.decode()
    page = client.post(reverse("accounts:register"), registration(username="taken"))
    text = page.content.decode()
    assert "注册尝试过于频繁，请 60 分钟后再试" in text
    assert "已存在" not in text  # past the limit, nothing about the name is said
    # Another client is not held back.
    other = client.post(
        reverse("accounts:register"),
        registration(username="taken"),
        REMOTE_ADDR="198.51.100.7",
    )
    assert "已存在" in other.content.decode()


def test_registration_refuses_an_overlong_password_with_a_form_error(client):
    long = "长" * 129
    response = client.post(
        reverse("accounts:register"), registration(password1=long, password2=long)
    )
    assert response.status_code == 200
    assert "最多 128 个字，现在是 129 个" in response.content.decode()
    assert not User.objects.filter(username="newreader").exists()


def test_password_reset_mails_are_limited_per_address(client, settings):
    settings.PASSWORD_RESET_LIMIT = 3
    UserFactory(email="me@example.com")
    for number in range(3):
        response = client.post(
            reverse("accounts:password_reset"),
            {"email": "me@example.com"},
            REMOTE_ADDR=f"198.51.100.{number}",
        )
        assert response.status_code == 302
    response = client.post(
        reverse("accounts:password_reset"), {"email": "me@example.com"}, REMOTE_ADDR="198.51.100.9"
    )
    assert response.status_code == 200
    assert "找回密码的请求过于频繁，请 60 分钟后再试" in response.content.decode()
    assert len(mail.outbox) == 3


def test_password_reset_requests_are_limited_per_client(client, settings):
    settings.PASSWORD_RESET_LIMIT = 3
    for number in range(3):
        response = client.post(reverse("accounts:password_reset"), {"email": f"{number}@x.cn"})
        assert response.status_code == 302
    response = client.post(reverse("accounts:password_reset"), {"email": "9@x.cn"})
    assert "找回密码的请求过于频繁" in response.content.decode()


def test_a_password_reset_request_never_looks_the_address_up(client, monkeypatch):
    """The page does the same for any address (so it takes the same time): it queues the
    mail, and only the task reads the accounts."""
    UserFactory(email="me@example.com")
    queued = []
    monkeypatch.setattr(
        "yaowen.accounts.forms.password_reset_mail",
        lambda email, **options: queued.append((email, options)),
    )
    answers, reads = [], []
    for email in ("me@example.com", "nobody@example.com"):
        with CaptureQueriesContext(connection) as queries:
            response = client.post(reverse("accounts:password_reset"), {"email": email})
        answers.append((response.status_code, response["Location"]))
        reads.append([q["sql"] for q in queries.captured_queries if "accounts_user" in q["sql"]])
    assert answers[0] == answers[1] == (302, reverse("accounts:password_reset_done"))
    assert reads == [[], []]
    assert [email for email, _options in queued] == ["me@example.com", "nobody@example.com"]
    assert queued[0][1] == {"domain": "testserver", "use_https": False, "language": "zh-hans"}
    assert mail.outbox == []


def test_the_reset_task_mails_a_link_only_to_a_registered_address():
    UserFactory(email="me@example.com")
    tasks.password_reset_mail.call_local(
        "nobody@example.com", domain="yaowen.example", use_https=True, language="zh-hans"
    )
    assert mail.outbox == []
    tasks.password_reset_mail.call_local(
        "me@example.com", domain="yaowen.example", use_https=True, language="zh-hans"
    )
    assert [message.to for message in mail.outbox] == [["me@example.com"]]
    assert "https://yaowen.example/accounts/password/reset/" in mail.outbox[0].body
