"""The API's errors: a message for the client that names the parameter at fault."""

from __future__ import annotations


class ApiError(Exception):
    """A request the API cannot answer; rendered as `{"detail", "parameter"}`."""

    def __init__(self, parameter: str | None, message: str, status: int = 400):
        self.parameter = parameter
        self.message = message
        self.status = status
        super().__init__(f"{parameter}: {message}" if parameter else message)

    @property
    def detail(self) -> str:
        return str(self)


def not_found(what: str) -> ApiError:
    return ApiError(None, f"No such {what}.", status=404)
