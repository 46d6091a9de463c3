"""Models on which a HiGHS release went wrong; each must stay solved exactly."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from rules.brute import solve_brute
from rules.linear import LinearModel
from rules.milp import solve_milp
from rules.score import score
from rules.solve import satisfiable_milp
from tests.rules.helpers import CS_CERT, cert_problem, item
from tests.rules.strategies import RULE

DATA = Path(__file__).parent / "data"


def test_presolve_does_not_cut_off_the_first_pair_order() -> None:
    # The HiGHS bundled with scipy 1.17.1 reported a point as optimal for the pair-order
    # stage here while a better one was feasible (its presolve cut it off); the solver then
    # preferred ('target/0/0/1', 'b') to the earlier ('target/0/0/0', 'cert').
    rule = RULE.validate_python(
        {
            "limits": [{"at_most": 1.0, "unit": "items"}],
            "any": [
                {
                    "at_least": 1,
                    "of": [
                        {
                            "window": "P1Y",
                            "limits": [{"at_most": 1.0, "unit": "items"}],
                            "share": True,
                            "any": ["cert", "b", "cert"],
                        }
                    ],
                }
            ],
        }
    )
    cert_rule = RULE.validate_python(
        {
            "min_gpa": 3.0,
            "at_least": 1,
            "of": [
                {"select": {"subject": "CS"}, "count": 1},
                {"select": {"subject": "CS"}, "count": 2},
            ],
        }
    )
    items = [
        item("a", "C", 4.0, date(2021, 11, 23), source="transfer"),
        item("b", None, 0.0, date(2025, 5, 17), source="transfer"),
        item("c", None, 4.0, date(2022, 11, 13)),
        item("d", "D", 3.0, date(2022, 2, 5)),
    ]
    problem = cert_problem(rule, cert_rule, items, None, template=CS_CERT)
    _, expected = solve_brute(problem)
    got = score(problem, solve_milp(problem))
    assert got.key() == expected.key()
    assert got.pairs == [("cert/0", "b"), ("target/0/0/0", "cert")]


def test_enumeration_presolve_does_not_cut_off_the_first_pair_order() -> None:
    # HiGHS 1.16's enumeration presolve cut the brute force's point off the pair-order
    # stage, and the solve reported ('target/0', 'c') optimal where ('cert/pool', 'c') was
    # feasible and comes first (found by test_milp_matches_brute_force). Today's model of
    # this problem no longer meets the fault; test_enumeration_presolve_stays_off keeps the
    # model that did.
    rule = RULE.validate_python(
        {"at_least": 1, "of": [{"select": {"level_min": 200}, "credits": 4}]}
    )
    cert_rule = RULE.validate_python(
        {"share": True, "all": [{"id": "pool", "select": {"subject": "MATH"}, "count": 1}]}
    )
    day = date(2026, 1, 1)
    items = [
        replace(item("a", None, 3.0, day), level=100.0, forced=frozenset({"pool"})),
        replace(item("b", None, 0.0, day), level=100.0),
        item("c", None, 1.0, day, subject="MATH"),
    ]
    problem = cert_problem(rule, cert_rule, items, None, template=CS_CERT)
    _, expected = solve_brute(problem)
    got = score(problem, solve_milp(problem))
    assert got.key() == expected.key()
    assert got.pairs == [("cert/pool", "a"), ("cert/pool", "c"), ("target/0", "cert")]


def test_probing_does_not_rule_out_a_met_target() -> None:
    # HiGHS 1.16's probing fixed the target's "satisfied" to 0, so the first stage found
    # progress 0.9999 where items a and c meet it (the stacked certificate's GPA is exactly
    # the 3.0 floor), and `satisfiable` said the target could not be met (found by
    # test_satisfiable_matches_brute_force). The GPA-floor row then had a margin of -1e-7,
    # inside HiGHS's feasibility tolerance (1e-6); it is exactly 0 now.
    rule = RULE.validate_python(
        {
            "min_gpa": 3.0,
            "recent": "P3Y",
            "limits": [{"at_most": 3.0, "unit": "credits", "where": {"source": "transfer"}}],
            "share": True,
            "all": ["cert"],
        }
    )
    cert_rule = RULE.validate_python(
        {"all": ["a", {"id": "pool", "select": {"subject": "MATH"}, "count": 1}]}
    )
    day = date(2026, 1, 1)
    items = [
        replace(item("a", "C", 4.0, day), level=100.0),
        replace(item("b", None, 0.0, day), level=100.0),
        replace(item("c", "A", 4.0, day, subject="MATH"), level=100.0),
    ]
    problem = cert_problem(rule, cert_rule, items, None, template=CS_CERT)
    assert solve_brute(problem)[1].met
    assert satisfiable_milp(problem)
    assert score(problem, solve_milp(problem)).met


def test_a_stage_bound_at_the_tolerance_does_not_cut_off_the_first_pair_order() -> None:
    # The credits stage's bound carried a margin of exactly HiGHS's feasibility tolerance
    # (1e-6); with it, presolve cut ('target/0/2', 'cert') off the pair stage and the
    # solve took the later ('target/1/0', 'cert') (found by test_milp_matches_brute_force).
    # Any other margin, or HiGHS's presolve off, solved it right; the bounds are exact now.
    select = {"select": {"subject": "CS"}, "count": 1}
    rule = RULE.validate_python({"any": [{"any": ["b", "b", select]}, {"all": [select]}]})
    cert_rule = RULE.validate_python(select)
    items = [replace(item("a", None, 1.0, date(2026, 1, 1)), level=100.0)]
    problem = cert_problem(rule, cert_rule, items, None, template=CS_CERT)
    _, expected = solve_brute(problem)
    got = score(problem, solve_milp(problem))
    assert got.key() == expected.key()
    assert got.pairs == [("cert", "a"), ("target/0/2", "cert")]


def test_a_failed_postsolve_is_solved_again_without_presolve() -> None:
    model, objective, _ = _stored_model("highs_postsolve_error.json")
    values = model.solve(objective)
    assert values is not None
    for expr, lo, hi in model.rows:
        total = sum(values[k] * v for k, v in expr.items())
        assert lo - 1e-6 <= total <= hi + 1e-6


def test_enumeration_presolve_stays_off() -> None:
    # test_enumeration_presolve_does_not_cut_off_the_first_pair_order's problem no longer
    # builds the model HiGHS went wrong on (the formulation has changed since), so that
    # model is kept as it was built: with the enumeration rule on, HiGHS 1.16 reports
    # -720896 optimal for it.
    model, objective, data = _stored_model("highs_enumeration_cutoff.json")
    values = model.solve(objective)
    assert values is not None
    assert sum(values[k] * v for k, v in objective.items()) == pytest.approx(data["optimum"])


def _stored_model(name: str) -> tuple[LinearModel, dict[int, float], dict[str, Any]]:
    """A model kept in ``data/`` as JSON (rows' open bounds as null), and its objective."""
    data = json.loads((DATA / name).read_text())
    inf = float("inf")
    model = LinearModel(list(data["lb"]), list(data["ub"]), list(data["integer"]))
    for expr, lo, hi in data["rows"]:
        model.add(
            {int(k): v for k, v in expr.items()},
            -inf if lo is None else lo,
            inf if hi is None else hi,
        )
    return model, {int(k): v for k, v in data["objective"].items()}, data
