"""Pydantic models of the catalog document (contract section 1).

Unknown keys are refused everywhere (``extra="forbid"``) so that a typo never silently
changes a credit decision. ``description`` and ``url`` are accepted on the header,
skills and credentials as documentation-only extensions.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from pathways.units import CreditUnit
from rules.durations import parse_duration
from rules.model import Rule

CredentialType = Literal[
    "course",
    "microcredential",
    "badge",
    "certificate",
    "certification",
    "degree",
    "exam",
    "license",
    "experience",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class CustomScale(_Strict):
    """A grade scale given as a mapping."""

    points: dict[str, float] = Field(min_length=1)
    pass_: list[str] = Field(default_factory=list, alias="pass")
    fail: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _fail_overlap(self) -> CustomScale:
        both = set(self.pass_) & set(self.fail)
        if both:
            raise ValueError(f"grades both pass and fail: {', '.join(sorted(both))}")
        return self


class CatalogHeader(_Strict):
    """The ``catalog:`` block."""

    id: str = Field(min_length=1)
    version: str = Field(min_length=1)
    name: str | None = None
    description: str | None = None
    url: str | None = None
    credit_unit: CreditUnit = "semester_hour"
    grade_scale: Literal["us_4"] | CustomScale = "us_4"
    #: extension: issuers whose badges this catalog trusts (``import badges`` refuses others)
    trusted_issuers: list[str] | None = Field(default=None, min_length=1)

    @field_validator("version", mode="before")
    @classmethod
    def _version_text(cls, value: Any) -> Any:
        # YAML reads `version: 2026` as a number; a version is a label, keep it as text
        return (
            str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value
        )


class Credits(_Strict):
    """Credits in an explicit unit."""

    value: float = Field(ge=0)
    unit: CreditUnit


class SkillRef(_Strict):
    """A skill a credential carries, at a level."""

    skill: str = Field(min_length=1)
    level: int = Field(default=1, ge=0)


class Skill(_Strict):
    """A skill (optionally aligned to ESCO / O*NET by ``uri``)."""

    id: str = Field(min_length=1)
    name: str | None = None
    uri: str | None = None
    description: str | None = None


def _duration(value: Any) -> Any:
    if value is not None:
        if not isinstance(value, str):
            raise ValueError(f"{value!r} is not an ISO 8601 duration such as P3Y")
        parse_duration(value)
    return value


class Credential(_Strict):
    """A course, microcredential, certificate, degree..."""

    id: str = Field(min_length=1)
    name: str | None = None
    type: CredentialType = "course"
    description: str | None = None
    url: str | None = None
    credits: float | Credits | None = Field(default=None)
    hours: float | None = Field(default=None, ge=0)
    cost: float | None = Field(default=None, ge=0)
    level: float | None = None
    subject: str | None = None
    issuer: str | None = None
    tags: list[str] = Field(default_factory=list)
    skills: list[str | SkillRef] = Field(default_factory=list)
    valid_for: str | None = None
    same_as: list[str] = Field(default_factory=list)
    prerequisites: Rule | None = None
    requires: Rule | None = None

    _valid_for = field_validator("valid_for")(_duration)

    @field_validator("credits")
    @classmethod
    def _non_negative(cls, value: float | Credits | None) -> float | Credits | None:
        if isinstance(value, float | int) and value < 0:
            raise ValueError("credits cannot be negative")
        return value

    def skill_refs(self) -> list[SkillRef]:
        """Skills in their long form."""
        return [SkillRef(skill=s) if isinstance(s, str) else s for s in self.skills]


class TransferValue(_Strict):
    """Credit a credential earns toward a program."""

    id: str | None = None
    name: str | None = None
    description: str | None = None
    from_: str = Field(alias="from", min_length=1)
    to: str = Field(min_length=1)
    credits: float | Credits
    counts_as: list[str] = Field(default_factory=list)
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None

    @model_validator(mode="after")
    def _window(self) -> TransferValue:
        if self.valid_from and self.valid_until and self.valid_from > self.valid_until:
            raise ValueError("valid_from is after valid_until")
        return self


class CatalogDocument(_Strict):
    """A whole catalog, after the files of a folder are merged."""

    catalog: CatalogHeader
    skills: list[Skill] = Field(default_factory=list)
    credentials: list[Credential] = Field(default_factory=list)
    transfer_values: list[TransferValue] = Field(default_factory=list)
