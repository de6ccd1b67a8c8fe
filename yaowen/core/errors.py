"""The one error family that services raise; views turn them into messages, not 500s."""


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
