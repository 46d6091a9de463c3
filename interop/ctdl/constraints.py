"""CTDL ``Constraint`` nodes read into what a Stackwise rule can enforce.

A constraint compares a left side (``leftSource``, optionally aggregated by ``leftAction``:
Sum, Count, Mean...) with a right side (``rightSource``, optionally ``rightAction``: AnyOf...)
by a ``comparator`` (EQ, GTEQ, LTEQ...). The ones Stackwise understands:

* Sum of credit values >= X -> ``select ... credits: X`` (<= X -> an ``at_most`` limit);
* Count >= N -> ``select ... count: N`` (<= N -> an ``at_most`` limit in items);
* credit unit = U, credit level = / >= / <= L -> the unit of X, the level filter;
* grade AnyOf [..] or grade >= G -> ``min_grade``; score >= S -> ``min_score``.

Everything else (resit, exit program, mean of marks...) is reported as not enforced.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from interop.ctdl.jsonld import Graph, Ref, as_number
from interop.ctdl.vocab import credit_unit, level_number, local_name

_CREDIT_SOURCES = {"value", "creditvalue", "credits", "credit", "coursecredits", "credithours"}
_GRADE_SOURCES = {"grade", "mingrade", "lettergrade", "finalgrade"}
_SCORE_SOURCES = {"score", "percentmark", "mark", "percentage"}
_AT_LEAST = {"GTEQ", "GT", "EQ"}
_AT_MOST = {"LTEQ", "LT"}


@dataclass
class Constraints:
    """What the constraints of one condition add up to."""

    credits: list[float] = field(default_factory=list)
    counts: list[int] = field(default_factory=list)
    max_credits: list[float] = field(default_factory=list)
    max_items: list[int] = field(default_factory=list)
    unit: str | None = None
    unit_factor: float = 1.0
    level_min: float | None = None
    level_max: float | None = None
    grades: list[str] | None = None
    min_grade: str | None = None
    min_score: float | None = None
    any_of: bool = False  # logicalOperator Or between the amount constraints
    unit_warning: str | None = None
    ignored: list[str] = field(default_factory=list)


def _right(graph: Graph, iri: str) -> list[object]:
    out: list[object] = []
    for value in graph.nodes.get(iri, {}).get("ceterms:rightSource", []):
        out.append(value.iri if isinstance(value, Ref) else value.value)
    return out


def _first_ref(graph: Graph, iri: str, term: str) -> str:
    refs = graph.refs(iri, term)
    return graph.compact(refs[0]) if refs else ""


def describe(graph: Graph, iri: str) -> str:
    """A constraint in words: ``resit EQ False``, ``Sum(value) GTEQ 120``."""
    left = local_name(_first_ref(graph, iri, "ceterms:leftSource")) or "?"
    action = local_name(_first_ref(graph, iri, "ceterms:leftAction"))
    comp = local_name(_first_ref(graph, iri, "ceterms:comparator")) or "?"
    rights = [local_name(str(r)) if isinstance(r, str) else str(r) for r in _right(graph, iri)]
    right_action = local_name(_first_ref(graph, iri, "ceterms:rightAction"))
    rhs = ", ".join(rights)
    rhs = f"{right_action}({rhs})" if right_action else rhs
    lhs = f"{action}({left})" if action else left
    return f"{lhs} {comp} {rhs}"


def read_constraints(graph: Graph, iris: list[str], logical_or: bool) -> Constraints:
    """Fold the constraints ``iris`` of a condition into a :class:`Constraints`."""
    out = Constraints(any_of=logical_or)
    for iri in iris:
        if iri not in graph.nodes:
            out.ignored.append(f"{iri} (not in the document)")
            continue
        _read_one(graph, iri, out)
    return out


def _read_one(graph: Graph, iri: str, out: Constraints) -> None:
    left = local_name(_first_ref(graph, iri, "ceterms:leftSource")).lower()
    action = local_name(_first_ref(graph, iri, "ceterms:leftAction")).lower()
    comp = local_name(_first_ref(graph, iri, "ceterms:comparator")).upper() or "EQ"
    rights = _right(graph, iri)
    number = next((n for n in (as_number(r) for r in rights) if n is not None), None)
    text = describe(graph, iri)
    if left == "creditunittype" and rights:
        unit, factor, warning = credit_unit(str(rights[0]))
        out.unit, out.unit_factor, out.unit_warning = unit, factor, warning
    elif left in ("creditleveltype", "creditlevel", "level", "audiencelevel") and rights:
        level = level_number(str(rights[0])) if number is None else number
        if level is None:
            out.ignored.append(text)
        else:
            if comp in ("EQ", "GTEQ", "GT"):
                out.level_min = level
            if comp in ("EQ", "LTEQ", "LT"):
                out.level_max = level
    elif action == "sum" and number is not None and (left in _CREDIT_SOURCES or not left):
        (out.credits if comp in _AT_LEAST else out.max_credits).append(number)
    elif action == "count" and number is not None:
        if comp in _AT_LEAST:
            out.counts.append(max(1, round(number)))
        else:
            out.max_items.append(round(number))
    elif left in _GRADE_SOURCES and not action and rights:
        labels = [local_name(str(r)) for r in rights]
        if comp == "EQ" or (comp == "GTEQ" and len(labels) > 1):
            out.grades = labels
        elif comp == "GTEQ":
            out.min_grade = labels[0]
        else:
            out.ignored.append(text)
    elif left in _SCORE_SOURCES and not action and number is not None and comp in _AT_LEAST:
        out.min_score = number / 100 if number > 1 else number
    else:
        out.ignored.append(text)
