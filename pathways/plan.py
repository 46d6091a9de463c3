"""The exact cheapest plan to a goal (contract section 5), as one mixed-integer program.

The engine's own model of the goal (``rules.milp.formulate``) is reused whole. Every
credential the learner could still earn that can help (a component, an equivalent, a
prerequisite, a skill carrier, a transfer source) joins the pool as a hypothetical item,
completed on the decision date with the scale's best grade and a full score (so it meets
every grade and score qualifier; in-progress items would not do, because the engine never
dates them and a time window over a derived credential needs a dated item inside). A buy
variable ``b_c`` bounds each such item's uses; the goal's root is forced satisfied; each
bought credential's ``prerequisites`` rule is a separate copy of the engine's model over
held plus bought items (prerequisites never consume items). The measure is minimised, then
the number of credentials, then the first sorted id list wins.
"""

from __future__ import annotations

import datetime as dt
import heapq
from dataclasses import dataclass, field
from typing import Literal

import networkx as nx
import numpy as np

from pathways.catalog import Catalog
from pathways.errors import UsageError
from pathways.evaluate import derivations, grade_thresholds, target_rule
from pathways.graph import PathwayGraph
from pathways.held_short import held_short
from pathways.items import Countable, countable_items
from pathways.record import EarnedItem, LearnerRecord
from rules.items import Item
from rules.linear import WHOLE_LIMIT, Expr, LinearModel, value_at, whole
from rules.milp import Formulation, fix_by_reduced_costs, formulate
from rules.model import Rule, SkillRule
from rules.problem import Derivation, Problem, compile_problem
from rules.solve import satisfiable, solve

Measure = Literal["cost", "hours", "credits"]
MEASURES: tuple[Measure, ...] = ("cost", "hours", "credits")
_LEX_BLOCK = 20  # ids a solve of the last stage orders (weights 2^19..2^0, as rules.milp)


def check_measure(by: str) -> Measure:
    """``by`` as a measure, or a :class:`UsageError` naming it."""
    for measure in MEASURES:
        if by == measure:
            return measure
    raise UsageError(f"--by {by!r} is not one of: {', '.join(MEASURES)}")


def measure_of(catalog: Catalog, cid: str, by: Measure) -> float:
    """A credential's cost, hours or credits (0 when the catalog does not say)."""
    cred = catalog.credentials[cid]
    if by == "cost":
        return float(cred.cost or 0.0)
    if by == "hours":
        return float(cred.hours or 0.0)
    return float(catalog.credits_of(cid) or 0.0)


def best_grade(catalog: Catalog) -> str | None:
    """The passing grade with the most points on the catalog's scale (``None``: none)."""
    scale = catalog.scale
    for grade in scale.all_grades():
        if scale.passes(grade) and scale.grade_points(grade) is not None:
            return grade
    return None


def hypothetical_entry(catalog: Catalog, cid: str, as_of: dt.date) -> EarnedItem:
    """``cid`` as if completed on ``as_of`` with the best grade and a full score.

    This is what "completion with grades that meet every qualifier" means for a plan: the
    engine then judges windows, caps, expiry and transfer values on the real dates.
    """
    return EarnedItem(credential=cid, earned_on=as_of, grade=best_grade(catalog), score=1.0)


@dataclass
class Plan:
    """The answer for one goal: the credentials to earn, or why there are none."""

    goal: str
    by: Measure
    plan: list[str] | None
    total: float | None
    reason: str | None = None
    #: credential -> (owner credential, requirement label) pairs it fills
    fills: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    #: credential -> plan credentials whose prerequisites it helps meet
    enables: dict[str, list[str]] = field(default_factory=dict)
    #: credential -> plan credentials its own prerequisites draw on
    needs: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class _Pool:
    held: list[Item]
    items: list[Item]
    hypothetical: dict[int, str]  # item index -> candidate credential id
    waived: frozenset[str]


