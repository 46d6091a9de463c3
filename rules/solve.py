"""Choose and run a solver, and score its answer."""

from __future__ import annotations

from rules.brute import search_space, solve_brute
from rules.milp import solve_milp
from rules.problem import Problem
from rules.score import Assignment, Score, score

#: Below this much work (assignments x nodes) scoring every assignment beats building and
#: solving the staged MILP, which costs ~1 ms a stage even for a three-leaf microcredential
#: (bench/bench_evaluate.py prints both sides). Both answers are exact.
BRUTE_FORCE_WORK = 1500


def solve(problem: Problem) -> tuple[Assignment, Score]:
    """The best assignment for ``problem`` and its exact score."""
    if not any(leaf.items or leaf.derived or leaf.forced for leaf in problem.leaves()):
        assignment = Assignment(frozenset())  # nothing can be applied: skip the solver
        return assignment, score(problem, assignment)
    if search_space(problem) * len(problem.nodes) <= BRUTE_FORCE_WORK:
        return solve_brute(problem)
    assignment = solve_milp(problem)
    return assignment, score(problem, assignment)
