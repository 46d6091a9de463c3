"""In-progress work inside a derived credential meets every qualifier (contract section 3).

A derived credential with something in progress inside is exempt from the grade floor and
the recency a leaf asks of it, and one with nothing dated inside has no date for a window
to see: the MILP's first stage (which decides the in_progress status) once refused all four.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import TypeAdapter

from rules.brute import solve_brute
from rules.items import Item
from rules.model import Rule
from rules.problem import Derivation, Problem, compile_problem
from rules.solve import satisfiable, satisfiable_milp
from tests.rules.strategies import AS_OF, SCALE

RULE = TypeAdapter(Rule)
TEMPLATE = Item(key="cert", credential="cert", matches=frozenset({"cert"}), source="derived")


def _item(cred: str, in_progress: bool, day: date = date(2025, 1, 1), credits: float = 3.0) -> Item:
    return Item(
        key=cred,
        credential=cred,
        matches=frozenset({cred}),
        credits=credits,
        earned_on=day,
        points=3.0,
        grade="B",
        in_progress=in_progress,
    )


def _problem(rule: Any, cert_rule: Any, items: list[Item]) -> Problem:
    cert = Derivation("cert", RULE.validate_python(cert_rule), None, TEMPLATE, frozenset({"cert"}))
    return compile_problem(
        "target",
        RULE.validate_python(rule),
        items,
        as_of=AS_OF,
        derivations={"cert": cert},
        scale=SCALE,
    )


CASES = {
    "recent": ({"all": ["cert"], "recent": "P3Y"}, {"all": ["b"]}, [_item("b", True)], True),
    "recent, no credits": (
        {"all": ["cert"], "recent": "P3Y"},
        {"all": ["b"]},
        [_item("b", True, credits=0.0)],
        True,
    ),
    "grade floor, no credits": (
        {"all": ["cert"], "min_grade": "C"},
        {"all": ["b"]},
        [_item("b", True, credits=0.0)],
        True,
    ),
    "window, nothing dated inside": (
        {"all": ["cert", "a"], "window": "P1Y"},
        {"all": ["b"]},
        [_item("b", True), _item("a", False, date(2020, 1, 1))],
        True,
    ),
    "window, a dated item inside is too late": (
        {"all": ["cert", "a"], "window": "P1Y"},
        {"all": ["b", "c"]},
        [
            _item("b", True),
            _item("c", False, date(2024, 1, 1)),
            _item("a", False, date(2020, 1, 1)),
        ],
        False,
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_the_milp_first_stage_agrees_with_the_brute_force(name: str) -> None:
    rule, cert_rule, items, met = CASES[name]
    problem = _problem(rule, cert_rule, items)
    _, expected = solve_brute(problem)
    assert (expected.valid and expected.nodes[problem.roots["target"]].satisfied) is met
    assert satisfiable_milp(problem) is met
    assert satisfiable(problem) is met
