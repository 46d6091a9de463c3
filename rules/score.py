"""Score one assignment of items to leaves exactly, as the contract defines it.

Both solvers (the MILP and the brute force used by the tests) hand their assignment here;
the explanation is built from this score, so what a decision says is always what was checked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from rules.items import Item
from rules.model import Limit, RuleNode
from rules.problem import Node, Problem, matches_filter

#: An unsatisfied node never reports more than this, so it never rounds to 1.
UNMET_CAP = 0.9999
EPS = 1e-9

Thing = int | str  # an item index, or a derived credential id


@dataclass(frozen=True)
class Assignment:
    """Which items (by index) and derived credentials each leaf takes."""

    pairs: frozenset[tuple[int, Thing]]

    def at(self, leaf: int) -> list[Thing]:
        """Things applied at ``leaf``, items first, in a stable order."""
        return list(self._by_leaf.get(leaf, ()))

    @cached_property
    def _by_leaf(self) -> dict[int, list[Thing]]:
        # the scorer and the explainer ask every node: index the pairs once, not per call
        out: dict[int, list[Thing]] = {}
        for leaf, thing in self.pairs:
            out.setdefault(leaf, []).append(thing)
        for things in out.values():
            things.sort(key=_thing_key)
        return out


def thing_item(problem: Problem, thing: Thing) -> Item:
    """The item, or a derived credential's catalog template, that filters look at."""
    return problem.items[thing] if isinstance(thing, int) else problem.derivations[thing].template


def thing_credits(problem: Problem, derived: dict[str, DerivedItem], thing: Thing) -> float:
    """Credits one applied thing brings."""
    return problem.items[thing].credits if isinstance(thing, int) else derived[thing].credits


def counted(problem: Problem, things: list[Thing]) -> list[Thing]:
    """What subtree aggregates count: forced (``apply``) items pass every qualifier."""
    return [t for t in things if not (isinstance(t, int) and problem.items[t].forced)]


def limit_amount(
    problem: Problem, derived: dict[str, DerivedItem], things: list[Thing], limit: Limit
) -> float:
    """Credits (or items) among ``things`` that a limit's filter matches."""
    amount = 0.0
    for thing in counted(problem, things):
        if matches_filter(limit.where, thing_item(problem, thing)):
            amount += 1 if limit.unit == "items" else thing_credits(problem, derived, thing)
    return amount


def select_standing(rule: RuleNode, count: int, credits: float) -> tuple[bool, float]:
    """A select leaf's (satisfied, progress) with ``count`` things worth ``credits``."""
    need_count = getattr(rule, "count", None)
    need_credits = getattr(rule, "credits", None)
    ratios = [1.0]
    satisfied = True
    if need_count is not None:
        ratios.append(count / need_count)
        satisfied = satisfied and count >= need_count
    if need_credits is not None:
        ratios.append(credits / need_credits)
        satisfied = satisfied and credits >= need_credits - EPS
    return satisfied, min(ratios)


def _thing_key(thing: Thing) -> tuple[int, str]:
    return (0, f"{thing:09d}") if isinstance(thing, int) else (1, thing)


@dataclass
class NodeScore:
    """Status of one node under an assignment."""

    satisfied: bool
    progress: float
    things: list[Thing] = field(default_factory=list)  # applied in the sub-tree
    notes: list[str] = field(default_factory=list)


@dataclass
class DerivedItem:
    """A credential met inside the assignment."""

    credential: str
    credits: float
    earned_on: date | None
    points_sum: float
    points_weight: float
    in_progress: bool

    @property
    def points(self) -> float | None:
        """Grade points of a derived credential: the GPA of the graded items inside it."""
        return self.points_sum / self.points_weight if self.points_weight > EPS else None


@dataclass
class Score:
    """The exact value of an assignment."""

    valid: bool
    reason: str
    nodes: dict[int, NodeScore]
    derived: dict[str, DerivedItem]
    credits: float
    gpa: float | None
    pairs: list[tuple[str, str]]

    @property
    def progress(self) -> float:
        """Progress of the target's root."""
        return self._root_progress

    @property
    def met(self) -> bool:
        """Whether the assignment is valid and meets the target."""
        return self.valid and self._root_met

    _root_progress: float = 0.0
    _root_met: bool = False

    def key(self) -> tuple[float, float, float, list[tuple[str, str]]]:
        """Smaller is better: greatest progress, fewest credits, highest GPA, first pairs."""
        return preference_key(self._root_progress, self.credits, self.gpa, self.pairs)


def preference_key(
    progress: float, credits: float, gpa: float | None, pairs: list[tuple[str, str]]
) -> tuple[float, float, float, list[tuple[str, str]]]:
    """The contract's order among assignments as a sort key (smaller is better).

    Rounded so that float noise in sums never decides; no GPA at all ranks below any GPA.
    """
    no_gpa = -1.0 if gpa is None else gpa
    return (-round(progress, 9), round(credits, 9), -round(no_gpa, 9), pairs)


