"""Recommendations (contract section 5): the cheapest plan to a goal, what to take next,
and, without a goal, the goals a learner is nearest to.

Every plan shown is exact (:mod:`pathways.plan`). Ranking many goals uses the exact
progress of each goal and, only when there are many more goals than the ``limit``, a quick
estimate of the remaining cost to choose which goals get an exact plan.

Ranking 500 goals in well under a second takes three shortcuts, none of which changes an
answer: a goal nothing of the learner's can help is at progress 0 without a solve (one
graph walk finds the others); with many goals, each other goal's progress is bounded from
its compiled problem and only goals whose bound can still reach the shown set are solved;
and only the goals tied at the cut-off progress are estimated.
"""

from __future__ import annotations

import datetime as dt
import heapq
from typing import Any

from pathways.catalog import Catalog
from pathways.errors import UsageError
from pathways.evaluate import evaluate, target_rule
from pathways.graph import PathwayGraph
from pathways.items import Countable, countable_items
from pathways.lru import LRU
from pathways.plan import Measure, Plan, Planner, check_measure, measure_of
from pathways.record import LearnerRecord
from pathways.remaining import MAY_BE_MET, estimate_many, progress_bound
from pathways.skills import skill_gap
from rules.linear import decision_clock
from rules.milp import formulate
from rules.problem import Problem
from rules.score import Assignment, Thing, score
from rules.solve import satisfiable, solve


def _r4(value: float) -> float | int:
    value = round(value + 0.0, 4)
    return int(value) if float(value).is_integer() else value


class Countables:
    """:func:`countable_items` of one record on one day, computed once per distinct answer.

    The target only changes which transfer values apply to the learner's items (a transfer
    value counts toward its ``to`` credential and whatever stacks it); targets that select
    the same transfer values get the same items. Ranking asks for hundreds of targets, and
    a learner holding no transferable credential has one answer for all of them.
    """

    def __init__(self, catalog: Catalog, record: LearnerRecord, day: dt.date) -> None:
        self.catalog = catalog
        self.record = record
        self.day = day
        self._transfers = [
            (tv.to, catalog.stacked_inside(tv.to))
            for entry in record.earned
            if entry.credential in catalog.credentials
            for member in sorted(catalog.equivalents[entry.credential])
            for tv in catalog.transfer_values_from(member)
        ]
        self._known: dict[tuple[int, ...], Countable] = {}

    def get(self, target: str) -> Countable:
        """What of the record counts toward ``target`` (shared, do not modify)."""
        key = tuple(
            i for i, (to, inside) in enumerate(self._transfers) if to == target or target in inside
        )
        found = self._known.get(key)
        if found is None:
            found = countable_items(self.catalog, self.record, target, self.day)
            self._known[key] = found
        return found


