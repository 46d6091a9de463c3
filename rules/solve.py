"""Choose and run a solver, and score its answer."""

from __future__ import annotations

from rules.brute import search_space, solve_brute
from rules.milp import formulate, solve_milp_scored
from rules.problem import Problem
from rules.relaxed import may_be_met
from rules.score import Assignment, Score, score
from rules.tree import satisfiable_tree, solve_tree

#: Below this much work (assignments x nodes) scoring every assignment beats building and
#: solving the staged MILP, which costs ~0.3 ms a stage even for a three-leaf
#: microcredential. Measured on every demo learner x stacked credential x three dates: the
#: two cross at ~350 (1.3 ms each); at 700 the brute force took 2.8 ms against the MILP's
#: 1.8, at 1,856 6.9 ms against 2.2. Both answers are exact.
BRUTE_FORCE_WORK = 300


def _brute_force_pays(problem: Problem) -> bool:
    return search_space(problem) * len(problem.nodes) <= BRUTE_FORCE_WORK


def solve(problem: Problem) -> tuple[Assignment, Score]:
    """The best assignment for ``problem`` and its exact score."""
    if not any(leaf.items or leaf.derived or leaf.forced for leaf in problem.leaves()):
        assignment = Assignment(frozenset())  # nothing can be applied: skip the solver
        return assignment, score(problem, assignment)
    answer = solve_tree(problem)  # no contention: the rule tree alone decides (rules.tree)
    if answer is not None:
        return answer
    if _brute_force_pays(problem):
        return solve_brute(problem)
    return solve_milp_scored(problem)


def satisfiable(problem: Problem) -> bool:
    """Whether some assignment meets the target (the first stage of :func:`solve` only).

    A learner's in-progress items only decide the status ``in_progress``: whether the target
    *can* be met with them, not how best, so the credit, GPA and pair-order stages are skipped.
    """
    if not may_be_met(problem):
        return False
    met = satisfiable_tree(problem)
    if met is not None:
        return met
    if _brute_force_pays(problem):
        return solve_brute(problem)[1].met
    return satisfiable_milp(problem)


def satisfiable_milp(problem: Problem) -> bool:
    """:func:`satisfiable` by the MILP's first stage (whatever the problem's size)."""
    f = formulate(problem)
    root = problem.roots[problem.target]
    values = f.model.solve({f.p[root]: -1.0})
    if values is None or values[f.p[root]] < 1.0 - 1e-6:
        return False
    if score(problem, f.assignment(values)).met:
        return True
    return solve(problem)[1].met  # tolerances fooled the first stage: settle it exactly