class Planner:
    """Plans against one catalog; caches what does not depend on the learner."""

    def __init__(self, catalog: Catalog, graph: PathwayGraph | None = None) -> None:
        self.catalog = catalog
        self.graph = graph or PathwayGraph(catalog)
        self._derivations: dict[str, Derivation] = derivations(catalog, "")
        self._scale = grade_thresholds(catalog)
        self._excluded: dict[str, frozenset[str]] = {}

    # -- building the pool ------------------------------------------------------------------
    def candidates(self, record: LearnerRecord, goal: str, as_of: dt.date) -> list[str]:
        """Credentials the learner could still earn that may help toward ``goal``."""
        return self._candidates(countable_items(self.catalog, record, goal, as_of), goal)

    def _candidates(self, countable: Countable, goal: str) -> list[str]:
        catalog = self.catalog
        taken: set[str] = set()
        for item in countable.items + countable.in_progress:
            taken |= catalog.equivalents[item.credential]
        pool = self.graph.contributors(goal) | {goal}
        return sorted(c for c in pool if catalog.credentials[c].requires is None and c not in taken)

    def _pool(
        self, record: LearnerRecord, goal: str, as_of: dt.date, countable: Countable
    ) -> _Pool:
        catalog = self.catalog
        held = countable.items + countable.in_progress
        candidates = self._candidates(countable, goal)
        # Equivalent credentials count as one item of their class, so each class gets at
        # most one hypothetical item per round of the engine's own item builder.
        rounds: list[list[str]] = []
        for cid in candidates:
            klass = catalog.equivalents[cid]
            for batch in rounds:
                if not any(other in klass for other in batch):
                    batch.append(cid)
                    break
            else:
                rounds.append([cid])
        extra: list[Item] = []
        for batch in rounds:
            synthetic = LearnerRecord(
                learner=record.learner,
                earned=[hypothetical_entry(catalog, cid, as_of) for cid in batch],
                exceptions=record.exceptions,
            )
            extra += countable_items(catalog, synthetic, goal, as_of).items
        extra.sort(key=lambda item: item.key)
        items = held + extra
        hypothetical = {len(held) + i: item.credential for i, item in enumerate(extra)}
        return _Pool(held, items, hypothetical, countable.waived)

    def _excluded_for(self, goal: str) -> frozenset[str]:
        if goal not in self._excluded:
            self._excluded[goal] = frozenset({goal}) | self.catalog.stacked_on(goal)
        return self._excluded[goal]

    def compile(
        self, owner: str, rule: Rule, items: list[Item], as_of: dt.date, waived: frozenset[str]
    ) -> Problem:
        """The engine's problem for ``rule`` owned by ``owner`` (a goal or a prerequisite)."""
        derivs = dict(self._derivations)  # a copy in C, not a 500-step comprehension
        derivs.pop(owner, None)
        return compile_problem(
            owner,
            rule,
            items,
            as_of=as_of,
            derivations=derivs,
            excluded=self._excluded_for(owner),
            scale=self._scale,
            waived=waived,
        )

    # -- the optimisation -------------------------------------------------------------------
    def plan(
        self,
        record: LearnerRecord,
        goal: str,
        by: Measure,
        as_of: dt.date,
        countable: Countable | None = None,
    ) -> Plan:
        """The exact cheapest plan for ``record`` to reach ``goal`` by ``by``.

        ``countable``, when given, is ``countable_items(catalog, record, goal, as_of)``
        already at hand (a ranking has it for every goal).
        """
        rule = target_rule(self.catalog, goal)
        if countable is None:
            countable = countable_items(self.catalog, record, goal, as_of)
        pool = self._pool(record, goal, as_of, countable)
        main = self.compile(goal, rule, pool.items, as_of, pool.waived)
        f = formulate(main)
        m = f.model
        buy = {index: m.var() for index in pool.hypothetical}
        self._link(m, f, main, pool, buy, 0)
        m.fix(f.s[main.roots[goal]], 1.0)
        # Prerequisite copies, only for candidates that can be used at all (a closure).
        subs: dict[int, tuple[Formulation, Problem, int]] = {}
        todo = sorted(self._used(f, main, pool, 0))
        while todo:
            index = todo.pop()
            if index in subs:
                continue
            cid = pool.hypothetical[index]
            prereq = self.catalog.credentials[cid].prerequisites
            if prereq is None:
                subs[index] = (f, main, -1)
                continue
            sub = self.compile(cid, prereq, pool.items, as_of, pool.waived)
            sf = formulate(sub)
            offset = _embed(m, sf.model)
            self._link(m, sf, sub, pool, buy, offset)
            klass = self.catalog.equivalents[cid]
            for pair in sf.pairs:
                # never its own prerequisite, not even through an equivalent
                if isinstance(pair.thing, int) and pool.items[pair.thing].credential in klass:
                    m.fix(pair.var + offset, 0.0)
            m.le({buy[index]: 1.0, sf.s[sub.roots[cid]] + offset: -1.0}, 0.0)
            subs[index] = (sf, sub, offset)
            todo.extend(i for i in self._used(sf, sub, pool, offset) if i not in subs)
        classes: dict[frozenset[str], dict[int, float]] = {}
        for index, var in buy.items():
            klass = self.catalog.equivalents[pool.hypothetical[index]]
            classes.setdefault(klass, {})[var] = 1.0
        for members in classes.values():
            if len(members) > 1:  # equivalent credentials count as one item: buy one at most
                m.le(members, 1.0)
        for index, var in buy.items():
            if index not in subs:
                m.fix(var, 0.0)  # helps nowhere: never bought
        _in_order(m, subs, buy)
        values = self._optimise(m, buy, pool, by)
        if values is None:
            return Plan(goal, by, None, None, reason=self._reason(goal, main, pool))
        chosen = {i for i, var in buy.items() if values[var] > 0.5}
        plan = Plan(goal, by, [], 0.0)
        self._explain(plan, rule, pool, chosen, as_of, values, subs)
        plan.plan = _order(sorted(pool.hypothetical[i] for i in chosen), plan.needs)
        plan.total = round(sum(measure_of(self.catalog, c, by) for c in plan.plan), 4)
        return plan

    def _link(
        self,
        m: LinearModel,
        f: Formulation,
        problem: Problem,
        pool: _Pool,
        buy: dict[int, int],
        offset: int,
    ) -> None:
        """Tie the hypothetical items of one copy of the model to their buy variables."""
        for pair in f.pairs:
            if isinstance(pair.thing, int) and pair.thing in buy:
                var = pair.var + offset
                if m.lb[var] == 1.0:  # an `apply` exception: placed there only if earned
                    m.lb[var] = 0.0
                    m.add({var: 1.0, buy[pair.thing]: -1.0}, 0.0, 0.0)
                else:
                    m.le({var: 1.0, buy[pair.thing]: -1.0}, 0.0)
        # A skill rule is decided when the problem is compiled, over every item in the pool:
        # when only hypothetical items carry the skill, it holds only if one is bought.
        for node in problem.nodes:
            if node.kind != "skill" or node.waived or not node.skill_met:
                continue
            rule = node.rule
            assert isinstance(rule, SkillRule)
            if any(_carries(item, rule) for item in pool.held):
                continue
            s = f.s[node.idx] + offset
            m.lb[s], m.ub[s] = 0.0, 1.0
            carriers = {buy[i]: -1.0 for i in buy if _carries(pool.items[i], rule)}
            m.le({s: 1.0, **carriers}, 0.0)

    def _used(self, f: Formulation, problem: Problem, pool: _Pool, offset: int) -> set[int]:
        """Hypothetical items one copy of the model can use (in a leaf or a skill rule)."""
        out = {
            p.thing for p in f.pairs if isinstance(p.thing, int) and p.thing in pool.hypothetical
        }
        for node in problem.nodes:
            if node.kind == "skill" and isinstance(node.rule, SkillRule):
                rule = node.rule
                out |= {i for i in pool.hypothetical if _carries(pool.items[i], rule)}
        return {i for i in out if isinstance(i, int)}

    def _optimise(
        self, m: LinearModel, buy: dict[int, int], pool: _Pool, by: Measure
    ) -> np.ndarray | None:
        """Cheapest, then fewest, then the first sorted list of ids (staged solves)."""
        cost: Expr = {
            var: measure_of(self.catalog, pool.hypothetical[i], by) for i, var in buy.items()
        }
        count: Expr = {var: 1.0 for var in buy.values()}
        both = _cheapest_then_fewest(cost, len(buy))
        values = m.solve(both or cost)
        if values is None:
            return None
        best = value_at(values, cost)
        # exact: a margin at HiGHS's feasibility tolerance (1e-6) let its presolve cut an
        # optimum off a later stage in the evaluator's MILP (rules/milp.py)
        m.le(cost, best)
        if both is None:
            values = m.solve_stage(count)
        fewest = round(value_at(values, count))
        m.le(count, fewest + 0.5)
        # what every plan the id blocks look at keeps, as the objectives that found it
        if both is None:
            settled = [(cost, best), (count, float(fewest))]
        else:
            settled = [(both, value_at(values, both))]
        chosen = {var for var in buy.values() if values[var] > 0.5}
        if not chosen:
            return values
        others = {var: 1.0 for var in buy.values() if var not in chosen}
        if not others:
            return values
        ranked = sorted(buy, key=lambda i: pool.hypothetical[i])
        if len(ranked) > _LEX_BLOCK:
            # Several blocks to solve: first fix what the LP relaxations of the stages
            # above prove cannot move (a credential that would cost more, or lengthen the
            # plan), and leave it out of the blocks, as rules.milp does before its pair
            # blocks. Without it carla's bachelor's plan took 113 ms against 95.
            fix_by_reduced_costs(m, settled, values)
        free = [i for i in ranked if m.lb[buy[i]] != m.ub[buy[i]]]
        blocks = [free[start : start + _LEX_BLOCK] for start in range(0, len(free), _LEX_BLOCK)]
        for number, block in enumerate(blocks):
            # whole powers of two, largest first (as in rules.milp): far above HiGHS's
            # absolute gap (1e-6), and an objective HiGHS sees is integral
            objective = {buy[i]: -(2.0 ** (_LEX_BLOCK - 1 - r)) for r, i in enumerate(block)}
            if number == 0:
                # Another plan as cheap and as short? The best of those for the first
                # block says: none (usually) ends the stage, else the better decides it.
                probe = m.copy()
                probe.ge(others, 1.0)
                other = probe.solve(objective)
                if other is None:
                    return values
                if value_at(other, objective) < value_at(values, objective) - 0.5:
                    values = other
            else:
                values = m.solve_stage(objective)
            for i in block:
                m.fix(buy[i], 1.0 if values[buy[i]] > 0.5 else 0.0)
        return values

    def _explain(
        self,
        plan: Plan,
        rule: Rule,
        pool: _Pool,
        chosen: set[int],
        as_of: dt.date,
        values: np.ndarray,
        subs: dict[int, tuple[Formulation, Problem, int]],
    ) -> None:
        """Record what each chosen credential fills and which of the others it waits for."""
        self._fills(plan, rule, pool, chosen, as_of)
        needs = self._needs(pool, chosen, as_of, subs)
        if needs is None:
            needs = self._solved_needs(values, pool, chosen, subs)
        for cid, others in needs.items():
            plan.needs[cid] = others
            for other in others:
                plan.enables.setdefault(other, []).append(cid)
        for key, fills in plan.fills.items():
            plan.fills[key] = sorted(set(fills))
        for key, ids in plan.enables.items():
            plan.enables[key] = sorted(ids)

    def _fills(self, plan: Plan, rule: Rule, pool: _Pool, chosen: set[int], as_of: dt.date) -> None:
        """Record what each chosen credential fills: where the engine applies it once
        the plan is earned.

        The plan's own solve holds one of the equally cheap ways to apply its credentials,
        whichever HiGHS came to first, so a change to the solver could move a course from
        one requirement's words to another's. The engine's decision over what the learner
        holds and the plan's credentials is the contract's one answer (rules.solve): the
        learner reads what their decision will say, and it stays put.
        """
        if not chosen:
            return  # nothing to buy: nothing to place (a goal met already)
        items = pool.held + [pool.items[i] for i in sorted(chosen)]
        problem = self.compile(plan.goal, rule, items, as_of, pool.waived)
        assignment, _ = solve(problem)
        for leaf, thing in assignment.pairs:
            if isinstance(thing, int) and thing >= len(pool.held):
                fills = plan.fills.setdefault(items[thing].credential, [])
                fills.append((problem.nodes[leaf].owner, _label(problem, leaf)))

    def _needs(
        self,
        pool: _Pool,
        chosen: set[int],
        as_of: dt.date,
        subs: dict[int, tuple[Formulation, Problem, int]],
    ) -> dict[str, list[str]] | None:
        """Which of the plan's credentials each one's prerequisites draw on: those they
        cannot do without, with what the learner holds (:meth:`_needed`), or ``None``
        where that cannot be settled here (choices that go round in a circle: the plan's
        own placements are used then).

        Like the fills, read off the inputs, not off whichever of several equally good
        placements the plan's solve reached, and a learner waits for no purchase that a
        credential already held makes unnecessary.
        """
        needs: dict[str, list[str]] = {}
        for index in sorted(chosen):
            sf, sub, offset = subs[index]
            if offset < 0:
                continue  # no prerequisites
            cid = pool.hypothetical[index]
            klass = self.catalog.equivalents[cid]
            if any(node.kind == "skill" for node in sub.nodes):
                reach = chosen  # a skill is decided over every item
            else:
                reach = {p.thing for p in sf.pairs if isinstance(p.thing, int)} & chosen
            held = [i for i in pool.held if i.credential not in klass]
            usable = sorted(
                (pool.items[i] for i in reach if pool.items[i].credential not in klass),
                key=lambda item: item.credential,  # tried in id order (_needed)
            )
            rule = self.catalog.credentials[cid].prerequisites
            assert rule is not None  # it has a copy of the model (offset >= 0)
            drawn = self._needed(cid, rule, held, usable, as_of, pool.waived)
            if drawn is None:
                return None
            if drawn:
                needs[cid] = drawn
        return None if _circular(needs) else needs

    def _needed(
        self,
        cid: str,
        rule: Rule,
        held: list[Item],
        usable: list[Item],
        as_of: dt.date,
        waived: frozenset[str],
    ) -> list[str] | None:
        """Those of ``usable`` (in id order) that ``cid``'s prerequisites ``rule`` cannot do
        without, with ``held``, or ``None`` if all of them do not meet it.

        They are added in id order until the rule is met, then each added but the last is
        dropped in turn, the last id first, wherever the rest still meet it: every one left
        is needed, and where one of several would do, the first id is kept. The checks run
        on the fewest items that can answer them (the rule over all of a plan's courses
        goes to the MILP; over one or two, seldom). The smallest such set would take
        exponentially many checks.
        """

        def met(items: list[Item]) -> bool:
            return satisfiable(self.compile(cid, rule, held + items, as_of, waived))

        for count in range(len(usable) + 1):
            if met(usable[:count]):
                break
        else:
            return None  # the plan's rows say they are met: leave it to them
        kept = usable[:count]
        for item in reversed(kept[:-1]):
            rest = [other for other in kept if other is not item]
            if met(rest):
                kept = rest
        return [item.credential for item in kept]

    def _solved_needs(
        self,
        values: np.ndarray,
        pool: _Pool,
        chosen: set[int],
        subs: dict[int, tuple[Formulation, Problem, int]],
    ) -> dict[str, list[str]]:
        """Which of the plan's credentials each one's prerequisites draw on, as the plan's
        own solve placed them."""
        needs: dict[str, set[str]] = {}
        for index in sorted(chosen):
            sf, _sub, offset = subs[index]
            if offset < 0:
                continue
            for pair in sf.pairs:
                thing = pair.thing
                if isinstance(thing, int) and thing in chosen and values[pair.var + offset] > 0.5:
                    needs.setdefault(pool.hypothetical[index], set()).add(pool.hypothetical[thing])
        return {cid: sorted(others) for cid, others in needs.items()}

    def _reason(self, goal: str, main: Problem, pool: _Pool) -> str:
        lints = [
            lint.message
            for lint in self.graph.unsatisfiable()
            if lint.credential == goal or lint.credential in self.catalog.stacked_inside(goal)
        ]
        if lints:
            return f"{goal} cannot be reached from this catalog: " + "; ".join(lints)
        short = held_short(main, pool.held, lambda idx: _label(main, idx))
        if short:
            # a plan never takes a held credential again: say which ones stand in the way
            return (
                f"{goal} cannot be reached by earning new credentials: "
                + "; ".join(short)
                + " (a plan never retakes a credential already held)"
            )
        return (
            f"{goal} cannot be reached: no set of credentials the learner can still earn meets "
            "its requirements (a grade floor, time window or cap on what is already held may "
            "rule it out)"
        )


