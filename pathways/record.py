"""The learner record (contract section 3)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from pathways.errors import RecordError
from pathways.model import Credits
from pathways.validation import clean_loc, describe

Status = Literal["completed", "in_progress", "failed", "withdrawn"]
ItemSource = Literal["institution", "transfer", "prior_learning"]


class _Strict(BaseModel):
    # a misspelt key (`grdae`) would silently change a decision: refuse unknown keys
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class EarnedItem(_Strict):
    """One thing the learner earned, attempted or is taking."""

    credential: str = Field(min_length=1)
    earned_on: dt.date
    grade: str | None = None
    score: float | None = Field(default=None, ge=0, le=1)
    status: Status = "completed"
    credits: float | Credits | None = None
    source: ItemSource = "institution"
    expires_on: dt.date | None = None
    issuer: str | None = None
    evidence: dict[str, Any] | None = None  # e.g. the verdict of a verified badge
    id: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _credits_non_negative(self) -> EarnedItem:
        if isinstance(self.credits, float | int) and self.credits < 0:
            raise ValueError("credits cannot be negative")
        return self


class Waive(_Strict):
    """Mark a rule (by id) or a credential's leaves satisfied."""

    waive: str = Field(min_length=1)
    reason: str | None = None
    by: str | None = None
    on: dt.date | None = None


class Substitute(_Strict):
    """Let the learner's X item match Y's leaves."""

    substitute: str = Field(min_length=1)
    for_: str = Field(alias="for", min_length=1)
    reason: str | None = None
    by: str | None = None
    on: dt.date | None = None


class Apply(_Strict):
    """Put the learner's X item on the leaf with rule id ``to``."""

    apply: str = Field(min_length=1)
    to: str = Field(min_length=1)
    reason: str | None = None
    by: str | None = None
    on: dt.date | None = None


Exception_ = Waive | Substitute | Apply


class LearnerRecord(_Strict):
    """A learner's earned items and registrar exceptions."""

    learner: str = Field(min_length=1)
    name: str | None = None
    earned: list[EarnedItem] = Field(default_factory=list)
    exceptions: list[Waive | Substitute | Apply] = Field(default_factory=list)


def parse_record(data: Any, source: str = "record") -> LearnerRecord:
    """Validate record data, with errors located by JSON pointer."""
    try:
        return LearnerRecord.model_validate(data)
    except ValidationError as exc:
        messages = []
        for err in exc.errors():
            loc = clean_loc(tuple(err["loc"]), ("Waive", "Substitute", "Apply", "float", "Credits"))
            pointer = "/" + "/".join(str(p) for p in loc)
            messages.append(f"{source} (at {pointer}): {describe(err, loc)}")
        raise RecordError("; ".join(messages[:5])) from None


def load_record(path: str | Path) -> LearnerRecord:
    """Read a learner record JSON file."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise RecordError(f"cannot read: {exc.strerror}", location=str(file)) from None
    except UnicodeDecodeError:
        raise RecordError("not UTF-8 text", location=str(file)) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RecordError(
            f"not valid JSON: {exc.msg}", location=f"{file}:{exc.lineno}:{exc.colno}"
        ) from None
    return parse_record(data, str(file))
