"""Recommendations (contract section 5): the cheapest plan to a goal, what to take next,
and, without a goal, the goals a learner is nearest to.

Every plan shown is exact (:mod:`pathways.plan`). Ranking many goals uses the exact
progress of each goal and, only when there are many more goals than the ``limit``, a quick
estimate of the remaining cost to choose which goals get an exact plan.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pathways.catalog import Catalog
from pathways.errors import UsageError
from pathways.evaluate import evaluate, target_rule
from pathways.graph import PathwayGraph
from pathways.items import countable_items
from pathways.plan import Measure, Plan, Planner, check_measure, measure_of
from pathways.record import LearnerRecord
from pathways.remaining import estimate_remaining
from pathways.skills import skill_gap
from rules.items import Item
from rules.milp import formulate
from rules.model import Rule
from rules.solve import solve


def _r4(value: float) -> float | int:
    value = round(value + 0.0, 4)
    return int(value) if float(value).is_integer() else value


class Recommender:
    """Answers learners' "what next?" against one catalog (keeps its graph and caches)."""

    def __init__(self, catalog: Catalog, graph: PathwayGraph | None = None) -> None:
        self.catalog = catalog
        self.graph = graph or PathwayGraph(catalog)
        self.planner = Planner(catalog, self.graph)

    # -- one goal ---------------------------------------------------------------------------
    def for_goal(
        self, record: LearnerRecord, goal: str, by: str = "cost", as_of: dt.date | None = None
    ) -> dict[str, Any]:
        """The recommendation for ``goal``: plan, total, next steps, skill gap."""
        measure = check_measure(by)
        day = as_of or dt.date.today()
        target_rule(self.catalog, goal)  # refuses an unknown goal, naming it
        decision = evaluate(self.catalog, record, goal, day)
        if decision.status == "met":
            plan = Plan(goal, measure, [], 0.0)
        else:
            plan = self.planner.plan(record, goal, measure, day)
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
        out["next"] = self._next(record, plan, day)
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

    def _next(self, record: LearnerRecord, plan: Plan, day: dt.date) -> list[dict[str, Any]]:
        """Plan steps whose prerequisites the learner's completed items meet today."""
        if not plan.plan:
            return []
        held = {i.credential for i in countable_items(self.catalog, record, plan.goal, day).items}
        earned = {c for c in held if self.catalog.credentials[c].requires is not None}
        out: list[dict[str, Any]] = []
        for cid in plan.plan:
            if not self.prerequisites_met(record, cid, day):
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
        rule = self.catalog.credentials[cid].prerequisites
        if rule is None:
            return True
        countable = countable_items(self.catalog, record, cid, day)
        problem = self.planner.compile(cid, rule, countable.items, day, countable.waived)
        _, result = solve(problem)
        return result.valid and result.nodes[problem.roots[cid]].satisfied

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
        held = self.index_items(record, day)
        rows: list[tuple[str, float, str]] = []  # goal, progress, status
        for goal in self.catalog.stacked:
            progress, status = self._progress(record, goal, day, held)
            if status != "met":
                rows.append((goal, progress, status))
        # Exact plans for every goal when there are few; else for the best by an estimate.
        if len(rows) > 3 * limit:
            estimate = {g: estimate_remaining(self.graph, held, g, measure) for g, _, _ in rows}
            rows.sort(key=lambda r: (-round(r[1], 4), estimate[r[0]], r[0]))
            rows = rows[:limit]
        goals: list[dict[str, Any]] = []
        for goal, progress, status in rows:
            plan = (
                Plan(goal, measure, [], 0.0)
                if status == "in_progress"
                else self.planner.plan(record, goal, measure, day)
            )
            goals.append(
                {
                    "goal": goal,
                    "goal_name": self.catalog.credentials[goal].name or goal,
                    "status": status,
                    "progress": _r4(progress),
                    "plan_total": None if plan.total is None else _r4(plan.total),
                    "plan": plan.plan,
                    "next": self._next(record, plan, day),
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

    def index_items(self, record: LearnerRecord, day: dt.date) -> set[str]:
        """Credential ids (with equivalents) the learner holds or is taking."""
        held: set[str] = set()
        countable = countable_items(self.catalog, record, "", day)
        for item in countable.items + countable.in_progress:
            held |= self.catalog.equivalents[item.credential]
        return held

    def _progress(
        self, record: LearnerRecord, goal: str, day: dt.date, held: set[str]
    ) -> tuple[float, str]:
        """Exact progress and status; a goal nothing of the learner touches is at 0.

        Only the first stage of the engine's staged solve is needed here (the greatest
        progress); credits, GPA and the order of pairs only pick among equally good answers.
        """
        touching = self.graph.contributors(goal)
        if not (touching & held) and not record.exceptions:
            return 0.0, "not_met"
        countable = countable_items(self.catalog, record, goal, day)
        rule = target_rule(self.catalog, goal)
        progress, met = self._best(goal, rule, countable.items, day, countable.waived)
        if met:
            return progress, "met"
        if countable.in_progress:
            _, later = self._best(
                goal, rule, countable.items + countable.in_progress, day, countable.waived
            )
            if later:
                return progress, "in_progress"
        return progress, "not_met"

    def _best(
        self, goal: str, rule: Rule, items: list[Item], day: dt.date, waived: frozenset[str]
    ) -> tuple[float, bool]:
        problem = self.planner.compile(goal, rule, items, day, waived)
        if not any(leaf.items or leaf.derived or leaf.forced for leaf in problem.leaves()):
            _, result = solve(problem)  # nothing applies: the engine scores it directly
            return result.progress, result.valid and result.nodes[problem.roots[goal]].satisfied
        f = formulate(problem)
        root = problem.roots[goal]
        values = f.model.solve({f.p[root]: -1.0})
        if values is None:
            return 0.0, False
        return float(values[f.p[root]]), bool(values[f.s[root]] > 0.5)


def recommend(
    catalog: Catalog,
    record: LearnerRecord,
    goal: str | None = None,
    *,
    by: str = "cost",
    as_of: dt.date | None = None,
    limit: int = 10,
) -> dict[str, Any]:
    """Contract section 5: a plan for ``goal``, or the nearest goals without one."""
    recommender = Recommender(catalog)
    if goal is not None:
        return recommender.for_goal(record, goal, by, as_of)
    return recommender.nearest_goals(record, by, as_of, limit)


__all__ = ["Measure", "Recommender", "measure_of", "recommend"]
