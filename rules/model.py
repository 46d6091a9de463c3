"""The rule language: a discriminated union of pydantic models (contract section 2).

A rule is a credential reference (a plain string or ``{credential: ...}``), a combinator
(``all``, ``any``, ``at_least``), a ``select`` over a filter, or a ``skill`` check. Any rule
written as a mapping may carry qualifiers (``min_grade``, ``min_gpa``, ``recent``,
``window``, ``limits``, ``share``) and an ``id`` / ``name``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)

from rules.durations import Duration, parse_duration

Source = Literal["institution", "transfer", "prior_learning", "derived"]
DEFAULT_GPA_SOURCES: tuple[Source, ...] = ("institution", "derived")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Filter(_Strict):
    """Which items a ``select`` (or a limit) matches; every given key must hold."""

    ids: list[str] | None = Field(default=None, min_length=1)
    type: str | None = None
    subject: str | None = None
    tags: list[str] | None = Field(default=None, min_length=1)
    level_min: float | None = None
    level_max: float | None = None
    skills: list[str] | None = Field(default=None, min_length=1)
    source: Source | None = None
    issuer: str | None = None

    @model_validator(mode="after")
    def _levels_ordered(self) -> Filter:
        if (
            self.level_min is not None
            and self.level_max is not None
            and self.level_min > self.level_max
        ):
            raise ValueError("level_min is larger than level_max")
        return self

    def describe(self) -> str:
        """Words for the filter, as a learner reads them ("at level 500+ in CS")."""
        parts: list[str] = []
        if self.type:
            parts.append(f"of type {self.type}")
        if self.subject:
            parts.append(f"in {self.subject}")
        if self.level_min is not None and self.level_max is not None:
            parts.append(f"at level {_num(self.level_min)}-{_num(self.level_max)}")
        elif self.level_min is not None:
            parts.append(f"at level {_num(self.level_min)}+")
        elif self.level_max is not None:
            parts.append(f"at level up to {_num(self.level_max)}")
        if self.tags:
            parts.append("tagged " + " or ".join(self.tags))
        if self.skills:
            parts.append("teaching " + " or ".join(self.skills))
        if self.ids:
            parts.append("from " + ", ".join(self.ids))
        if self.source:
            parts.append(f"from source {self.source}")
        if self.issuer:
            parts.append(f"issued by {self.issuer}")
        return " ".join(parts)


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


class Limit(_Strict):
    """A cap (``at_most``) or floor (``at_least``) on what a subtree applies."""

    at_most: float | None = Field(default=None, ge=0)
    at_least: float | None = Field(default=None, gt=0)
    unit: Literal["credits", "items"] = "credits"
    where: Filter | None = None

    @model_validator(mode="after")
    def _one_bound(self) -> Limit:
        if (self.at_most is None) == (self.at_least is None):
            raise ValueError("a limit needs exactly one of at_most or at_least")
        return self


class GpaFloor(_Strict):
    """``min_gpa`` in its long form: a value and the item sources it averages."""

    value: float = Field(ge=0)
    sources: list[Source] = Field(default_factory=lambda: list(DEFAULT_GPA_SOURCES), min_length=1)


def _check_duration(value: Any) -> Any:
    if value is None:
        return value
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not an ISO 8601 duration such as P3Y")
    parse_duration(value)
    return value


class _Node(_Strict):
    """Fields every rule written as a mapping may carry."""

    id: str | None = Field(default=None, min_length=1)
    name: str | None = None
    min_grade: str | None = None
    min_gpa: float | GpaFloor | None = None
    recent: str | None = None
    window: str | None = None
    limits: list[Limit] | None = Field(default=None, min_length=1)
    share: bool = False

    _durations = field_validator("recent", "window")(_check_duration)

    @property
    def recent_duration(self) -> Duration | None:
        """``recent`` parsed, or ``None``."""
        return parse_duration(self.recent) if self.recent else None

    @property
    def window_duration(self) -> Duration | None:
        """``window`` parsed, or ``None``."""
        return parse_duration(self.window) if self.window else None

    @property
    def gpa_floor(self) -> GpaFloor | None:
        """``min_gpa`` in its long form, or ``None``."""
        if self.min_gpa is None:
            return None
        if isinstance(self.min_gpa, GpaFloor):
            return self.min_gpa
        return GpaFloor(value=self.min_gpa)

    def children(self) -> list[Rule]:
        """Child rules (empty for leaves)."""
        return []


class CredentialRule(_Node):
    """A leaf satisfied by an item of ``credential`` (or an equivalent, or a derived one)."""

    credential: str = Field(min_length=1)
    min_score: float | None = Field(default=None, ge=0, le=1)


class AllRule(_Node):
    """Satisfied when every child is."""

    all: list[Rule] = Field(min_length=1)

    def children(self) -> list[Rule]:
        return self.all


class AnyRule(_Node):
    """Satisfied when at least one child is."""

    any: list[Rule] = Field(min_length=1)

    def children(self) -> list[Rule]:
        return self.any


class AtLeastRule(_Node):
    """Satisfied when at least ``at_least`` children are."""

    at_least: int = Field(ge=1)
    of: list[Rule] = Field(min_length=1)

    @model_validator(mode="after")
    def _not_larger_than_list(self) -> AtLeastRule:
        if self.at_least > len(self.of):
            raise ValueError(f"at_least {self.at_least} is larger than its list of {len(self.of)}")
        return self

    def children(self) -> list[Rule]:
        return self.of


class SelectRule(_Node):
    """A leaf taking ``count`` distinct items, or items worth ``credits``, matching a filter."""

    select: Filter
    count: int | None = Field(default=None, ge=1)
    credits: float | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _needs_amount(self) -> SelectRule:
        if self.count is None and self.credits is None:
            raise ValueError("a select needs count, credits or both")
        return self


class SkillRule(_Node):
    """Satisfied when some countable item carries ``skill`` at ``level`` or above."""

    skill: str = Field(min_length=1)
    level: int = Field(default=1, ge=0)


_KINDS = ("credential", "all", "any", "at_least", "select", "skill")


def _rule_kind(value: Any) -> str | None:
    if isinstance(value, str):
        return "rule:ref"
    if isinstance(value, dict):
        present = [key for key in _KINDS if key in value]
        if len(present) == 1:
            return f"rule:{present[0]}"
        return None
    for kind, cls in _CLASSES.items():
        if isinstance(value, cls):
            return f"rule:{kind}"
    return None


Rule = Annotated[
    Annotated[str, Tag("rule:ref")]
    | Annotated[CredentialRule, Tag("rule:credential")]
    | Annotated[AllRule, Tag("rule:all")]
    | Annotated[AnyRule, Tag("rule:any")]
    | Annotated[AtLeastRule, Tag("rule:at_least")]
    | Annotated[SelectRule, Tag("rule:select")]
    | Annotated[SkillRule, Tag("rule:skill")],
    Discriminator(
        _rule_kind,
        custom_error_type="rule_kind",
        custom_error_message=(
            "a rule is a credential id or a mapping with exactly one of: "
            "credential, all, any, at_least, select, skill"
        ),
    ),
]

RuleNode = CredentialRule | AllRule | AnyRule | AtLeastRule | SelectRule | SkillRule

_CLASSES: dict[str, type[_Node]] = {
    "credential": CredentialRule,
    "all": AllRule,
    "any": AnyRule,
    "at_least": AtLeastRule,
    "select": SelectRule,
    "skill": SkillRule,
}

for _cls in (AllRule, AnyRule, AtLeastRule):
    _cls.model_rebuild()


def as_node(rule: Rule) -> RuleNode:
    """Return the mapping form of a rule (a plain id becomes a :class:`CredentialRule`)."""
    if isinstance(rule, str):
        return CredentialRule(credential=rule)
    return rule


def walk(rule: Rule) -> list[RuleNode]:
    """Every node of a rule tree, depth first, parents before children."""
    out: list[RuleNode] = []
    stack = [as_node(rule)]
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(as_node(child) for child in reversed(node.children()))
    return out


def referenced_credentials(rule: Rule) -> list[str]:
    """Credential ids named by the leaves of a rule (in tree order, with repeats)."""
    return [node.credential for node in walk(rule) if isinstance(node, CredentialRule)]
