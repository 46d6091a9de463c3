"""Request and response shapes (``XCreate`` in, ``XPublic`` out), apart from the tables."""

from __future__ import annotations

import datetime as dt
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Page(BaseModel, Generic[T]):
    """One page of a list."""

    items: list[T]
    total: int
    limit: int
    offset: int


class Health(BaseModel):
    """The service is up and its store answers."""

    status: Literal["ok"]
    engine_version: str
    database: str


class CatalogPublished(BaseModel):
    """A published catalog version (contract section 7)."""

    id: str
    version: str
    hash: str


class CatalogPublic(CatalogPublished):
    """A published version with who published it and when."""

    published_at: dt.datetime
    published_by: str


class CatalogContent(CatalogPublic):
    """A published version and its content (the merged catalog)."""

    content: dict[str, Any]


class CatalogValid(CatalogPublished):
    """A draft that passed validation (not stored)."""

    valid: Literal[True]
    credentials: int
    stacked: list[str]


class LearnerPublic(BaseModel):
    """A stored learner: the record (contract section 3) and bookkeeping."""

    id: str
    name: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
    updated_by: str
    record: dict[str, Any]


class LearnerSummary(BaseModel):
    """A learner in a list."""

    id: str
    name: str | None
    updated_at: dt.datetime


class ItemsAdded(BaseModel):
    """Items appended to a learner."""

    learner: str
    added: int
    total_items: int


class ExceptionCreate(_In):
    """A registrar exception: exactly one of waive / substitute+for / apply+to, and why."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    waive: str | None = None
    substitute: str | None = None
    for_: str | None = Field(default=None, alias="for")
    apply: str | None = None
    to: str | None = None
    reason: str = Field(min_length=1, description="Why (required: exceptions must be defensible).")
    by: str | None = Field(default=None, description="Who approved it (default: the caller).")
    on: dt.date | None = None


class ExceptionPublic(BaseModel):
    """An exception with who recorded it and when."""

    exception: dict[str, Any]
    reason: str | None
    added_at: dt.datetime
    added_by: str


class Erased(BaseModel):
    """What erasing a learner removed."""

    learner: str
    items: int
    exceptions: int
    decisions_redacted: int
    keys_removed: int


class DecisionCreate(_In):
    """One question for the engine (contract section 7)."""

    catalog: str = Field(min_length=1, description="Catalog id.")
    version: str | None = Field(default=None, description="Default: the latest published.")
    target: str = Field(min_length=1, description="Credential id to decide.")
    as_of: dt.date | None = Field(default=None, description="Decision date (default today).")
    learner: str | dict[str, Any] = Field(
        description="A stored learner's id, or a learner record (contract section 3)."
    )


class DecisionLogPublic(BaseModel):
    """A log entry: ids and hashes (no personal data)."""

    decision_id: str
    created_at: dt.datetime
    caller: str
    catalog: CatalogPublished
    target: str
    as_of: str
    status: str
    engine_version: str
    inputs_hash: str
    decision_hash: str
    erased_at: dt.datetime | None


class ReplayPublic(BaseModel):
    """A logged decision recomputed."""

    decision_id: str
    same: bool
    differences: list[str]
    logged_hash: str
    recomputed_hash: str


RoleName = Literal["designer", "learner", "auditor", "admin"]


class KeyCreate(_In):
    """A new API key."""

    role: RoleName
    learner: str | None = Field(default=None, min_length=1, description="Learner keys only.")
    label: str | None = Field(default=None, max_length=200)


class KeyPublic(BaseModel):
    """An API key as listed (never its secret)."""

    id: str
    role: str
    learner: str | None
    label: str | None
    created_at: dt.datetime
    revoked_at: dt.datetime | None


class KeyCreated(KeyPublic):
    """A new key: ``key`` is shown once and never stored in clear."""

    key: str


class RolePublic(BaseModel):
    """What a role may do."""

    role: str
    may: list[str]
