"""Passkeys in Chromium with a virtual authenticator (WebAuthn over the DevTools protocol):
an editor made to set up a second factor registers a passkey, then signs in with it."""

import re

import pytest
from playwright.sync_api import expect

from yaowen.accounts.models import Passkey
from yaowen.moderation.tests.people import editor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pass-word-123"


def virtual_authenticator(page) -> tuple[object, str]:
    """A platform authenticator (like a laptop's fingerprint reader) that always verifies."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    answer = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    return cdp, answer["authenticatorId"]


def password_step(page, base: str, username: str, next_url: str) -> None:
    page.goto(f"{base}/accounts/login/?next={next_url}")
    page.get_by_label("用户名").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_an_editor_registers_a_passkey_and_signs_in_with_it(new_page, live_server):
    # WebAuthn needs a secure context on a domain: pytest-django serves on localhost.
    base = live_server.url
    assert base.startswith("http://localhost:")
    person = editor()
    page = new_page()
    cdp, authenticator = virtual_authenticator(page)

    password_step(page, base, person.username, "/review/")
    expect(page.get_by_text("请先设置两步验证")).to_be_visible()
    page.goto(f"{base}/review/")
    expect(page).to_have_url(re.compile(r"/accounts/security/"))

    page.get_by_role("link", name="添加通行密钥").click()
    page.get_by_label("名称").fill("测试电脑")
    page.get_by_role("button", name="创建通行密钥").click()
    expect(page.get_by_text("请现在保存这些恢复码")).to_be_visible()
    expect(page.locator("ol code")).to_have_count(10)
    passkey = Passkey.objects.get(user=person)
    assert passkey.name == "测试电脑"
    stored = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})
    assert len(stored["credentials"]) == 1
    page.get_by_role("link", name="我已保存，继续").click()
    expect(page).to_have_url(re.compile(r"/review/$"))

    page.get_by_role("button", name="退出").first.click()
    password_step(page, base, person.username, "/review/")
    expect(page.get_by_role("heading", name="两步验证")).to_be_visible()
    page.get_by_role("button", name="使用通行密钥验证").click()
    expect(page).to_have_url(re.compile(r"/review/$"))
    passkey.refresh_from_db()
    assert passkey.last_used_at is not None and passkey.sign_count >= 1


@pytest.mark.parametrize("care", [False, True], ids=["normal", "care"])
def test_security_pages_fit_a_375px_phone(browser, live_server, care):
    person = editor()
    context = browser.new_context(locale="zh-CN", viewport={"width": 375, "height": 812})
    if care:
        host = live_server.url.split("//")[1].split(":")[0]
        context.add_cookies(
            [
                {"name": "yw_care", "value": "1", "domain": host, "path": "/"},
                {"name": "yw_text", "value": "3", "domain": host, "path": "/"},
            ]
        )
    page = context.new_page()
    password_step(page, live_server.url, person.username, "/review/")
    wide = []
    for path in ("security/", "security/totp/", "security/passkeys/add/", "security/sessions/"):
        page.goto(f"{live_server.url}/accounts/{path}")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 0:
            wide.append(f"{path} scrolls sideways by {overflow}px")
    context.close()
    assert not wide, "\n".join(wide)
