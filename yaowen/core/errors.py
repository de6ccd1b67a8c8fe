"""The one error family that services raise; views turn them into messages, not 500s."""

from django.utils.translation import gettext_lazy as _


class ApplicationError(Exception):
    """A rule of the platform refused an action; `message` is shown to the user."""

    def __init__(self, message: str, *, extra: dict | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


class PermissionDeniedError(ApplicationError):
    """The acting user may not do this."""


class NotFoundError(ApplicationError):
    """The object does not exist or is not visible to this user."""


# A form field's "max_length" message: every text people send has a limit, said in the field.
TEXT_TOO_LONG = _("最多 %(limit_value)d 个字，现在是 %(show_value)d 个，请删减。")
