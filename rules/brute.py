"""Brute force: score every assignment and keep the best. The reference for tests.

Exponential on purpose; use it on small instances only (property tests compare it with the
MILP solver).
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations

from rules.problem import Node, Problem
from rules.score import Assignment, Score, Thing, score


def _options(node: Node) -> list[tuple[Thing, ...]]:
    forced: tuple[Thing, ...] = tuple(node.forced)
    cands: list[Thing] = [*node.items, *node.derived]
    if node.kind == "credential":
        if forced:
            return [forced]
        return [(), *((c,) for c in cands)]
    out: list[tuple[Thing, ...]] = []
    for size in range(len(cands) + 1):
        for combo in combinations(cands, size):
            out.append(forced + combo)
    return out


def search_space(problem: Problem) -> int:
    """How many assignments :func:`assignments` may visit at most (before pruning reuse)."""
    total = 1
    for leaf in problem.leaves():
        cands = len(leaf.items) + len(leaf.derived)
        if leaf.kind == "credential":
            total *= 1 if leaf.forced else 1 + cands
        else:
            total *= 2**cands
    return total


def assignments(problem: Problem) -> Iterator[Assignment]:
    """Every assignment that respects one item a non-shared leaf."""
    leaves = problem.leaves()

    def rec(i: int, used: frozenset[Thing], acc: list[tuple[int, Thing]]) -> Iterator[Assignment]:
        if i == len(leaves):
            yield Assignment(frozenset(acc))
            return
        leaf = leaves[i]
        for option in _options(leaf):
            if not leaf.share and any(t in used for t in option):
                continue
            new_used = used if leaf.share else used | set(option)
            yield from rec(i + 1, frozenset(new_used), acc + [(leaf.idx, t) for t in option])

    # shared leaves may reuse what non-shared ones took, so enumerate them last
    leaves.sort(key=lambda n: n.share)
    yield from rec(0, frozenset(), [])


def solve_brute(problem: Problem) -> tuple[Assignment, Score]:
    """The best valid assignment by the contract's order of preference."""
    best: tuple[Assignment, Score] | None = None
    for assignment in assignments(problem):
        result = score(problem, assignment)
        if not result.valid:
            continue
        if best is None or result.key() < best[1].key():
            best = (assignment, result)
    if best is None:
        empty = Assignment(frozenset())
        return empty, score(problem, empty)
    return best
