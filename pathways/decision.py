"""The decision: plain data every adapter (CLI, API, renderer, audit log) consumes."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Status = Literal["met", "in_progress", "not_met"]


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Applied(_Out):
    """One item applied to a requirement."""

    requirement: str
    credential: str
    credits: float
    rule: str
    counts_as: str | None = None
    within: str | None = None
    derived: bool = False
    in_progress: bool = False
    #: the verification verdict kept with a verified badge item (what, when, result)
    evidence: dict[str, Any] | None = None


class Missing(_Out):
    """What is still needed, in words a learner understands."""

    requirement: str
    need: str
    rule: str


class CatalogRef(_Out):
    """Which catalog a decision was made against."""

    id: str
    version: str
    hash: str


class Decision(_Out):
    """A learner against a target on a date (contract section 4)."""

    target: str
    as_of: str
    status: Status
    progress: float
    credits_applied: float
    applied: list[Applied] = Field(default_factory=list)
    missing: list[Missing] = Field(default_factory=list)
    unused: list[str] = Field(default_factory=list)
    unrecognized: list[str] = Field(default_factory=list)
    exceptions_used: list[dict[str, Any]] = Field(default_factory=list)
    explanation: dict[str, Any] = Field(default_factory=dict)
    catalog: CatalogRef
    engine_version: str
    learner: str | None = None
    target_name: str | None = None
    gpa: float | None = None
    lapsed: list[str] = Field(default_factory=list)
    in_progress_items: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)

    def to_json(self) -> str:
        """Deterministic JSON text (same inputs, same bytes)."""
        return self.model_dump_json(indent=2) + "\n"
