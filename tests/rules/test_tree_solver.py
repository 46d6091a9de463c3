"""The tree solver equals brute force wherever it answers, and it answers where it should."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import event, given

from rules.brute import solve_brute
from rules.problem import Problem
from rules.tree import satisfiable_tree, solve_tree
from tests.rules.helpers import cert_problem, item
from tests.rules.strategies import problems
from tests.rules.test_solver_properties import SETTINGS, _comparable


def _same(problem: Problem) -> None:
    answer = solve_tree(problem)
    if answer is None:
        event("outside the tree solver's shape")
        return
    event("tree solver answered")
    _, got = answer
    _, expected = solve_brute(problem)
    assert got.valid, got.reason
    # the whole order of preference: progress, credits, GPA and the sorted pairs
    assert got.key() == expected.key()


@SETTINGS
@given(problems(coupling=False))
def test_tree_solver_matches_brute_force(problem: Problem) -> None:
    if _comparable(problem):
        _same(problem)


@SETTINGS
@given(problems())
def test_tree_solver_matches_brute_force_with_every_qualifier(problem: Problem) -> None:
    # with shared leaves about too, it must step aside or still be right
    if _comparable(problem):
        _same(problem)


@SETTINGS
@given(problems(coupling=False, in_progress=True))
def test_tree_satisfiability_matches_brute_force(problem: Problem) -> None:
    if not _comparable(problem):
        return
    met = satisfiable_tree(problem)
    if met is None:
        event("outside the tree solver's shape")
        return
    _, expected = solve_brute(problem)
    assert met == (expected.valid and expected.nodes[problem.roots[problem.target]].satisfied)


def test_a_certificate_of_named_courses_is_solved_by_the_tree() -> None:
    day = date(2025, 5, 1)
    items = [item(c, "B", 3.0, day) for c in ("a", "b", "c", "d")]
    problem = cert_problem({"all": ["cert", {"any": ["c", "d"]}]}, {"all": ["a", "b"]}, items)
    answer = solve_tree(problem)
    assert answer is not None
    assignment, result = answer
    assert result.valid and result.nodes[problem.roots["target"]].satisfied
    # the certificate is worth its catalog 6 credits, and `c` (sorted first) fills the any
    assert result.credits == 9.0
    assert result.pairs == [
        ("cert/0", "a"),
        ("cert/1", "b"),
        ("target/0", "cert"),
        ("target/1/0", "c"),
    ]
    assert {thing for _, thing in assignment.pairs} == {"cert", 0, 1, 2}
    assert result.key() == solve_brute(problem)[1].key()


def test_contention_is_left_to_the_other_solvers() -> None:
    day = date(2025, 5, 1)
    items = [item("a", "A", 3.0, day)]
    # `a` may fill either branch: choosing is a real assignment problem
    problem = cert_problem({"all": [{"any": ["a", "b"]}, "a"]}, {"all": ["c"]}, items)
    assert solve_tree(problem) is None


def test_a_gpa_floor_refuses_what_would_pull_the_average_under_it() -> None:
    day = date(2025, 5, 1)
    items = [item("a", "C", 3.0, day), item("b", "A", 3.0, day), item("c", "C", 3.0, day)]
    # a C alone (2.0) or with the other C breaks the 3.0 floor; with the A it averages 3.0
    rule = {"all": [{"any": ["a", "c"]}, "b"], "min_gpa": 3.0}
    problem = cert_problem(rule, {"all": ["d"]}, items)
    answer = solve_tree(problem)
    assert answer is not None
    _, result = answer
    assert result.valid and result.nodes[problem.roots["target"]].satisfied
    assert result.gpa == 3.0
    assert result.key() == solve_brute(problem)[1].key()


def test_a_gpa_floor_over_a_derived_grade_is_left_to_the_other_solvers() -> None:
    day = date(2025, 5, 1)
    items = [item(c, "C", 3.0, day) for c in ("a", "b")]
    problem = cert_problem({"all": ["cert", "b"], "min_gpa": 3.0}, {"all": ["a"]}, items)
    assert solve_tree(problem) is None


def test_more_progress_below_a_capped_root_is_not_taken_for_free() -> None:
    # The root cannot be met (the MATH pool stays short of 10 credits), so it reports at
    # most UNMET_CAP whether the pool holds 9.9985 credits (x1) or 9.9992 (x1 and x2): the
    # extra progress in the pool is worth nothing there, and the fewer credits win.
    day = date(2025, 5, 1)
    items = [
        item("b", "B", 3.0, day),
        item("c", "B", 3.0, day),
        item("x1", "B", 9.9985, day, subject="MATH"),
        item("x2", "B", 0.0007, day, subject="MATH"),
    ]
    rule = {"all": [{"select": {"subject": "MATH"}, "credits": 10}, "b", "c"]}
    problem = cert_problem(rule, {"all": ["d"]}, items)
    answer = solve_tree(problem)
    assert answer is not None
    assignment, result = answer
    assert result.key() == solve_brute(problem)[1].key()
    assert 3 not in {thing for _, thing in assignment.pairs}  # x2 stays unused


def test_credits_inside_a_certificate_worth_a_catalog_figure_do_not_add_up() -> None:
    # Taken, the certificate is worth its catalog 6 credits whatever it holds, so holding
    # b as well as a costs nothing, and the pair order prefers the longer list (cert/1
    # sorts before target/0): fewer credits inside it must not rule that out.
    day = date(2025, 5, 1)
    items = [item("a", "B", 3.0, day), item("b", "B", 3.0, day)]
    problem = cert_problem({"all": ["cert"]}, {"at_least": 1, "of": ["a", "b"]}, items)
    answer = solve_tree(problem)
    assert answer is not None
    _, result = answer
    assert result.key() == solve_brute(problem)[1].key()
    assert result.pairs == [("cert/0", "a"), ("cert/1", "b"), ("target/0", "cert")]


def test_a_transfer_cap_and_a_residency_floor_are_checked_on_the_sums() -> None:
    day = date(2025, 5, 1)
    items = [
        item("t1", "A", 3.0, day, source="transfer"),
        item("t2", "A", 3.0, day, source="transfer"),
        item("i1", "C", 3.0, day),
    ]
    rule = {
        "select": {"subject": "CS"},
        "credits": 6,
        "limits": [
            {"at_most": 3, "unit": "credits", "where": {"source": "transfer"}},
            {"at_least": 3, "unit": "credits", "where": {"source": "institution"}},
        ],
    }
    problem = cert_problem(rule, {"all": ["d"]}, items)
    answer = solve_tree(problem)
    assert answer is not None
    assignment, result = answer
    assert result.valid and result.nodes[problem.roots["target"]].satisfied
    # one transfer course at most, and the institution course for residency
    assert sorted(
        problem.items[t].credential for _, t in assignment.pairs if isinstance(t, int)
    ) == ["i1", "t1"]
    assert result.key() == solve_brute(problem)[1].key()


def _worth_what_is_inside(target_credits: int) -> Problem:
    # `cert` has no catalog credits: it is worth what is applied inside it. Holding either
    # item meets it; only the 1-credit one makes it worth anything to the target's pool.
    # Found by a long property campaign (STACKWISE_PROPERTY_SCALE=6).
    items = [item("a", None, 0.0), item("b", None, 1.0)]
    pool = {"select": {"source": "derived"}, "credits": target_credits}
    return cert_problem({"all": [pool]}, {"select": {"subject": "CS"}, "count": 1}, items, None)


def test_a_credential_worth_what_is_inside_keeps_its_richer_fillings() -> None:
    # The tree solver kept only the 0-credit filling of `cert` ("fewer credits are
    # better"), which left the target's pool with nothing: progress 0 against 1/3.
    problem = _worth_what_is_inside(3)
    answer = solve_tree(problem)
    assert answer is not None
    assert answer[1].key() == solve_brute(problem)[1].key()
    assert answer[1].progress == pytest.approx(1 / 3)


def test_a_credential_worth_what_is_inside_can_meet_a_credit_requirement() -> None:
    # the same in the question "can it be met?": it said no (the in_progress status)
    problem = _worth_what_is_inside(1)
    assert solve_brute(problem)[1].met
    assert satisfiable_tree(problem) is True