def _cheapest_then_fewest(cost: Expr, buyable: int) -> Expr | None:
    """One objective whose minimum is the cheapest plan, then the shortest, or ``None``.

    With every measure whole at a scale (dollars, cents, tenths of an hour),
    ``scale * measure * (buyable + 1) + 1`` a credential: a plan cheaper by a unit saves
    more than any count of credentials weighs. One solve where there were two, over a whole
    objective, which HiGHS detects and prunes by. ``None`` (two stages) when no scale makes
    the measures whole, or a coefficient would reach :data:`rules.linear.WHOLE_LIMIT` (the
    demo's dollars and hours stay below 2**16).
    """
    units = whole(cost)
    if units is None or any(v < 0 for v in units.values()):
        return None
    both = {var: v * (buyable + 1) + 1.0 for var, v in units.items()}
    return both if max(both.values(), default=0.0) < WHOLE_LIMIT else None


def _label(problem: Problem, idx: int) -> str:
    """The nearest named rule at or above a node (learners read names, not ids)."""
    at: int | None = idx
    while at is not None:
        node = problem.nodes[at]
        if node.rule.name:
            return node.rule.name
        at = node.parent
    return problem.requirement.get(idx, problem.nodes[idx].path)


def _carries(item: Item, rule: SkillRule) -> bool:
    level = item.skill_level(rule.skill)
    return level is not None and level >= rule.level