class Recommender:
    """Answers learners' "what next?" against one catalog (keeps its graph and caches)."""

    def __init__(self, catalog: Catalog, graph: PathwayGraph | None = None) -> None:
        self.catalog = catalog
        self.graph = graph or PathwayGraph(catalog)
        self.planner = Planner(catalog, self.graph)
        #: (goal, measure) -> the remaining estimate when nothing held helps the goal
        self._blank: dict[tuple[str, Measure], float] = {}

    # -- one goal ---------------------------------------------------------------------------
    def for_goal(
        self, record: LearnerRecord, goal: str, by: str = "cost", as_of: dt.date | None = None
    ) -> dict[str, Any]:
        """The recommendation for ``goal``: plan, total, next steps, skill gap."""
        measure = check_measure(by)
        day = as_of or dt.date.today()
        target_rule(self.catalog, goal)  # refuses an unknown goal, naming it
        decision = evaluate(self.catalog, record, goal, day)
        counts = Countables(self.catalog, record, day)
        if decision.status == "met":
            plan = Plan(goal, measure, [], 0.0)
        else:
            plan = self.planner.plan(record, goal, measure, day, counts.get(goal))
        out: dict[str, Any] = {
            "goal": goal,
            "goal_name": self.catalog.credentials[goal].name or goal,
            "learner": record.learner,
            "as_of": day.isoformat(),
            "by": measure,
            "status": decision.status,
            "progress": _r4(decision.progress),
            "plan": plan.plan,
            "plan_total": None if plan.total is None else _r4(plan.total),
        }
        if plan.plan is None:
            out["reason"] = plan.reason
        out["next"] = self._next(counts, plan)
        out["steps"] = [self._step(plan, cid) for cid in plan.plan or []]
        out["skill_gap"] = skill_gap(self.catalog, self.graph, record, goal, day, measure)
        return out

    def _entry(self, cid: str) -> dict[str, Any]:
        cred = self.catalog.credentials[cid]
        entry: dict[str, Any] = {"credential": cid, "name": cred.name or cid}
        for key in ("cost", "hours"):
            value = getattr(cred, key)
            entry[key] = None if value is None else _r4(float(value))
        credits = self.catalog.credits_of(cid)
        entry["credits"] = None if credits is None else _r4(credits)
        return entry

    def _why(self, plan: Plan, cid: str) -> str:
        parts: list[str] = []
        for owner, label in plan.fills.get(cid, []):
            where = self.catalog.credentials[owner].name or owner
            parts.append(
                f"counts toward {where}: {label}" if label != owner else f"counts toward {where}"
            )
        if plan.enables.get(cid):
            parts.append("needed before " + ", ".join(plan.enables[cid]))
        return "; ".join(parts) or f"part of the cheapest way to {plan.goal}"

    def _step(self, plan: Plan, cid: str) -> dict[str, Any]:
        entry = self._entry(cid)
        entry["why"] = self._why(plan, cid)
        entry["after"] = plan.needs.get(cid, [])
        return entry

    def _next(self, counts: Countables, plan: Plan) -> list[dict[str, Any]]:
        """Plan steps whose prerequisites the learner's completed items meet today."""
        if not plan.plan:
            return []
        held = {i.credential for i in counts.get(plan.goal).items}
        earned = {c for c in held if self.catalog.credentials[c].requires is not None}
        out: list[dict[str, Any]] = []
        for cid in plan.plan:
            if not self._prerequisites_met(counts, cid):
                continue
            entry = self._entry(cid)
            entry["why"] = self._why(plan, cid)
            advances = set(self.graph.counts_toward(cid).all) - earned
            if any(owner for owner, _ in plan.fills.get(cid, [])) or plan.enables.get(cid):
                advances.add(plan.goal)
            entry["advances"] = sorted(advances)
            out.append(entry)
        return out

    def prerequisites_met(self, record: LearnerRecord, cid: str, day: dt.date) -> bool:
        """Whether the learner's completed items meet ``cid``'s prerequisites today."""
        return self._prerequisites_met(Countables(self.catalog, record, day), cid)

    def _prerequisites_met(self, counts: Countables, cid: str) -> bool:
        rule = self.catalog.credentials[cid].prerequisites
        if rule is None:
            return True
        countable = counts.get(cid)
        problem = self.planner.compile(cid, rule, countable.items, counts.day, countable.waived)
        # The engine's answer is satisfied exactly when some valid assignment satisfies the
        # root (a satisfied node scores 1, an unsatisfied one at most 0.9999, and the engine
        # maximises progress first). The scorer is the engine's reference (brute force and
        # the MILP are tested against it), so a quick assignment it accepts settles "yes"
        # without a solve; otherwise the engine's own first stage decides.
        quick = score(problem, _quick_assignment(problem))
        if quick.met:
            return True
        return satisfiable(problem)

    # -- every goal -------------------------------------------------------------------------
    def nearest_goals(
        self,
        record: LearnerRecord,
        by: str = "cost",
        as_of: dt.date | None = None,
        limit: int = 10,
    ) -> dict[str, Any]:
        """Every stacked credential not yet met, nearest first (progress, then plan total)."""
        measure = check_measure(by)
        if limit < 1:
            raise UsageError(f"--limit {limit} must be 1 or more")
        day = as_of or dt.date.today()
        counts = Countables(self.catalog, record, day)
        held = self._held(counts)
        # A goal none of the learner's items can help is at 0 without a solve; one walk
        # from what the learner holds finds the others (exceptions may reach any goal).
        touched = None if record.exceptions else self.graph.helped_by(held)
        rows: list[tuple[str, float, str]] = []  # goal, progress, status
        bounded: list[tuple[float, str, Problem]] = []  # bound, goal, problem
        for goal in self.catalog.stacked:
            if touched is None or goal in touched:
                problem = self._problem(counts, goal, in_progress=False)
                bounded.append((progress_bound(problem), goal, problem))
            else:
                rows.append((goal, 0.0, "not_met"))
        # Exact plans for every goal when there are few; else for the best by an estimate.
        # A goal bounded below 1 cannot be met, so it is a row whatever its progress.
        unmet = len(rows) + sum(1 for bound, _, _ in bounded if bound < MAY_BE_MET)
        if unmet > 3 * limit:
            rows += self._rows_that_can_rank(bounded, len(rows), limit)
            rows = self._nearest_rows(rows, held, touched, measure, limit)
        else:
            for _, goal, problem in bounded:
                progress, met = self._best_of(goal, problem)
                if not met:
                    rows.append((goal, progress, "not_met"))
            if len(rows) > 3 * limit:
                rows = self._nearest_rows(rows, held, touched, measure, limit)
        touching = {goal for _, goal, _ in bounded}
        rows = [(g, p, self._status(counts, g) if g in touching else s) for g, p, s in rows]
        goals: list[dict[str, Any]] = []
        for goal, progress, status in rows:
            plan = (
                Plan(goal, measure, [], 0.0)
                if status == "in_progress"
                else self.planner.plan(record, goal, measure, day, counts.get(goal))
            )
            goals.append(
                {
                    "goal": goal,
                    "goal_name": self.catalog.credentials[goal].name or goal,
                    "status": status,
                    "progress": _r4(progress),
                    "plan_total": None if plan.total is None else _r4(plan.total),
                    "plan": plan.plan,
                    "next": self._next(counts, plan),
                }
            )
        goals.sort(
            key=lambda g: (
                -g["progress"],
                g["plan_total"] is None,
                g["plan_total"] or 0.0,
                g["goal"],
            )
        )
        return {
            "learner": record.learner,
            "as_of": day.isoformat(),
            "by": measure,
            "goals": goals[:limit],
        }

    def _rows_that_can_rank(
        self, bounded: list[tuple[float, str, Problem]], zeros: int, limit: int
    ) -> list[tuple[str, float, str]]:
        """Rows (progress exact, status to be settled) of the not-met goals among
        ``bounded`` that can be among the first ``limit``; ``zeros`` rows at 0 are known.

        Goals are solved from the highest progress bound down. The ``limit``-th best
        progress so far can only rise as rows are added, so once a goal's bound rounds
        below it, neither it nor any goal after it can rank, and none of them is met.
        """
        top = [0.0] * min(zeros, limit)  # the best `limit` rounded progresses so far (a heap)
        out: list[tuple[str, float, str]] = []
        for bound, goal, problem in sorted(bounded, key=lambda b: (-b[0], b[1])):
            # the slack covers the solver's tolerance on the progress it reports
            if len(top) == limit and round(bound + 1e-6, 4) < top[0]:
                break
            progress, met = self._best_of(goal, problem)
            if met:
                continue
            out.append((goal, progress, "not_met"))
            if len(top) < limit:
                heapq.heappush(top, round(progress, 4))
            else:
                heapq.heappushpop(top, round(progress, 4))
        return out

    def _problem(self, counts: Countables, goal: str, *, in_progress: bool) -> Problem:
        """The engine's problem for ``goal`` over the completed (and in-progress) items."""
        countable = counts.get(goal)
        items = countable.items + countable.in_progress if in_progress else countable.items
        rule = target_rule(self.catalog, goal)
        return self.planner.compile(goal, rule, items, counts.day, countable.waived)

    def _status(self, counts: Countables, goal: str) -> str:
        """``in_progress`` or ``not_met`` for a goal not met by completed items."""
        later = counts.get(goal).in_progress and self._best_of(
            goal, self._problem(counts, goal, in_progress=True)
        )
        return "in_progress" if later and later[1] else "not_met"

    def _nearest_rows(
        self,
        rows: list[tuple[str, float, str]],
        held: set[str],
        touched: set[str] | None,
        measure: Measure,
        limit: int,
    ) -> list[tuple[str, float, str]]:
        """The first ``limit`` rows by (progress to 4 places, estimate, id).

        Only the rows tied at the cut-off progress are ordered by the estimate: those above
        it are in whatever their estimate, those below it out, so they need none.
        """
        cut = sorted((round(p, 4) for _, p, _ in rows), reverse=True)[limit - 1]
        above = [r for r in rows if round(r[1], 4) > cut]
        tied = [r for r in rows if round(r[1], 4) == cut]
        estimate = self._estimates([g for g, _, _ in tied], held, touched, measure)
        tied.sort(key=lambda r: (estimate[r[0]], r[0]))
        return above + tied[: limit - len(above)]

    def _estimates(
        self, goals: list[str], held: set[str], touched: set[str] | None, measure: Measure
    ) -> dict[str, float]:
        """:func:`estimate_remaining` of each goal; one nothing held helps is the same for
        every learner (the estimate only looks at the goal's contributors), so it is kept."""
        out: dict[str, float] = {}
        fresh = [g for g in goals if touched is None or g in touched or g in held]
        out.update(estimate_many(self.graph, held, fresh, measure))
        blank = [g for g in goals if g not in out and (g, measure) not in self._blank]
        for goal, value in estimate_many(self.graph, set(), blank, measure).items():
            self._blank[goal, measure] = value
        for goal in goals:
            if goal not in out:
                out[goal] = self._blank[goal, measure]
        return out

    def index_items(self, record: LearnerRecord, day: dt.date) -> set[str]:
        """Credential ids (with equivalents) the learner holds or is taking."""
        return self._held(Countables(self.catalog, record, day))

    def _held(self, counts: Countables) -> set[str]:
        held: set[str] = set()
        countable = counts.get("")
        for item in countable.items + countable.in_progress:
            held |= self.catalog.equivalents[item.credential]
        return held

    def _best_of(self, goal: str, problem: Problem) -> tuple[float, bool]:
        if not any(leaf.items or leaf.derived or leaf.forced for leaf in problem.leaves()):
            _, result = solve(problem)  # nothing applies: the engine scores it directly
            return result.progress, result.met
        f = formulate(problem)
        root = problem.roots[goal]
        values = f.model.solve({f.p[root]: -1.0})
        if values is None:
            return 0.0, False
        return float(values[f.p[root]]), bool(values[f.s[root]] > 0.5)


