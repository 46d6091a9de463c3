"""A quick necessary test of whether the target can be met at all.

Each leaf is judged with every candidate it has, as if no other leaf wanted them, and every
qualifier that could only refuse an assignment (GPA floors, windows, limits, grade and date
floors of derived credentials) is ignored. What fails this test fails every assignment, so
"no" here is exact and spares the solvers a stage; "maybe" decides nothing.
"""

from __future__ import annotations

from rules.problem import Node, Problem
from rules.score import select_standing


def may_be_met(problem: Problem) -> bool:
    """``False`` only when no assignment can meet the target."""
    return _Relaxation(problem).met(problem.roots[problem.target])


class _Relaxation:
    def __init__(self, problem: Problem) -> None:
        self.pb = problem
        self.memo: dict[int, bool] = {}

    def met(self, idx: int) -> bool:
        if idx not in self.memo:
            self.memo[idx] = self._met(self.pb.nodes[idx])
        return self.memo[idx]

    def _met(self, node: Node) -> bool:
        if node.waived:
            return True
        if node.kind == "skill":
            return node.skill_met
        if node.is_leaf:
            return self._leaf(node)
        met = sum(1 for child in node.children if self.met(child))
        if node.kind == "all":
            return met == len(node.children)
        if node.kind == "any":
            return met >= 1
        return met >= node.need

    def _leaf(self, node: Node) -> bool:
        derived = [cred for cred in node.derived if self.met(self.pb.roots[cred])]
        count = len(node.items) + len(node.forced) + len(derived)
        if node.kind == "credential":
            return count >= 1
        credits = sum(self.pb.items[i].credits for i in (*node.items, *node.forced))
        for cred in derived:
            worth = self.pb.derivations[cred].credits
            # worth what is inside it, which may hold credentials worth a catalog figure:
            # no bound worth computing for a test that only needs to be optimistic
            credits += worth if worth is not None else float("inf")
        return select_standing(node.rule, count, credits)[0]
