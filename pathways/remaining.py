"""A quick estimate of what is left to earn toward a goal, for ranking many goals.

It walks the goal's rule once, pricing each leaf at its cheapest unheld way in and ignoring
prerequisites and double counting, so it is fast and usually a lower bound. It only orders
goals for the ranking; every plan shown to a learner comes from the exact planner.

:func:`progress_bound` is the other way round: a true upper bound on a goal's progress,
read off its compiled problem, so the ranking can skip the exact solve of a goal that
cannot reach the goals it shows.
"""

from __future__ import annotations

from pathways.graph import PathwayGraph
from pathways.plan import Measure, measure_of
from rules.model import AllRule, AnyRule, CredentialRule, RuleNode, SelectRule, SkillRule, as_node
from rules.problem import Node, Problem

INFINITE = float("inf")


def estimate_remaining(graph: PathwayGraph, held: set[str], goal: str, by: Measure) -> float:
    """Estimated ``by`` still to spend on ``goal`` (``inf`` when it looks out of reach)."""
    return _Estimator(graph, held, by).credential(goal, frozenset())


def estimate_many(
    graph: PathwayGraph, held: set[str], goals: list[str], by: Measure
) -> dict[str, float]:
    """:func:`estimate_remaining` of each of ``goals``, sharing the work between them.

    One walk memoises each credential's estimate; that memo can only be shared between
    goals when no credential stacks into itself, since a cycle is cut where the walk
    entered it and so depends on the goal. With a cycle, each goal gets its own walk.
    """
    if not graph.stacking_is_acyclic:
        return {goal: estimate_remaining(graph, held, goal, by) for goal in goals}
    estimator = _Estimator(graph, held, by)
    return {goal: estimator.credential(goal, frozenset()) for goal in goals}


class _Estimator:
    def __init__(self, graph: PathwayGraph, held: set[str], by: Measure) -> None:
        self.graph = graph
        self.catalog = graph.catalog
        self.held = held
        self.by = by
        self.memo: dict[str, float] = {}
        self.skills: dict[tuple[str, int], float] = {}

    def price(self, cid: str) -> float:
        return measure_of(self.catalog, cid, self.by)

    def credential(self, cid: str, stack: frozenset[str]) -> float:
        if cid in self.held:
            return 0.0
        if cid in self.memo:
            return self.memo[cid]
        rule = self.catalog.credentials[cid].requires
        if rule is None:
            value = min(self.price(c) for c in self.catalog.equivalents[cid])
        elif cid in stack:
            value = INFINITE
        else:
            value = self.rule(as_node(rule), cid, stack | {cid})
        self.memo[cid] = value
        return value

    def rule(self, rule: RuleNode, owner: str, stack: frozenset[str]) -> float:
        if isinstance(rule, CredentialRule):
            return self.credential(rule.credential, stack)
        if isinstance(rule, SkillRule):
            return self._skill(rule)
        if isinstance(rule, SelectRule):
            return self._select(rule, owner, stack)
        costs = sorted(self.rule(as_node(c), owner, stack) for c in rule.children())
        if isinstance(rule, AllRule):
            return sum(costs)
        need = 1 if isinstance(rule, AnyRule) else rule.at_least
        return sum(costs[:need])

    def _skill(self, rule: SkillRule) -> float:
        key = (rule.skill, rule.level)
        if key not in self.skills:  # a scan of the whole catalog: once per skill and level
            self.skills[key] = self._skill_scan(rule)
        return self.skills[key]

    def _skill_scan(self, rule: SkillRule) -> float:
        best = INFINITE
        for cid, cred in self.catalog.credentials.items():
            if any(r.skill == rule.skill and r.level >= rule.level for r in cred.skill_refs()):
                if cid in self.held:
                    return 0.0
                if cred.requires is None:
                    best = min(best, self.price(cid))
        return best

    def _select(self, rule: SelectRule, owner: str, stack: frozenset[str]) -> float:
        excluded = frozenset({owner}) | self.catalog.stacked_on(owner)
        matches = self.graph.index.matching(rule.select, excluded)
        have = [c for c in matches if c in self.held]
        options = sorted((self.credential(c, stack), c) for c in matches if c not in self.held)
        total = 0.0
        if rule.count is not None:
            short = max(0, rule.count - len(have))
            if short > len(options):
                return INFINITE
            total = sum(cost for cost, _ in options[:short])
        if rule.credits is not None:
            credits = sum(self.catalog.credits_of(c) or 0.0 for c in have)
            by_ratio = sorted(
                options, key=lambda o: o[0] / max(self.catalog.credits_of(o[1]) or 1e-9, 1e-9)
            )
            spent = 0.0
            for cost, cid in by_ratio:
                if credits >= rule.credits - 1e-9:
                    break
                credits += self.catalog.credits_of(cid) or 0.0
                spent += cost
            if credits < rule.credits - 1e-9:
                return INFINITE
            total = max(total, spent)
        return total