def score(problem: Problem, assignment: Assignment) -> Score:
    """Evaluate ``assignment`` on ``problem``; ``valid`` is False when it breaks a rule."""
    return _Scorer(problem, assignment).run()


class _Scorer:
    def __init__(self, problem: Problem, assignment: Assignment) -> None:
        self.p = problem
        self.a = assignment
        self.nodes: dict[int, NodeScore] = {}
        self.derived: dict[str, DerivedItem] = {}
        self.problems: list[str] = []

    # -- structure checks -------------------------------------------------------------------
    def _check_uses(self) -> None:
        nonshare: dict[Thing, int] = {}
        for leaf, thing in self.a.pairs:
            node = self.p.nodes[leaf]
            if not node.is_leaf or node.waived:
                self.problems.append(f"{node.path} takes no items")
                continue
            allowed = (
                (thing in node.derived)
                if isinstance(thing, str)
                else (thing in node.items or thing in node.forced)
            )
            if not allowed:
                self.problems.append(f"{thing} is not a candidate of {node.path}")
            if not node.share:
                nonshare[thing] = nonshare.get(thing, 0) + 1
        for thing, count in nonshare.items():
            if count > 1:
                self.problems.append(f"{thing} applied {count} times")
        for node in self.p.nodes:
            for forced in node.forced:
                if (node.idx, forced) not in self.a.pairs:
                    self.problems.append(f"forced item {forced} missing at {node.path}")
            if node.kind == "credential" and len(self.a.at(node.idx)) > 1:
                self.problems.append(f"{node.path} takes one item")

    # -- main -------------------------------------------------------------------------------
    def run(self) -> Score:
        self._check_uses()
        for owner in self.p.derived_order:
            root = self.p.roots[owner]
            self._eval(root)
            self.derived[owner] = self._derived_item(owner, root)
        root_score = self._eval(self.p.roots[self.p.target])
        applied_anywhere = {t for _, t in self.a.pairs}
        for leaf, thing in self.a.pairs:
            if isinstance(thing, str) and not self.nodes[self.p.roots[thing]].satisfied:
                self.problems.append(f"{thing} applied at {self.p.nodes[leaf].path} is not met")
        credits = self._scope_credits(self.p.target)
        for owner in self.p.derived_order:
            if owner not in applied_anywhere:
                credits += self._scope_credits(owner)
        gpa = self._gpa()
        pairs = sorted(
            (
                self.p.nodes[leaf].path,
                thing if isinstance(thing, str) else self.p.items[thing].credential,
            )
            for leaf, thing in self.a.pairs
        )
        result = Score(
            valid=not self.problems,
            reason="; ".join(self.problems),
            nodes=self.nodes,
            derived=self.derived,
            credits=credits,
            gpa=gpa,
            pairs=pairs,
        )
        result._root_progress = root_score.progress
        result._root_met = root_score.satisfied
        return result

    def _scope_things(self, owner: str) -> list[Thing]:
        seen: dict[Thing, None] = {}
        for leaf, thing in sorted(self.a.pairs, key=lambda p: (p[0], _thing_key(p[1]))):
            if self.p.nodes[leaf].owner == owner:
                seen[thing] = None
        return list(seen)

    def thing_credits(self, thing: Thing) -> float:
        """Credits one applied thing brings."""
        return thing_credits(self.p, self.derived, thing)

    def _scope_credits(self, owner: str) -> float:
        return sum(self.thing_credits(t) for t in self._scope_things(owner))

    def _gpa(self) -> float | None:
        total = weight = 0.0
        for thing in {t for _, t in self.a.pairs if isinstance(t, int)}:
            item = self.p.items[thing]
            if item.points is None or item.in_progress:
                continue
            total += item.points * item.credits
            weight += item.credits
        return total / weight if weight > EPS else None

    def _derived_item(self, owner: str, root: int) -> DerivedItem:
        things = self._scope_things(owner)
        derivation = self.p.derivations[owner]
        contents = sum(self.thing_credits(t) for t in things)
        dates = [d for t in things if (d := self._date(t)) is not None]
        psum = pweight = 0.0
        in_progress = False
        for thing in things:
            if isinstance(thing, int):
                item = self.p.items[thing]
                in_progress = in_progress or item.in_progress
                if (
                    item.points is not None
                    and not item.in_progress
                    and (item.source == "institution")
                ):
                    psum += item.points * item.credits
                    pweight += item.credits
            else:
                inner = self.derived[thing]
                in_progress = in_progress or inner.in_progress
                psum += inner.points_sum
                pweight += inner.points_weight
        return DerivedItem(
            credential=owner,
            credits=derivation.credits if derivation.credits is not None else contents,
            earned_on=max(dates) if dates else None,
            points_sum=psum,
            points_weight=pweight,
            in_progress=in_progress,
        )

    def _date(self, thing: Thing) -> date | None:
        if isinstance(thing, int):
            item = self.p.items[thing]
            return None if item.in_progress else item.earned_on
        return self.derived[thing].earned_on

    # -- nodes ------------------------------------------------------------------------------
    def _eval(self, idx: int) -> NodeScore:
        node = self.p.nodes[idx]
        if node.waived:
            result = NodeScore(True, 1.0, notes=["waived"])
        elif node.kind == "credential":
            result = self._credential(node)
        elif node.kind == "select":
            result = self._select(node)
        elif node.kind == "skill":
            result = NodeScore(node.skill_met, 1.0 if node.skill_met else 0.0)
        else:
            result = self._combinator(node)
        if not node.waived:
            self._qualifiers(node, result)
        if not result.satisfied:
            result.progress = min(result.progress, UNMET_CAP)
        self.nodes[idx] = result
        return result

    def _credential(self, node: Node) -> NodeScore:
        things = self.a.at(node.idx)
        for thing in things:
            self._check_derived_quals(node, thing)
        if things:
            return NodeScore(True, 1.0, things=list(things))
        cred = node.rule.credential if hasattr(node.rule, "credential") else ""
        root = self.p.roots.get(str(cred))
        if root is not None and root in self.nodes and str(cred) != self.p.target:
            # contract: with no item applied, the leaf reports the progress of the rule
            return NodeScore(False, self.nodes[root].progress)
        return NodeScore(False, 0.0)

    def _select(self, node: Node) -> NodeScore:
        things = self.a.at(node.idx)
        for thing in things:
            self._check_derived_quals(node, thing)
        credits = sum(self.thing_credits(t) for t in things)
        satisfied, progress = select_standing(node.rule, len(things), credits)
        return NodeScore(satisfied, progress, things=list(things))

    def _combinator(self, node: Node) -> NodeScore:
        kids = [self._eval(child) for child in node.children]
        things: list[Thing] = []
        for kid in kids:
            things.extend(t for t in kid.things if t not in things)
        met = sum(1 for kid in kids if kid.satisfied)
        if node.kind == "all":
            return NodeScore(met == len(kids), sum(k.progress for k in kids) / len(kids), things)
        if node.kind == "any":
            return NodeScore(met >= 1, max(k.progress for k in kids), things)
        best = sorted((k.progress for k in kids), reverse=True)[: node.need]
        return NodeScore(met >= node.need, sum(best) / node.need, things)

    def _check_derived_quals(self, node: Node, thing: Thing) -> None:
        if not isinstance(thing, str):
            return
        derived = self.derived.get(thing)
        if derived is None:
            self.problems.append(f"{thing} is not derived before {node.path}")
            return
        if derived.in_progress:
            return
        floor = node.min_points  # the leaf's own min_grade and its ancestors' (rules.problem)
        if floor is not None and (derived.points is None or derived.points < floor - EPS):
            self.problems.append(f"{thing} at {node.path}: grade below the minimum")
        if node.recent_cutoff is not None and (
            derived.earned_on is None or derived.earned_on < node.recent_cutoff
        ):
            self.problems.append(f"{thing} at {node.path}: not recent")

    def _qualifiers(self, node: Node, result: NodeScore) -> None:
        rule = node.rule
        things = counted(self.p, result.things)
        floor = rule.gpa_floor
        if floor is not None:
            total = weight = 0.0
            for thing in things:
                if isinstance(thing, int):
                    item = self.p.items[thing]
                    if item.points is None or item.in_progress or item.source not in floor.sources:
                        continue
                    total += (item.points - floor.value) * item.credits
                    weight += item.credits
                elif "derived" in floor.sources:
                    inner = self.derived[thing]
                    if not inner.in_progress:
                        total += inner.points_sum - floor.value * inner.points_weight
                        weight += inner.points_weight
            if weight > EPS and total < -1e-7:
                self.problems.append(f"{node.path}: GPA below {floor.value}")
        window = rule.window_duration
        if window is not None:
            dates = [d for t in things if (d := self._date(t)) is not None]
            if dates and max(dates) > window.add_to(min(dates)):
                self.problems.append(f"{node.path}: outside the {rule.window} window")
        for limit in rule.limits or []:
            amount = limit_amount(self.p, self.derived, result.things, limit)
            if limit.at_most is not None and amount > limit.at_most + EPS:
                self.problems.append(f"{node.path}: more than {limit.at_most} {limit.unit}")
            if limit.at_least is not None and amount < limit.at_least - EPS:
                result.satisfied = False
                result.progress = min(result.progress, amount / limit.at_least)
