"""Hypothesis strategies: small random rule trees, items and derivations."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st
from pydantic import TypeAdapter

from rules.items import Item
from rules.model import Rule
from rules.problem import Derivation, Problem, compile_problem

CREDS = ["a", "b", "c", "d"]
RULE = TypeAdapter(Rule)
SCALE = {"A": 4.0, "B": 3.0, "C": 2.0, "D": 1.0, "F": 0.0}
AS_OF = date(2026, 1, 1)


def _leaf(allow_derived: bool, coupling: bool) -> st.SearchStrategy[Any]:
    names = CREDS + (["cert"] if allow_derived else [])
    return st.one_of(
        st.sampled_from(names),
        st.builds(
            lambda c, g: {"credential": c, "min_grade": g},
            st.sampled_from(names),
            st.sampled_from(["B", "C"]),
        ),
        # qualifiers of a leaf's own: the MILP gives a leaf that one item fills no
        # variables of its own unless it has some (rules.formulation._plain_pairs)
        st.builds(lambda c, q: {"credential": c, **q}, st.sampled_from(names), _quals(coupling)),
        st.builds(
            lambda x, q: {"select": {"level_min": 200}, "credits": x, **q},
            st.sampled_from([3, 6]),
            _quals(coupling),
        ),
        st.builds(lambda n: {"select": {"subject": "CS"}, "count": n}, st.integers(1, 2)),
        # a leaf an `apply` exception may force an item onto (problems() keeps ids unique)
        st.builds(
            lambda n: {"id": "pool", "select": {"subject": "MATH"}, "count": n}, st.integers(1, 2)
        ),
        st.builds(
            lambda x: {"select": {"level_min": 200}, "credits": x}, st.sampled_from([3, 4, 6])
        ),
    )


def _quals(coupling: bool) -> st.SearchStrategy[dict[str, Any]]:
    optional: dict[str, st.SearchStrategy[Any]] = {
        "recent": st.sampled_from(["P3Y"]),
        "min_grade": st.sampled_from(["B", "C"]),
        "window": st.sampled_from(["P1Y", "P2Y"]),
        "min_gpa": st.sampled_from([2.5, 3.0]),
        "limits": st.sampled_from(
            [
                [{"at_most": 3, "unit": "credits", "where": {"source": "transfer"}}],
                [{"at_least": 3, "unit": "credits", "where": {"level_min": 200}}],
                [{"at_most": 1, "unit": "items"}],
            ]
        ),
    }
    if coupling:  # shared leaves: an item may be applied twice
        optional |= {"share": st.just(True)}
    return st.fixed_dictionaries({}, optional=optional)


def rules(allow_derived: bool = True, coupling: bool = True) -> st.SearchStrategy[Any]:
    """Random rule trees of depth <= 2 over a few credentials.

    ``coupling=False`` leaves out ``share``.
    """
    leaf = _leaf(allow_derived, coupling)

    def node(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        kids = st.lists(children, min_size=1, max_size=3)
        return st.one_of(
            st.builds(lambda k, q: {"all": k, **q}, kids, _quals(coupling)),
            st.builds(lambda k, q: {"any": k, **q}, kids, _quals(coupling)),
            st.builds(
                lambda k, n, q: {"at_least": min(n, len(k)), "of": k, **q},
                kids,
                st.integers(1, 3),
                _quals(coupling),
            ),
        )

    return st.recursive(leaf, node, max_leaves=5)


@st.composite
def items(draw: st.DrawFn, in_progress: bool = False, graded: bool = False) -> list[Item]:
    """A few distinct items with random grades, dates, credits and sources.

    ``graded``: every item has a grade (so every credit applied is a graded one, and the
    solver finds the fewest credits and then the most grade points in one solve).
    """
    least = 3 if graded else 0  # graded: enough items for grades to differ
    chosen = draw(st.lists(st.sampled_from(CREDS), min_size=least, max_size=4, unique=True))
    out = []
    for cred in sorted(chosen):
        grade = draw(st.sampled_from(([] if graded else [None]) + ["A", "B", "C", "D"]))
        out.append(
            Item(
                key=cred,
                credential=cred,
                matches=frozenset({cred}),
                credits=float(draw(st.sampled_from([0, 1, 3, 4]))),
                earned_on=AS_OF - timedelta(days=draw(st.integers(0, 5 * 365))),
                points=None if grade is None else SCALE[grade],
                grade=grade,
                source=draw(st.sampled_from(["institution", "institution", "transfer"])),
                subject=draw(st.sampled_from(["CS", "MATH"])),
                level=float(draw(st.sampled_from([100, 200, 300]))),
                in_progress=in_progress and draw(st.sampled_from([False] * 3 + [True])),
                forced=draw(st.sampled_from([frozenset()] * 9 + [frozenset({"pool"})])),
            )
        )
    return out


@st.composite
def problems(
    draw: st.DrawFn, coupling: bool = True, in_progress: bool = False, graded: bool = False
) -> Problem:
    """A random target rule, items and (maybe) one derivable certificate.

    ``in_progress``: some items are in progress, as in the problems only asked whether they
    could be met (``satisfiable``), never solved for a decision. ``graded``: every item is
    graded and there is no certificate (see :func:`items`).
    """
    seen: set[str] = set()
    drawn = draw(rules(allow_derived=not graded, coupling=coupling))
    if graded:  # and every item a candidate somewhere, so that grades meet in the GPA
        drawn = {"all": [drawn, {"id": "two", "select": {"level_min": 100}, "count": 2}]}
    rule = RULE.validate_python(_unique_ids(drawn, seen))
    cert_rule = RULE.validate_python(
        _unique_ids(draw(rules(allow_derived=False, coupling=coupling)), seen)
    )
    credits = draw(st.sampled_from([None, 6.0]))
    template = Item(
        key="cert",
        credential="cert",
        matches=frozenset({"cert"}),
        credits=credits or 0.0,
        source="derived",
        type="certificate",
        subject="CS",
        level=200.0,
    )
    derivations = {"cert": Derivation("cert", cert_rule, credits, template, frozenset({"cert"}))}
    if graded:
        derivations = {}  # its contents' credits are a column of their own, never graded
    # a waiver now and then: of a credential's leaves, or of the pool
    waived = draw(st.sampled_from([frozenset()] * 8 + [frozenset({"a"}), frozenset({"pool"})]))
    return compile_problem(
        "target",
        rule,
        draw(items(in_progress, graded)),
        as_of=AS_OF,
        derivations=derivations,
        scale=SCALE,
        waived=waived,
    )


def _unique_ids(rule: Any, seen: set[str]) -> Any:
    """Rule ids are unique in a catalog: rename every repeat (``pool`` -> ``pool-2`` ...)."""
    if isinstance(rule, list):
        return [_unique_ids(r, seen) for r in rule]
    if not isinstance(rule, dict):
        return rule
    out = {k: _unique_ids(v, seen) for k, v in rule.items()}
    if "id" in out:
        base, n = out["id"], 1
        while out["id"] in seen:
            n += 1
            out["id"] = f"{base}-{n}"
        seen.add(out["id"])
    return out
