"""Account forms: registration, password reset requests, throttled login, and the 入驻
application."""

import hashlib

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import MaxLengthValidator
from django.forms.utils import ErrorDict
from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from yaowen.accounts import rules, throttle
from yaowen.accounts.models import CreatorProfile, User
from yaowen.accounts.services import ApplicationInput, application_check
from yaowen.accounts.tasks import password_reset_mail
from yaowen.core import ratelimit
from yaowen.core.errors import TEXT_TOO_LONG
from yaowen.core.imaging import MAX_BYTES, TOO_LARGE, ImageRejected, process_image

REGISTRATION_LIMITED = _("注册尝试过于频繁，请 %(minutes)d 分钟后再试。")
RESET_LIMITED = _("找回密码的请求过于频繁，请 %(minutes)d 分钟后再试。")
PASSWORD_MAX_LENGTH = 128


def _minutes(seconds: int) -> int:
    return max(1, seconds // 60)


class RegisterForm(UserCreationForm):
    """Registration. It never says that an address is taken: the account is created without
    it and the address's owner is told by mail (accounts.tasks.registration_mail). A taken
    username is said; so that names cannot be listed quickly, each client address may post
    the form REGISTRATION_LIMIT times a window."""

    email = forms.EmailField(
        label=_("邮箱"),
        help_text=_("用于找回密码"),
        max_length=254,
        error_messages={"max_length": TEXT_TOO_LONG},
    )
    nickname = forms.CharField(
        label=_("昵称"), max_length=30, required=False, error_messages={"max_length": TEXT_TOO_LONG}
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "nickname", "email")

    def __init__(self, *args, request=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        for name in ("password1", "password2"):
            field = self.fields[name]
            field.max_length = PASSWORD_MAX_LENGTH
            field.validators.append(MaxLengthValidator(PASSWORD_MAX_LENGTH))
            field.error_messages["max_length"] = TEXT_TOO_LONG
            field.widget.attrs["maxlength"] = str(PASSWORD_MAX_LENGTH)

    def full_clean(self) -> None:
        # Counted before any field is checked: past the limit, not even "this username is
        # taken" is said.
        if self.is_bound and self.request is not None:
            count = ratelimit.hit(
                f"register:ip:{throttle.client_address(self.request)}",
                window=settings.REGISTRATION_WINDOW_SECONDS,
            )
            if count > settings.REGISTRATION_LIMIT:
                self._errors = ErrorDict()
                self.cleaned_data = {}
                minutes = _minutes(settings.REGISTRATION_WINDOW_SECONDS)
                self.add_error(
                    None,
                    ValidationError(
                        REGISTRATION_LIMITED, code="throttled", params={"minutes": minutes}
                    ),
                )
                return
        super().full_clean()

    def clean_nickname(self) -> str:
        """Listed words: "block" refuses the nickname, "mask" stores it with ＊."""
        errors, stored = rules.check_words({"nickname": self.cleaned_data.get("nickname", "")})
        if errors:
            raise ValidationError(errors["nickname"])
        return stored["nickname"]

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def save(self, commit: bool = True) -> User:
        """The new account; with the address only when no other account has it (the same
        query and the same insert either way)."""
        user = super().save(commit=False)
        email = self.cleaned_data["email"]
        taken = User.objects.filter(email__iexact=email).exists()
        user.email = "" if taken else email
        if commit:
            user.save()
            self._save_m2m()
        return user


class PasswordResetRequestForm(forms.Form):
    """找回密码: the address only. The mail goes out from the task queue (accounts.tasks), so
    the page answers alike, in the same time, whether or not an account has the address;
    at most PASSWORD_RESET_LIMIT requests per address, and per client, in the window."""

    email = forms.EmailField(
        label=_("邮箱"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"max_length": TEXT_TOO_LONG},
    )

    def __init__(self, *args, request=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.request = request

    def clean(self) -> dict:
        cleaned = super().clean()
        email = cleaned.get("email")
        if not email:
            return cleaned
        digest = hashlib.blake2b(email.strip().lower().encode(), digest_size=12).hexdigest()
        keys = [f"reset:email:{digest}"]
        if self.request is not None:
            keys.append(f"reset:ip:{throttle.client_address(self.request)}")
        window = settings.PASSWORD_RESET_WINDOW_SECONDS
        counts = [ratelimit.hit(key, window=window) for key in keys]
        if max(counts) > settings.PASSWORD_RESET_LIMIT:
            raise ValidationError(
                RESET_LIMITED, code="throttled", params={"minutes": _minutes(window)}
            )
        return cleaned

    def save(self, *, request: HttpRequest, use_https: bool = False, **_options) -> None:
        """Queue the mail (Django's reset view passes its mail options; the task has them)."""
        password_reset_mail(
            self.cleaned_data["email"],
            domain=request.get_host(),
            use_https=use_https,
            language=get_language(),
        )


class ThrottledLoginForm(AuthenticationForm):
    """Django's login form, with the login throttle's wait in its error. The throttle itself
    sits in the authentication backend (accounts.throttle), which every password check goes
    through."""

    def get_invalid_login_error(self) -> ValidationError:
        return throttle.login_error(self.request, super().get_invalid_login_error())


class ApplicationForm(forms.Form):
    account_type = forms.ChoiceField(
        label=_("账号类型"), choices=CreatorProfile.AccountType.choices, widget=forms.RadioSelect
    )
    display_name = forms.CharField(label=_("账号名称"), max_length=20)
    field = forms.ModelChoiceField(
        label=_("领域"),
        # The channels, reached through the profile's relation (newsroom sits above accounts).
        queryset=CreatorProfile._meta.get_field("field").related_model.objects.filter(
            is_active=True
        ),
        empty_label=None,
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