def _embed(main: LinearModel, sub: LinearModel) -> int:
    """Append ``sub``'s variables and rows to ``main``; returns the variable offset."""
    offset = len(main.lb)
    main.lb.extend(sub.lb)
    main.ub.extend(sub.ub)
    main.integer.extend(sub.integer)
    for expr, lo, hi in sub.rows:
        main.rows.append(({k + offset: v for k, v in expr.items()}, lo, hi))
    return offset


def _in_order(
    m: LinearModel, subs: dict[int, tuple[Formulation, Problem, int]], buy: dict[int, int]
) -> None:
    """Only plans that can be taken in some order: no prerequisite cycles among purchases.

    The guard against a credential being its own prerequisite (above) misses longer
    cycles through equivalents: c1 needs c0, c5 (the same as c0) needs c1, and buying c1
    and c5 "meets" both. Each purchase gets a position; a purchase applied inside another's
    prerequisites comes before it (Miller-Tucker-Zemlin rows, exact for any cycle length).
    """
    inside = {i: sub for i, sub in subs.items() if sub[2] >= 0}
    if not inside:
        return
    size = float(len(buy))
    place = {i: m.var(0.0, size, integer=False) for i in buy}
    for index, (sf, _, offset) in inside.items():
        for pair in sf.pairs:
            if isinstance(pair.thing, int) and pair.thing in buy:
                # applied there => place[thing] + 1 <= place[index]
                row = {pair.var + offset: size + 1.0}
                row[place[pair.thing]] = row.get(place[pair.thing], 0.0) + 1.0
                row[place[index]] = row.get(place[index], 0.0) - 1.0
                m.le(row, size)


def _circular(needs: dict[str, list[str]]) -> bool:
    """Whether some credential's prerequisites draw, step by step, on itself."""
    graph = nx.DiGraph([(cid, other) for cid, others in needs.items() for other in others])
    return not nx.is_directed_acyclic_graph(graph)


def _order(plan: list[str], needs: dict[str, list[str]]) -> list[str]:
    """Prerequisites first; among credentials ready at once, the smallest id first."""
    waiting = {c: set(needs.get(c, [])) & set(plan) for c in plan}
    ready = [c for c in plan if not waiting[c]]
    heapq.heapify(ready)
    out: list[str] = []
    while ready:
        cid = heapq.heappop(ready)
        out.append(cid)
        for other, deps in waiting.items():
            if cid in deps:
                deps.discard(cid)
                if not deps and other not in out and other not in ready:
                    heapq.heappush(ready, other)
    # a cycle can only come from selects matching each other: keep the rest in id order
    out += sorted(c for c in plan if c not in out)
    return out
