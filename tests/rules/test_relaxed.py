"""The quick "can the target be met at all?" test: a "no" is exact, a "maybe" decides nothing."""

from __future__ import annotations

from hypothesis import event, given

from rules.brute import solve_brute
from rules.problem import Problem, compile_problem
from rules.relaxed import may_be_met
from tests.rules.helpers import RULE, cert_problem, item
from tests.rules.strategies import AS_OF, SCALE, problems
from tests.rules.test_solver_properties import SETTINGS, _comparable


def _target(rule: object, items: list[str], credits: float = 3.0) -> bool:
    problem = compile_problem(
        "target",
        RULE.validate_python(rule),
        [item(c, credits=credits) for c in items],
        as_of=AS_OF,
        scale=SCALE,
    )
    return may_be_met(problem)


def test_a_missing_named_course_is_a_no() -> None:
    assert not _target({"all": ["a", "b"]}, ["a"])
    assert _target({"all": ["a", "b"]}, ["a", "b"])


def test_any_and_at_least_count_the_children_that_may_be_met() -> None:
    assert _target({"any": ["a", "b"]}, ["b"])
    assert not _target({"at_least": 2, "of": ["a", "b", "c"]}, ["c"])
    assert _target({"at_least": 2, "of": ["a", "b", "c"]}, ["a", "c"])


def test_a_pool_needs_its_credits_from_its_own_candidates() -> None:
    pool = {"select": {"subject": "CS"}, "credits": 9}
    assert not _target(pool, ["a", "b"])  # 6 credits on offer
    assert _target(pool, ["a", "b", "c"])


def test_contention_is_a_maybe() -> None:
    # one item cannot fill both leaves, but judged alone each leaf can be met
    rule = {"all": ["a", {"select": {"subject": "CS"}, "count": 1}]}
    assert _target(rule, ["a"])
    problem = compile_problem(
        "target", RULE.validate_python(rule), [item("a")], as_of=AS_OF, scale=SCALE
    )
    assert not solve_brute(problem)[1].met


def test_a_derived_credential_counts_only_if_its_own_rule_may_be_met() -> None:
    rule = {"all": ["cert"]}
    assert may_be_met(cert_problem(rule, {"all": ["x", "y"]}, [item("x"), item("y")]))
    assert not may_be_met(cert_problem(rule, {"all": ["x", "y"]}, [item("x")]))


@SETTINGS
@given(problems(in_progress=True))
def test_a_no_is_never_wrong(problem: Problem) -> None:
    if not _comparable(problem):
        return
    if may_be_met(problem):
        event("maybe")
        return
    event("no")
    assert not solve_brute(problem)[1].met
