"""The tables of the durable store (SQLModel).

JSON documents (catalog content, earned items, decisions) are kept as canonical JSON text
so that their bytes, and therefore their hashes, are the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> dt.datetime:
    """The current time, timezone-aware UTC (every timestamp the store writes)."""
    return dt.datetime.now(dt.UTC)


def new_revision() -> str:
    """A fresh learner revision token (random: a re-created learner never matches an old one)."""
    return secrets.token_hex(8)


class CatalogVersion(SQLModel, table=True):
    """One published, immutable version of a catalog."""

    __tablename__ = "catalog_versions"
    __table_args__ = (UniqueConstraint("catalog_id", "version", name="uq_catalog_version"),)

    pk: int | None = Field(default=None, primary_key=True)
    catalog_id: str = Field(index=True)
    version: str
    hash: str
    content: str = Field(sa_column=Column(Text, nullable=False))
    published_at: dt.datetime = Field(default_factory=utcnow)
    published_by: str


class Learner(SQLModel, table=True):
    """A learner known to the store; items and exceptions hang off it."""

    __tablename__ = "learners"

    id: str = Field(primary_key=True)
    name: str | None = None
    created_at: dt.datetime = Field(default_factory=utcnow)
    updated_at: dt.datetime = Field(default_factory=utcnow)
    updated_by: str
    #: A new random token at every change of the record, in the same transaction, so that a
    #: parsed record can be cached and checked with one small read (see store.learners).
    revision: str = Field(default_factory=new_revision, sa_column_kwargs={"server_default": ""})


class EarnedItemRow(SQLModel, table=True):
    """One earned item (contract section 3) of a learner: a row each, so adds never collide."""

    __tablename__ = "earned_items"

    pk: int | None = Field(default=None, primary_key=True)
    learner_id: str = Field(foreign_key="learners.id", index=True, ondelete="CASCADE")
    data: str = Field(sa_column=Column(Text, nullable=False))
    added_at: dt.datetime = Field(default_factory=utcnow)
    added_by: str


class ExceptionRow(SQLModel, table=True):
    """A registrar exception (waive / substitute / apply) with who, when and why."""

    __tablename__ = "learner_exceptions"

    pk: int | None = Field(default=None, primary_key=True)
    learner_id: str = Field(foreign_key="learners.id", index=True, ondelete="CASCADE")
    data: str = Field(sa_column=Column(Text, nullable=False))
    reason: str | None = None
    added_at: dt.datetime = Field(default_factory=utcnow)
    added_by: str


class ApiKey(SQLModel, table=True):
    """An API key: only a hash of its secret is stored."""

    __tablename__ = "api_keys"

    id: str = Field(primary_key=True)
    secret_hash: str
    role: str
    learner_id: str | None = Field(default=None, index=True)
    label: str | None = None
    created_at: dt.datetime = Field(default_factory=utcnow)
    revoked_at: dt.datetime | None = None


class DecisionLog(SQLModel, table=True):
    """One decision, append-only: enough to replay it and show it is the same.

    Erasing the learner nulls ``learner_id``, ``inputs`` and ``decision`` and sets
    ``erased_at``; the hashes and ids stay, so the log still proves what was decided.
    """

    __tablename__ = "decision_log"

    pk: int | None = Field(default=None, primary_key=True)
    id: str = Field(unique=True, index=True)
    created_at: dt.datetime = Field(default_factory=utcnow)
    caller: str
    catalog_id: str
    catalog_version: str
    catalog_hash: str
    target: str
    as_of: str
    status: str
    engine_version: str
    learner_id: str | None = Field(default=None, index=True)
    learner_hash: str
    inputs_hash: str
    decision_hash: str
    inputs: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    decision: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    erased_at: dt.datetime | None = None


class IdempotencyRecord(SQLModel, table=True):
    """What an ``Idempotency-Key`` was first used for, so a retry gets the same answer."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("caller", "key", name="uq_idempotency_caller_key"),)

    pk: int | None = Field(default=None, primary_key=True)
    caller: str
    key: str
    request_hash: str
    decision_ids: str = Field(sa_column=Column(Text, nullable=False))
    batch: bool = False
    created_at: dt.datetime = Field(default_factory=utcnow)


class WebSession(SQLModel, table=True):
    """A signed-in web page: the cookie holds a random token, the store only its hash."""

    __tablename__ = "web_sessions"

    token_hash: str = Field(primary_key=True)
    key_id: str = Field(foreign_key="api_keys.id", ondelete="CASCADE")
    created_at: dt.datetime = Field(default_factory=utcnow)
    expires_at: dt.datetime
