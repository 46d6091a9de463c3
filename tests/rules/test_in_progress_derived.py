"""In-progress work inside a derived credential meets every qualifier (contract section 3).

A derived credential with something in progress inside is exempt from the grade floor and
the recency a leaf asks of it, and one with nothing dated inside has no date for a window
to see: the MILP's first stage (which decides the in_progress status) once refused all four.
"""

from __future__ import annotations

from datetime import date

import pytest

from rules.brute import solve_brute
from rules.solve import satisfiable, satisfiable_milp
from tests.rules.helpers import cert_problem, item

CASES = {
    "recent": (
        {"all": ["cert"], "recent": "P3Y"},
        {"all": ["b"]},
        [item("b", in_progress=True)],
        True,
    ),
    "recent, no credits": (
        {"all": ["cert"], "recent": "P3Y"},
        {"all": ["b"]},
        [item("b", credits=0.0, in_progress=True)],
        True,
    ),
    "grade floor, no credits": (
        {"all": ["cert"], "min_grade": "C"},
        {"all": ["b"]},
        [item("b", credits=0.0, in_progress=True)],
        True,
    ),
    "window, nothing dated inside": (
        {"all": ["cert", "a"], "window": "P1Y"},
        {"all": ["b"]},
        [item("b", in_progress=True), item("a", day=date(2020, 1, 1))],
        True,
    ),
    "window, a dated item inside is too late": (
        {"all": ["cert", "a"], "window": "P1Y"},
        {"all": ["b", "c"]},
        [
            item("b", in_progress=True),
            item("c", day=date(2024, 1, 1)),
            item("a", day=date(2020, 1, 1)),
        ],
        False,
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_the_milp_first_stage_agrees_with_the_brute_force(name: str) -> None:
    rule, cert_rule, items, met = CASES[name]
    problem = cert_problem(rule, cert_rule, items, cert_credits=None)
    _, expected = solve_brute(problem)
    assert (expected.valid and expected.nodes[problem.roots["target"]].satisfied) is met
    assert satisfiable_milp(problem) is met
    assert satisfiable(problem) is met