#: A root bounded at least this high may be satisfiable (a satisfied node scores 1, or a
#: hair under it when a credit total meets its threshold within the scorer's tolerance).
MAY_BE_MET = 0.99


def progress_bound(problem: Problem) -> float:
    """An upper bound on the root progress any assignment of ``problem`` reaches.

    The contract's progress formulas (those :mod:`rules.score` implements) with every leaf
    given all of its candidates at once and every qualifier ignored: sharing items between
    leaves, grade floors, windows and limits can only lower a node, and each formula (mean,
    maximum, mean of the best N, capped ratios) never falls when a child rises. So a goal
    whose bound is below what the ranking already holds needs no exact solve.
    """
    memo: dict[int, float] = {}

    def derived_ok(cred: str) -> bool:
        root = problem.roots.get(cred)
        return root is not None and bound(root) >= MAY_BE_MET

    def bound(idx: int) -> float:
        if idx in memo:
            return memo[idx]
        # derived credentials can match each other's selects: inside such a cycle the node
        # being bounded counts as fully met, which keeps every bound above the truth
        memo[idx] = 1.0
        node = problem.nodes[idx]
        value = 1.0
        if node.waived:
            value = 1.0
        elif node.kind == "credential":
            if node.items or node.forced or any(derived_ok(d) for d in node.derived):
                value = 1.0
            else:
                # with nothing applied the leaf reports its credential's own progress
                value = max((bound(problem.roots[d]) for d in node.derived), default=0.0)
                cred = str(getattr(node.rule, "credential", ""))
                if cred in problem.roots and cred != problem.target:
                    value = max(value, bound(problem.roots[cred]))
        elif node.kind == "select":
            value = _select_bound(problem, node, [d for d in node.derived if derived_ok(d)])
        elif node.kind == "skill":
            value = 1.0 if node.skill_met else 0.0
        elif node.children:
            kids = sorted((bound(child) for child in node.children), reverse=True)
            if node.kind == "all":
                value = sum(kids) / len(kids)
            elif node.kind == "any":
                value = kids[0]
            elif node.kind == "at_least" and node.need > 0:
                value = sum(kids[: node.need]) / node.need
        memo[idx] = min(value, 1.0)
        return memo[idx]

    return bound(problem.roots[problem.target])


def _select_bound(problem: Problem, node: Node, derived: list[str]) -> float:
    """min(1, count / needed, credits / needed) with every candidate taken."""
    items = set(node.items) | set(node.forced)
    ratios = [1.0]
    count = getattr(node.rule, "count", None)
    if count is not None and count > 0:
        ratios.append((len(items) + len(derived)) / count)
    credits = getattr(node.rule, "credits", None)
    if credits is not None and credits > 0:
        inner = [problem.derivations[d].credits for d in derived]
        if all(c is not None for c in inner):
            total = sum(max(problem.items[i].credits, 0.0) for i in items)
            total += sum(max(c or 0.0, 0.0) for c in inner)
            ratios.append(total / credits)
    return min(ratios)
