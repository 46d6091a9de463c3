"""Choose and run a solver, and score its answer."""

from __future__ import annotations

from rules.milp import solve_milp
from rules.problem import Problem
from rules.score import Assignment, Score, score


def solve(problem: Problem) -> tuple[Assignment, Score]:
    """The best assignment for ``problem`` and its exact score."""
    if not any(leaf.items or leaf.derived or leaf.forced for leaf in problem.leaves()):
        assignment = Assignment(frozenset())  # nothing can be applied: skip the solver
    else:
        assignment = solve_milp(problem)
    return assignment, score(problem, assignment)
