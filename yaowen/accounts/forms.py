"""Account forms: registration, throttled login, and the 入驻 application."""

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext_lazy as _

from yaowen.accounts import rules
from yaowen.accounts.models import CreatorProfile, User
from yaowen.accounts.services import ApplicationInput, application_check
from yaowen.core import ratelimit
from yaowen.newsroom.imaging import MAX_BYTES, TOO_LARGE, ImageRejected, process_image
from yaowen.newsroom.models import Channel

LOGIN_LOCKED = _("登录失败次数过多，账号已暂时锁定，请 %(minutes)d 分钟后再试。")


class RegisterForm(UserCreationForm):
    email = forms.EmailField(label=_("邮箱"), help_text=_("用于找回密码"))
    nickname = forms.CharField(label=_("昵称"), max_length=30, required=False)

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "nickname", "email")

    def clean_nickname(self) -> str:
        """Listed words: "block" refuses the nickname, "mask" stores it with ＊."""
        errors, stored = rules.check_words({"nickname": self.cleaned_data.get("nickname", "")})
        if errors:
            raise ValidationError(errors["nickname"])
        return stored["nickname"]

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(_("这个邮箱已经注册过了。"))
        return email


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") if request else ""


class ThrottledLoginForm(AuthenticationForm):
    """Django's login form, locked for a while after repeated failures.

    Failures count per account and per client address, so neither guessing one password
    from many addresses nor many accounts from one address goes on for long.
    """

    def clean(self):
        username = (self.data.get("username") or "").strip().lower()
        keys = [f"login:user:{username}", f"login:ip:{client_address(self.request)}"]
        limit = settings.LOGIN_FAILURE_LIMIT
        if any(ratelimit.hits(key) >= limit for key in keys):
            raise ValidationError(
                LOGIN_LOCKED,
                code="locked",
                params={"minutes": max(1, settings.LOGIN_LOCK_SECONDS // 60)},
            )
        try:
            cleaned = super().clean()
        except ValidationError:
            for key in keys:
                ratelimit.hit(key, window=settings.LOGIN_LOCK_SECONDS)
            raise
        ratelimit.reset(keys[0])
        return cleaned


class ApplicationForm(forms.Form):
    account_type = forms.ChoiceField(
        label=_("账号类型"), choices=CreatorProfile.AccountType.choices, widget=forms.RadioSelect
    )
    display_name = forms.CharField(label=_("账号名称"), max_length=20)
    field = forms.ModelChoiceField(
        label=_("领域"), queryset=Channel.objects.filter(is_active=True), empty_label=None
    )
    bio = forms.CharField(label=_("一句话简介"), max_length=40)
    avatar = forms.FileField(label=_("头像"), help_text=_("JPEG、PNG、WebP 或 GIF，不超过 10 MB"))
    contact = forms.CharField(label=_("联系方式"), max_length=60, help_text=_("仅平台审核可见"))
    statement = forms.CharField(
        label=_("资质说明"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("说明你的身份、专业背景或机构资质"),
    )

    def __init__(self, *args, require_avatar: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["avatar"].required = require_avatar

    def clean_avatar(self):
        upload = self.cleaned_data.get("avatar")
        if not upload:
            return None
        if upload.size > MAX_BYTES:
            raise ValidationError(str(TOO_LARGE))
        try:
            processed = process_image(upload.read(), require_alt=False)
        except ImageRejected as rejected:
            raise ValidationError(str(rejected.message)) from rejected
        # The stored avatar is the cleaned re-encoding: no EXIF, type fixed by content.
        extension = {"PNG": "png", "GIF": "png", "WEBP": "webp"}.get(processed.format, "jpg")
        # Its declared type is what an object store serves it as (a plain upload says text).
        content_type = f"image/{processed.original_format.lower()}"
        return SimpleUploadedFile(f"avatar.{extension}", processed.original, content_type)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        # Sensitive words first, so the other rules see the text that will be stored.
        texts = {field: cleaned[field] for field in ("display_name", "bio", "statement")}
        _errors, stored = rules.check_words(texts, strict=("display_name",))
        cleaned.update(stored)
        # The service's check names the refused words too, with every other rule.
        for field, messages in application_check(self.to_input()).items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)
        return cleaned

    def to_input(self) -> ApplicationInput:
        data = self.cleaned_data
        return ApplicationInput(
            account_type=data["account_type"],
            display_name=data["display_name"],
            field=data["field"],
            bio=data["bio"],
            contact=data["contact"],
            statement=data["statement"],
            avatar=data.get("avatar"),
        )
