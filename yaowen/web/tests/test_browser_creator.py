"""The creator's whole path in a browser: register, apply, approval, write, review, publish."""

import io
import re
import time

import pyotp
import pytest
from django.contrib.auth.models import Permission
from PIL import Image
from playwright.sync_api import expect

from yaowen.accounts.models import User
from yaowen.accounts.security.services import totp_enable
from yaowen.core.tests.factories import UserFactory
from yaowen.newsroom.channels import channels_seed
from yaowen.newsroom.models import Channel

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, base, username, password):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="登录").click()


def test_register_apply_approve_write_with_image_review_and_publish(
    new_page, live_server, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    channels_seed(Channel)
    editor = UserFactory(username="editor1")
    editor.user_permissions.add(
        *Permission.objects.filter(codename__in=["review_application", "review_article"])
    )
    # Editors sign in with a second factor: this one has an authenticator app.
    secret = pyotp.random_base32()
    totp_enable(user=editor, secret=secret, code=pyotp.TOTP(secret).now())
    base = live_server.url
    photo = tmp_path / "photo.png"
    buffer = io.BytesIO()
    Image.new("RGB", (900, 600), (20, 120, 90)).save(buffer, "PNG")
    photo.write_bytes(buffer.getvalue())

    author = new_page()
    # Register, then apply.
    author.goto(f"{base}/accounts/register/")
    author.get_by_label("用户名").fill("xiaolin")
    author.get_by_label("昵称").fill("小林")
    author.get_by_label("邮箱").fill("xiaolin@example.com")
    author.locator("#id_password1").fill("Lin-pass-2026!")
    author.locator("#id_password2").fill("Lin-pass-2026!")
    author.get_by_role("button", name="注册").click()
    expect(author.get_by_role("heading", name=re.compile("申请入驻"))).to_be_visible()
    author.get_by_label("个人").check()
    author.get_by_label("账号名称").fill("小林看数码")
    author.get_by_label("领域").select_option(label="数码")
    author.get_by_label("一句话简介").fill("用心评测每一台手机")
    author.get_by_label("头像").set_input_files(str(photo))
    author.get_by_label("联系方式").fill("邮箱 xiaolin@example.com")
    author.get_by_label("资质说明").fill("数码爱好者，写评测五年。")
    author.get_by_role("button", name="提交申请").click()
    expect(author.get_by_text("申请状态：审核中")).to_be_visible()

    # A reviewer approves the application.
    reviewer = new_page()
    login(reviewer, base, "editor1", "pass-word-123")
    # The app's next code (the one used to set it up cannot sign in again).
    reviewer.get_by_label("验证码或恢复码").fill(pyotp.TOTP(secret).at(time.time() + 30))
    reviewer.get_by_role("button", name="验证并登录").click()
    reviewer.goto(f"{base}/review/")
    reviewer.get_by_role("link", name="小林看数码").click()
    reviewer.get_by_role("button", name="通过").click()
    expect(reviewer.get_by_text("已处理")).to_be_visible()

    # The new creator writes an article with an image and submits it.
    author.goto(f"{base}/studio/")
    author.get_by_role("link", name="写文章").click()
    author.get_by_label("标题").fill("小林评测：一台轻薄的新手机")
    author.get_by_label("正文").fill("这台手机很轻。\n\n## 续航\n\n一天一充没有压力。")
    author.get_by_role("button", name="保存草稿").click()
    expect(author.get_by_text(re.compile("已保存"))).to_be_visible()
    author.get_by_label(re.compile(r"^图片")).set_input_files(str(photo))
    author.get_by_label("替代文字").fill("绿色背景前的样机")
    author.get_by_label("图注").fill("新机正面")
    author.get_by_role("button", name="上传并插入").click()
    expect(author.get_by_text("图片已上传并插入正文末尾")).to_be_visible()
    author.get_by_role("button", name="提交审核").click()
    expect(author.get_by_text("已提交审核")).to_be_visible()

    # The reviewer approves the article; it appears on its channel page.
    reviewer.goto(f"{base}/review/")
    reviewer.get_by_role("link", name="小林评测：一台轻薄的新手机").click()
    reviewer.get_by_role("button", name="通过").click()
    expect(reviewer.get_by_text("已处理")).to_be_visible()

    reader = new_page()
    reader.goto(f"{base}/c/digital/")
    reader.get_by_role("link", name="小林评测：一台轻薄的新手机").click()
    expect(reader.get_by_role("heading", level=1)).to_have_text("小林评测：一台轻薄的新手机")
    figure = reader.locator(".article-body figure img")
    expect(figure).to_have_attribute("alt", "绿色背景前的样机")
    figure.scroll_into_view_if_needed()
    assert figure.evaluate("img => img.decode().then(() => img.naturalWidth)") > 0
    expect(reader.locator(".author-card")).to_contain_text("小林看数码")
    assert User.objects.get(username="xiaolin").creator.article_count == 1
