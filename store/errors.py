"""What the store refuses, as :class:`~pathways.errors.StackwiseError` subclasses."""

from __future__ import annotations

from pathways.errors import StackwiseError


class NotFoundError(StackwiseError):
    """No such catalog, version, learner, key or decision (or not visible to the caller)."""

    http_status = 404
    title = "Not found"


class ConflictError(StackwiseError):
    """The request contradicts what is stored (same catalog version, other content)."""

    http_status = 409
    title = "Conflict"


class IdempotencyError(StackwiseError):
    """An ``Idempotency-Key`` reused with another request body."""

    http_status = 422
    title = "Idempotency key reused"


class GoneError(StackwiseError):
    """The data existed but was erased (FERPA/GDPR)."""

    http_status = 410
    title = "Erased"