def _quick_assignment(problem: Problem) -> Assignment:
    """Forced items where they are forced, then each leaf the first candidates no other leaf
    took (derived credentials left out): often a witness, checked by the scorer before use."""
    pairs: set[tuple[int, Thing]] = set()
    used: set[Thing] = set()
    leaves = problem.leaves()
    for leaf in leaves:
        for thing in leaf.forced:
            pairs.add((leaf.idx, thing))
            used.add(thing)
    for leaf in leaves:
        if leaf.forced:
            continue
        for thing in leaf.items:
            if thing in used:
                continue
            pairs.add((leaf.idx, thing))
            used.add(thing)
            if leaf.kind == "credential":
                break
    return Assignment(frozenset(pairs))


def recommend(
    catalog: Catalog,
    record: LearnerRecord,
    goal: str | None = None,
    *,
    by: str = "cost",
    as_of: dt.date | None = None,
    limit: int = 10,
) -> dict[str, Any]:
    """Contract section 5: a plan for ``goal``, or the nearest goals without one.

    Inside :func:`rules.linear.solver_budget`, the whole answer shares that budget.
    """
    recommender = shared_recommender(catalog)
    with decision_clock():
        if goal is not None:
            return recommender.for_goal(record, goal, by, as_of)
        return recommender.nearest_goals(record, by, as_of, limit)


__all__ = ["Countables", "Measure", "Recommender", "measure_of", "recommend"]


#: Recommenders kept between calls, by catalog content hash.
_SHARED: LRU[str, Recommender] = LRU(8)


def shared_recommender(catalog: Catalog) -> Recommender:
    """One :class:`Recommender` per catalog content, kept for the next call.

    Building the graph of a large catalog costs more than ranking on it (0.35 s at 10,000
    credentials against ~40 ms), and the service answers many learners against few
    catalogs. A catalog's hash covers its whole content, so a kept recommender is only ever
    reused for an identical catalog; its caches hold learner-free answers only.
    """
    key = catalog.hash
    if not key:  # a catalog built by hand, without a content hash: nothing safe to key by
        return Recommender(catalog)
    found = _SHARED.get(key)
    if found is not None:
        return found
    # built outside the cache's lock, so other catalogs need not wait; two threads may
    # build the same one, and the first stored is kept
    return _SHARED.setdefault(key, Recommender(catalog))
