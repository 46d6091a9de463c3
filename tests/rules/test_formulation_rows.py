"""The MILP's shortcuts for common shapes keep its answers exact (rules.formulation)."""

from __future__ import annotations

from typing import Any

import pytest

from rules.brute import solve_brute
from rules.items import Item
from rules.milp import solve_milp
from rules.problem import Problem, compile_problem
from rules.score import score
from tests.rules.helpers import item
from tests.rules.strategies import AS_OF, RULE, SCALE


def _compile(rule: Any, items: list[Item]) -> Problem:
    return compile_problem("target", RULE.validate_python(rule), items, as_of=AS_OF, scale=SCALE)


def _problem(rule: Any, credits: dict[str, float]) -> Problem:
    return _compile(rule, [item(cred, credits=value) for cred, value in credits.items()])


def _assert_exact(problem: Problem) -> None:
    got = score(problem, solve_milp(problem))
    best = solve_brute(problem)[1]
    assert got.key() == best.key()


def test_at_least_over_partial_children_counts_only_the_best_n() -> None:
    # Three pools a third full each: 2 of them are worth (1/2 + 1/2) / 2, not their sum.
    # Read as a sum (as for children that are filled or not), the three items would all go
    # to the pools (0.75 there, 0 in `rest`); the best is two in the pools, one in `rest`.
    pools = [{"select": {"ids": [c]}, "credits": 6} for c in ("a", "b", "c")]
    rule = {
        "all": [
            {"at_least": 2, "of": pools},
            {"id": "rest", "select": {"ids": ["a", "b", "c"]}, "credits": 15},
        ]
    }
    problem = _problem(rule, {"a": 3.0, "b": 3.0, "c": 3.0})
    _assert_exact(problem)
    assert score(problem, solve_milp(problem)).progress == pytest.approx(0.35)


def test_at_least_over_named_courses() -> None:
    # Children that are filled or not: the group's progress is min(need, filled) / need.
    rule = {"all": [{"at_least": 2, "of": ["a", "b", "c"]}, {"any": ["c", "d"]}, "a"]}
    problem = _problem(rule, {"a": 3.0, "c": 4.0, "d": 3.0})
    _assert_exact(problem)
    assert score(problem, solve_milp(problem)).progress == pytest.approx((0.5 + 1 + 1) / 3)


def test_a_pool_takes_as_few_items_as_its_credits_allow() -> None:
    # 7 credits from items of 4, 3 and 2: at least two items, and 4 + 3 is the cheapest.
    rule = {"all": [{"select": {"ids": ["a", "b", "c"]}, "credits": 7}]}
    problem = _problem(rule, {"a": 4.0, "b": 3.0, "c": 2.0})
    _assert_exact(problem)
    result = score(problem, solve_milp(problem))
    assert result.met and result.credits == 7.0


def test_a_pool_its_candidates_cannot_fill() -> None:
    rule = {"all": [{"select": {"ids": ["a", "b"]}, "credits": 9}]}
    problem = _problem(rule, {"a": 4.0, "b": 3.0})
    _assert_exact(problem)
    result = score(problem, solve_milp(problem))
    assert not result.met and result.progress == pytest.approx(7 / 9)


def _graded(rule: Any, grades: dict[str, str]) -> Problem:
    return _compile(rule, [item(cred, grade=grade) for cred, grade in grades.items()])


def test_a_leaf_of_one_course_keeps_its_own_gpa_floor() -> None:
    # A leaf that one item alone fills is that item's variable in the model, but not when
    # the leaf has a qualifier of its own: a C (2.0) under its min_gpa 3.0 may not go there.
    rule = {"all": [{"credential": "a", "min_gpa": 3.0}, "b"]}
    problem = _graded(rule, {"a": "C", "b": "B"})
    _assert_exact(problem)
    result = score(problem, solve_milp(problem))
    assert result.pairs == [("target/1", "b")]
    assert result.progress == pytest.approx(0.5)


def test_a_leaf_of_one_course_keeps_its_own_limit() -> None:
    rule = {
        "all": [
            {"credential": "a", "limits": [{"at_most": 2, "unit": "credits", "where": {}}]},
            "b",
        ]
    }
    problem = _graded(rule, {"a": "A", "b": "B"})
    _assert_exact(problem)
    assert score(problem, solve_milp(problem)).progress == pytest.approx(0.5)
