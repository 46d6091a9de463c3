"""CTDL ``ComponentCondition`` trees -> Stackwise rules (contract section 2).

A condition requires ``requiredNumber`` of its parts - its ``targetComponent`` components
and its nested ``hasCondition`` conditions, counted together (``requiredNumber`` = all of
them reads as ``all``, 1 as ``any``, otherwise ``at_least``); without ``requiredNumber``,
``logicalOperator`` Or means any and And (the default) all. Its ``hasConstraint`` nodes add
a credit or count pool (a ``select``), a level filter and a grade floor; Stackwise extension
terms (``stackwise:minGpa``, ``stackwise:window``...) add the qualifiers CTDL cannot say.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from interop.ctdl.constraints import Constraints, read_constraints
from interop.ctdl.errors import CtdlError
from interop.ctdl.jsonld import Graph
from interop.ctdl.report import ImportReport
from interop.ctdl.vocab import local_name
from pathways.units import convert

RuleData = str | dict[str, Any]
# Qualifier extension terms carried on a condition: term -> rule key.
QUALIFIER_TERMS: dict[str, str] = {
    "stackwise:minGpa": "min_gpa",
    "stackwise:recent": "recent",
    "stackwise:window": "window",
    "stackwise:limits": "limits",
    "stackwise:share": "share",
    "stackwise:ruleId": "id",
    "stackwise:minGrade": "min_grade",
}


@dataclass
class Scale:
    """The grade scale conditions are read against."""

    #: grades best first (for turning "AnyOf [..]" into a floor)
    order: list[str]
    points: dict[str, float]
    #: True when the scale was made up from the grades the document names (see docs/ctdl.md)
    invented: bool = False


@dataclass
class ConditionReader:
    """Turns conditions into rules; ``target`` maps a component IRI to a credential id."""

    graph: Graph
    report: ImportReport
    target: Callable[[str], str | None]
    unit: str
    scale: Scale
    _stack: list[str] = field(default_factory=list)

    def rule(self, iri: str) -> RuleData | None:
        """The rule of condition ``iri``, or ``None`` when it requires nothing checkable."""
        g = self.graph
        if iri not in g.nodes:
            self.report.skip(f"condition {iri}: referenced but not in the document")
            return None
        if iri in self._stack:
            raise CtdlError(f"condition {iri} contains itself", location=g.source)
        self._stack.append(iri)
        try:
            return self._rule(iri)
        finally:
            self._stack.pop()

    def _rule(self, iri: str) -> RuleData | None:
        g = self.graph
        label = g.text(iri, "ceterms:name") or g.text(iri, "ceterms:description")
        where = f"condition {label!r}" if label else f"condition {iri}"
        quals = self._qualifiers(iri)
        if label and "name" not in quals:
            quals["name"] = label
        skill = g.text(iri, "stackwise:skill")
        if skill:
            level = g.number(iri, "stackwise:skillLevel")
            return {"skill": skill, "level": int(level or 1), **quals}
        targets = self._targets(iri, where)
        read = [self.rule(c) for c in g.refs(iri, "ceterms:hasCondition")]
        nested = [r for r in read if r]
        # a nested condition that requires nothing checkable holds vacuously (it is reported)
        vacuous = len(read) - len(nested)
        logic = local_name(next(iter(g.refs(iri, "ceterms:logicalOperator")), "And"))
        cons = read_constraints(g, g.refs(iri, "ceterms:hasConstraint"), logic.lower() == "or")
        for text in cons.ignored:
            self.report.warn(f"{where}: constraint {text} is not enforced (no such check)")
        self._grade(cons, quals, where)
        if cons.min_score is not None:
            targets = [{"credential": t, "min_score": cons.min_score} for t in targets]
        selects = self._selects(iri, cons, targets, where)
        required = g.number(iri, "ceterms:requiredNumber")
        if required is not None and vacuous:
            required = max(0.0, required - vacuous)
        parts: list[RuleData] = [*targets, *nested]
        group: RuleData | None = None
        use_group = bool(nested) or required is not None or not selects
        if selects and targets and required is None and not nested:
            use_group = False  # the targets are the pool of the select
        if use_group and parts:
            group = self._group(parts, required, logic, where)
        if selects and "share" not in quals:
            # a credit or count constraint checks a total: its pool may count items that
            # the condition's parts, or the component's other conditions, also use
            selects = [{**s, "share": True} for s in selects]
        nodes = ([group] if group is not None else []) + selects
        if not nodes:
            if label or cons.ignored:
                self.report.warn(f"{where}: requires nothing Stackwise can check; skipped")
            return None
        limits = self._limits(cons, where)
        if limits:
            quals["limits"] = [*quals.get("limits", []), *limits]
        if len(nodes) == 1:
            return _with_qualifiers(nodes[0], quals)
        return {"all": nodes, **quals}

    # -- parts --------------------------------------------------------------------------------
    def _targets(self, iri: str, where: str) -> list[RuleData]:
        out: list[RuleData] = []
        for ref in self.graph.refs(iri, "ceterms:targetComponent"):
            cid = self.target(ref)
            if cid is None:
                self.report.skip(f"{where}: target {ref!r} is not a component of the document")
            else:
                out.append(cid)
        return out

    def _group(
        self, parts: list[RuleData], required: float | None, logic: str, where: str
    ) -> RuleData | None:
        count = len(parts)
        default = 1 if logic.lower() == "or" else count
        need = default if required is None else round(required)
        if need <= 0:
            self.report.warn(f"{where}: requiredNumber {need} requires nothing; skipped")
            return None
        if need > count:
            raise CtdlError(
                f"{where} requires {need} of its parts but only {count} could be read "
                "(missing or unknown targets)",
                location=self.graph.source,
            )
        if count == 1:
            return parts[0]
        if need == count:
            return {"all": parts}
        if need == 1:
            return {"any": parts}
        return {"at_least": need, "of": parts}

    def _selects(
        self, iri: str, cons: Constraints, targets: list[RuleData], where: str
    ) -> list[dict[str, Any]]:
        if not cons.credits and not cons.counts:
            return []
        flt: dict[str, Any] = {}
        extra = self.graph.json(iri, "stackwise:select")
        if isinstance(extra, dict):
            flt.update(extra)
        ids = [t if isinstance(t, str) else t["credential"] for t in targets]
        if ids and "ids" not in flt:
            flt["ids"] = ids
        if cons.level_min is not None:
            flt["level_min"] = cons.level_min
        if cons.level_max is not None:
            flt["level_max"] = cons.level_max
        credits = [self._in_unit(x, cons, where) for x in cons.credits]
        if cons.any_of:
            pools: list[dict[str, Any]] = [{"select": flt, "credits": c} for c in credits]
            pools += [{"select": flt, "count": n} for n in cons.counts]
            return [{"any": pools}] if len(pools) > 1 else pools
        pool: dict[str, Any] = {"select": flt}
        if credits:
            pool["credits"] = max(credits)
        if cons.counts:
            pool["count"] = max(cons.counts)
        return [pool]

    def _in_unit(self, value: float, cons: Constraints, where: str) -> float:
        if cons.unit_warning:
            self.report.warn(cons.unit_warning)
        unit = cons.unit or self.unit
        amount = value * cons.unit_factor
        into = convert(amount, unit, self.unit)
        if into is None:
            self.report.warn(
                f"{where}: {value} {unit} does not convert into {self.unit}; kept as is"
            )
            return amount
        return round(into, 4)

    def _limits(self, cons: Constraints, where: str) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for cap in cons.max_credits:
            out.append({"at_most": self._in_unit(cap, cons, where), "unit": "credits"})
        for cap_items in cons.max_items:
            out.append({"at_most": cap_items, "unit": "items"})
        return out

    def _grade(self, cons: Constraints, quals: dict[str, Any], where: str) -> None:
        if "min_grade" in quals:
            return
        if cons.min_grade is not None:
            quals["min_grade"] = cons.min_grade
            return
        if not cons.grades:
            return
        known = [g for g in cons.grades if g in self.scale.points]
        if not known:
            self.report.warn(f"{where}: grades {cons.grades} are not on the scale; ignored")
            return
        if self.scale.invented and set(known) >= set(self.scale.order):
            self.report.warn(
                f"{where}: grade AnyOf {cons.grades} admits every grade the document names; "
                "read as 'passed' (a completed item counts, with or without a grade)"
            )
            return
        quals["min_grade"] = min(known, key=lambda g: self.scale.points[g])

    def _qualifiers(self, iri: str) -> dict[str, Any]:
        g = self.graph
        out: dict[str, Any] = {}
        for term, key in QUALIFIER_TERMS.items():
            if term in ("stackwise:minGpa", "stackwise:limits"):
                value = g.json(iri, term)
            elif term == "stackwise:share":
                found = g.lits(iri, term)
                value = found[0].value if found else None
            else:
                value = g.text(iri, term)
            if value is not None:
                out[key] = value
        return out


def _with_qualifiers(node: RuleData, quals: dict[str, Any]) -> RuleData:
    if not quals:
        return node
    if isinstance(node, str):
        return {"credential": node, **quals}
    if not set(quals) & set(node):
        return {**node, **quals}
    return {"all": [node], **quals}
