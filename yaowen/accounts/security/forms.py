"""Forms of the second step and of the security settings."""

from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    """A 6-digit code from the authenticator app, or a recovery code, at sign-in."""

    code = forms.CharField(
        label=_("验证码或恢复码"),
        max_length=32,
        help_text=_("输入验证器应用中的 6 位数字；手机不在身边时，可输入一个恢复码。"),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}
        ),
    )


class TotpConfirmForm(forms.Form):
    code = forms.CharField(
        label=_("应用中显示的 6 位验证码"),
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*"}
        ),
    )


class PasskeyForm(forms.Form):
    """The browser's answer to a passkey ceremony, filled in by webauthn.js."""

    credential = forms.CharField(widget=forms.HiddenInput, max_length=20_000)


class PasskeyAddForm(PasskeyForm):
    name = forms.CharField(
        label=_("名称"),
        max_length=60,
        required=False,
        help_text=_("方便你日后认出它，例如“办公室电脑”或“我的手机”。"),
    )
