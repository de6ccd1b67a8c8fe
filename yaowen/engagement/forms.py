"""The comment form: a plain-text body and, for a reply, the comment it answers."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from yaowen.core.errors import ApplicationError
from yaowen.engagement.services.comments import (
    BODY_MAX_LENGTH,
    COMMENT_EMPTY,
    PARENT_GONE,
    comment_body_clean,
)


class CommentForm(forms.Form):
    """Checks the same body rules as `comment_create`, so the reader sees them as form errors."""

    body = forms.CharField(
        label=_("写跟帖"),
        strip=False,  # comment_body_clean trims and normalises newlines before counting
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": BODY_MAX_LENGTH}),
        error_messages={"required": COMMENT_EMPTY},
    )
    parent = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        widget=forms.HiddenInput,
        error_messages={"invalid": PARENT_GONE, "min_value": PARENT_GONE, "max_value": PARENT_GONE},
    )

    def clean_body(self) -> str:
        try:
            return comment_body_clean(self.cleaned_data["body"])
        except ApplicationError as error:
            raise ValidationError(error.message, code="body") from None

    def first_error(self) -> str:
        for errors in self.errors.values():
            return str(errors[0])
        return ""
