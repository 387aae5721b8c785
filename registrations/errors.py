"""The one error the domain functions raise when the rules refuse a sign-up or a change."""


class RegistrationError(Exception):
    """A sign-up or change the rules refuse; `message` is shown to the user as it is."""

    def __init__(
        self, message: str, *, code: str, field: str | None = None, index: int | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field  # the form field the message belongs to, if any
        self.index = index  # the board member (0-based row) it belongs to, if any
