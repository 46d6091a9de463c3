"""The MILP solver equals brute force on random small instances."""

from __future__ import annotations

from itertools import islice
from unittest.mock import patch

from hypothesis import event, given

from rules import milp
from rules.brute import assignments, search_space, solve_brute
from rules.milp import solve_milp
from rules.problem import Problem
from rules.score import Score, score
from rules.solve import satisfiable_milp, solve
from tests.properties import search
from tests.rules.strategies import problems

SETTINGS = search(400, large_data=True)


def _small(problem: Problem) -> bool:
    return sum(1 for _ in islice(assignments(problem), 4001)) <= 4000


def _comparable(problem: Problem) -> bool:
    """Small enough for the brute force (hypothesis's statistics count both kinds)."""
    if _small(problem):
        event("compared")
        return True
    event("too large for brute force")
    return False


@SETTINGS
@given(problems())
def test_milp_matches_brute_force(problem: Problem) -> None:
    if not _comparable(problem):
        return
    _assert_same(problem, score(problem, solve_milp(problem)), solve_brute(problem)[1])


@search(200)
@given(problems())
def test_pair_order_in_blocks_of_two_matches_brute_force(problem: Problem) -> None:
    # Small problems fit one block of pair ranks; two ranks a block puts them through the
    # block-by-block path (ranks skipped once fixed, a thing's other pairs fixed with it).
    if not _comparable(problem):
        return
    with patch.object(milp, "_LEX_BLOCK", 2):
        got = score(problem, solve_milp(problem))
    _assert_same(problem, got, solve_brute(problem)[1])


@search(200)
@given(problems(graded=True))
def test_fewest_credits_then_most_points_in_one_solve_matches_brute_force(
    problem: Problem,
) -> None:
    # Every item graded: the credits stage also finds the most grade points
    # (milp._credits_then_points), which the GPA stage then need not solve.
    if not _comparable(problem):
        return
    if milp._credits_then_points(milp.formulate(problem)) is not None:
        event("credits and points in one solve")
    _assert_same(problem, score(problem, solve_milp(problem)), solve_brute(problem)[1])


def _assert_same(problem: Problem, got: Score, expected: Score) -> None:
    assert got.valid, got.reason
    root = problem.roots[problem.target]
    assert got.nodes[root].satisfied == expected.nodes[root].satisfied
    assert round(got.progress, 6) == round(expected.progress, 6)
    assert round(got.credits, 6) == round(expected.credits, 6)
    assert (got.gpa is None) == (expected.gpa is None)
    if got.gpa is not None and expected.gpa is not None:
        assert round(got.gpa, 6) == round(expected.gpa, 6)
    assert got.pairs == expected.pairs


@search(200)
@given(problems())
def test_search_space_bounds_the_enumeration(problem: Problem) -> None:
    # solve() trusts this bound to send only small instances to the brute force
    bound = search_space(problem)
    visited = sum(1 for _ in islice(assignments(problem), bound + 1))
    assert 1 <= visited <= bound


@SETTINGS
@given(problems())
def test_solve_answers_like_the_milp(problem: Problem) -> None:
    # whichever solver solve() picks, the decision is the one the MILP gives
    if not _comparable(problem):
        return
    _, got = solve(problem)
    expected = score(problem, solve_milp(problem))
    assert got.valid
    assert got.key() == expected.key()


@SETTINGS
@given(problems(in_progress=True))
def test_satisfiable_matches_brute_force(problem: Problem) -> None:
    # the in_progress status rests on this one-stage answer
    if not _comparable(problem):
        return
    _, expected = solve_brute(problem)
    met = expected.valid and expected.nodes[problem.roots[problem.target]].satisfied
    assert satisfiable_milp(problem) == met
