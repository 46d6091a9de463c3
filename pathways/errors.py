"""One error root for everything Stackwise refuses.

Outcomes (met / not met) are data, never exceptions: these classes are only for bad input
and for things that cannot be done. Every message names the culprit (file, line or JSON
pointer, id, key, value) so that a user can fix it without reading code.
"""

from __future__ import annotations


class StackwiseError(Exception):
    """Root of every error Stackwise raises on purpose (CLI exit 2, HTTP problem+json)."""

    #: HTTP status an adapter should use for this error.
    http_status: int = 422
    #: Short, stable title for problem+json.
    title: str = "Invalid input"

    def __init__(self, message: str, *, location: str | None = None) -> None:
        self.message = message
        self.location = location
        super().__init__(f"{location}: {message}" if location else message)


class CatalogError(StackwiseError):
    """A catalog (or part of one) cannot be loaded; `errors` holds every located problem."""

    title = "Invalid catalog"

    def __init__(
        self, message: str, *, location: str | None = None, errors: list[str] | None = None
    ) -> None:
        super().__init__(message, location=location)
        self.errors: list[str] = errors if errors is not None else [str(self)]


class RecordError(StackwiseError):
    """A learner record is malformed or inconsistent with the catalog."""

    title = "Invalid learner record"


class UnknownTargetError(StackwiseError):
    """A target, goal or id named by the caller is not in the catalog."""

    http_status = 404
    title = "Not found"


class UsageError(StackwiseError):
    """The caller's arguments do not fit (bad date, bad option value...)."""

    title = "Bad request"
