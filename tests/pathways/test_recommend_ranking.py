"""Ranking shortcuts give the answers of the plain computation they replace.

Each shortcut of :meth:`Recommender.nearest_goals` (shared countable items, one walk for the
goals a learner touches, shared and cached estimates, a quick witness for prerequisites) is
checked against the straightforward computation on random catalogs, and the whole ranking
against a reference ranking that computes every goal's progress and estimate.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

import networkx as nx
import yaml
from hypothesis import given
from hypothesis import strategies as st

from pathways.catalog import Catalog
from pathways.evaluate import target_rule
from pathways.graph import CONTRIBUTES, STACKS, TRANSFER, PathwayGraph
from pathways.items import countable_items
from pathways.loader import load_catalog_text
from pathways.plan import Measure, Plan
from pathways.recommend import Countables, Recommender, _r4
from pathways.record import LearnerRecord, parse_record
from pathways.remaining import estimate_many, estimate_remaining, progress_bound
from rules.linear import SolverFailure
from rules.solve import solve
from tests.properties import search

AS_OF = dt.date(2026, 11, 28)
TAGS = ["a", "b", "c"]
SETTINGS = search(25)
#: for the tests that rank against the reference (each example solves every goal twice)
FEW = search(10)


def _rule(rng: random.Random, plain: list[str], stacked: list[str], depth: int = 0) -> Any:
    kind = rng.choice(["all", "any", "at_least", "select_n", "select_cr", "leaf", "leaf", "skill"])
    if depth >= 2 or kind == "leaf":
        if stacked and rng.random() < 0.3:
            return rng.choice(stacked)
        cid = rng.choice(plain)
        return {"credential": cid, "min_grade": "B"} if rng.random() < 0.25 else cid
    if kind == "skill":
        return {"skill": rng.choice(["sk1", "sk2"]), "level": rng.randint(1, 3)}
    if kind == "select_n":
        select: dict[str, Any] = {"tags": [rng.choice(TAGS)]}
        if rng.random() < 0.3:
            select["source"] = "derived"
        return {"select": select, "count": rng.randint(1, 3)}
    if kind == "select_cr":
        return {"select": {"tags": [rng.choice(TAGS)]}, "credits": rng.randint(1, 8)}
    kids = [_rule(rng, plain, stacked, depth + 1) for _ in range(rng.randint(1, 4))]
    if kind == "at_least":
        return {"at_least": rng.randint(1, len(kids)), "of": kids}
    return {kind: kids}


def random_catalog(rng: random.Random, goals: tuple[int, int] = (3, 9)) -> Catalog:
    """Courses with prerequisites, skills and an equivalence; 3-9 stacked credentials
    (stacking into earlier ones, selects that may match each other); a transfer value."""
    plain = [f"c{i}" for i in range(rng.randint(5, 12))]
    creds: list[dict[str, Any]] = []
    for i, cid in enumerate(plain):
        cred: dict[str, Any] = {"id": cid, "credits": rng.randint(1, 4), "tags": [rng.choice(TAGS)]}
        if rng.random() < 0.8:
            cred["cost"] = rng.randint(0, 9) * 10
        if rng.random() < 0.7:
            cred["hours"] = rng.randint(1, 9) * 5
        if rng.random() < 0.3:
            cred["skills"] = [{"skill": rng.choice(["sk1", "sk2"]), "level": rng.randint(1, 3)}]
        if i and rng.random() < 0.35:
            before = sorted({rng.choice(plain[:i]) for _ in range(rng.randint(1, 2))})
            cred["prerequisites"] = {rng.choice(["all", "any"]): before}
        creds.append(cred)
    if rng.random() < 0.4:
        a, b = rng.sample(plain, 2)
        creds[plain.index(a)]["same_as"] = [b]
    stacked: list[str] = []
    for j in range(rng.randint(*goals)):
        requires = _rule(rng, plain, stacked)
        if rng.random() < 0.2:
            requires = {"all": [requires], "min_gpa": 3.0}
        cred = {
            "id": f"s{j}",
            "type": rng.choice(["certificate", "degree"]),
            "tags": [rng.choice(TAGS)],
            "requires": requires,
        }
        if rng.random() < 0.5:
            cred["credits"] = rng.randint(3, 9)
        creds.append(cred)
        stacked.append(f"s{j}")
    doc: dict[str, Any] = {
        "catalog": {"id": "r", "version": "1"},
        "skills": [{"id": "sk1"}, {"id": "sk2"}],
        "credentials": creds,
    }
    if rng.random() < 0.5:
        doc["transfer_values"] = [
            {"from": rng.choice(plain), "to": rng.choice(stacked), "credits": 3},
            {"from": rng.choice(plain), "to": rng.choice(stacked), "credits": 2},
        ]
    return load_catalog_text(yaml.safe_dump(doc))


def random_learner(rng: random.Random, catalog: Catalog) -> LearnerRecord:
    """Completed courses (some graded too low), one in progress, sometimes an exception."""
    plain = [c for c in catalog.credentials if c.startswith("c")]
    stacked = catalog.stacked
    earned: list[dict[str, Any]] = []
    for cid in rng.sample(plain, rng.randint(0, min(6, len(plain)))):
        entry: dict[str, Any] = {"credential": cid, "earned_on": "2025-01-01"}
        if rng.random() < 0.15:
            entry |= {"earned_on": "2026-12-11", "status": "in_progress"}
        else:
            entry["grade"] = rng.choice(["A", "B", "C", "D"])
        earned.append(entry)
    data: dict[str, Any] = {"learner": "pat", "earned": earned}
    if earned and rng.random() < 0.2:
        data["exceptions"] = [
            {"substitute": earned[0]["credential"], "for": rng.choice(plain), "reason": "r"}
        ]
    if rng.random() < 0.1:
        data.setdefault("exceptions", []).append({"waive": rng.choice(stacked), "reason": "r"})
    return parse_record(data)


def _instance(seed: int) -> tuple[Catalog, list[LearnerRecord]]:
    rng = random.Random(seed)
    catalog = random_catalog(rng)
    return catalog, [random_learner(rng, catalog) for _ in range(3)]


# -- the reference ranking: every goal solved and estimated, the pre-shortcut algorithm -----
def reference_nearest(
    rc: Recommender, record: LearnerRecord, by: Measure, limit: int
) -> dict[str, Any]:
    """``nearest_goals`` computed the plain way (kept here as the specification)."""
    catalog, day = rc.catalog, AS_OF
    countable0 = countable_items(catalog, record, "", day)
    held: set[str] = set()
    for item in countable0.items + countable0.in_progress:
        held |= catalog.equivalents[item.credential]
    rows: list[tuple[str, float, str]] = []
    for goal in catalog.stacked:
        if not (rc.graph.contributors(goal) & held) and not record.exceptions:
            rows.append((goal, 0.0, "not_met"))
            continue
        countable = countable_items(catalog, record, goal, day)
        rule = target_rule(catalog, goal)
        problem = rc.planner.compile(goal, rule, countable.items, day, countable.waived)
        progress, met = rc._best_of(goal, problem)
        status = "met" if met else "not_met"
        if not met and countable.in_progress:
            items = countable.items + countable.in_progress
            later = rc.planner.compile(goal, rule, items, day, countable.waived)
            if rc._best_of(goal, later)[1]:
                status = "in_progress"
        if status != "met":
            rows.append((goal, progress, status))
    if len(rows) > 3 * limit:
        estimate = {g: estimate_remaining(rc.graph, held, g, by) for g, _, _ in rows}
        rows.sort(key=lambda r: (-round(r[1], 4), estimate[r[0]], r[0]))
        rows = rows[:limit]
    goals: list[dict[str, Any]] = []
    counts = Countables(catalog, record, day)
    for goal, progress, status in rows:
        plan = (
            Plan(goal, by, [], 0.0)
            if status == "in_progress"
            else rc.planner.plan(record, goal, by, day)
        )
        goals.append(
            {
                "goal": goal,
                "goal_name": catalog.credentials[goal].name or goal,
                "status": status,
                "progress": _r4(progress),
                "plan_total": None if plan.total is None else _r4(plan.total),
                "plan": plan.plan,
                "next": rc._next(counts, plan),
            }
        )
    goals.sort(
        key=lambda g: (-g["progress"], g["plan_total"] is None, g["plan_total"] or 0, g["goal"])
    )
    return {"learner": record.learner, "as_of": day.isoformat(), "by": by, "goals": goals[:limit]}


def _outcome(fn: Callable[..., dict[str, Any]], *args: Any) -> Any:
    """The answer, or the solver's failure (the same model fails alike on both sides)."""
    try:
        return fn(*args)
    except SolverFailure as exc:
        return f"SolverFailure: {exc}"


@FEW
@given(st.integers(0, 10**6))
def test_nearest_goals_equal_the_reference_ranking(seed: int) -> None:
    catalog, learners = _instance(seed)
    rc = Recommender(catalog)
    for record in learners:
        runs: list[tuple[Measure, int]] = [("cost", 1), ("hours", 2), ("cost", 10)]
        for by, limit in runs:
            expected = _outcome(reference_nearest, Recommender(catalog), record, by, limit)
            assert _outcome(rc.nearest_goals, record, by, AS_OF, limit) == expected


@FEW
@given(st.integers(0, 10**6))
def test_many_goals_few_shown_equal_the_reference_ranking(seed: int) -> None:
    # many goals against a small limit: most are ruled out by their progress bound
    rng = random.Random(seed)
    catalog = random_catalog(rng, goals=(10, 16))
    rc = Recommender(catalog)
    for record in (random_learner(rng, catalog) for _ in range(2)):
        for limit in (1, 3):
            expected = _outcome(reference_nearest, Recommender(catalog), record, "cost", limit)
            assert _outcome(rc.nearest_goals, record, "cost", AS_OF, limit) == expected


@SETTINGS
@given(st.integers(0, 10**6))
def test_progress_bound_is_never_below_the_exact_progress(seed: int) -> None:
    rng = random.Random(seed)
    catalog = random_catalog(rng)
    rc = Recommender(catalog)
    for record in (random_learner(rng, catalog) for _ in range(3)):
        for goal in catalog.stacked:
            countable = countable_items(catalog, record, goal, AS_OF)
            for items in (countable.items, countable.items + countable.in_progress):
                rule = target_rule(catalog, goal)
                problem = rc.planner.compile(goal, rule, items, AS_OF, countable.waived)
                progress, _ = rc._best_of(goal, problem)
                assert progress <= progress_bound(problem) + 1e-6


@SETTINGS
@given(st.integers(0, 10**6))
def test_countables_give_what_countable_items_gives_for_every_target(seed: int) -> None:
    rng = random.Random(seed)
    catalog = random_catalog(rng)
    record = random_learner(rng, catalog)
    counts = Countables(catalog, record, AS_OF)
    for target in ["", *sorted(catalog.credentials)]:
        assert counts.get(target) == countable_items(catalog, record, target, AS_OF)


@SETTINGS
@given(st.integers(0, 10**6))
def test_helped_by_finds_the_goals_whose_contributors_meet_the_sources(seed: int) -> None:
    rng = random.Random(seed)
    catalog = random_catalog(rng)
    graph = PathwayGraph(catalog)
    sources = set(rng.sample(sorted(catalog.credentials), rng.randint(0, 5)))
    expected = {c for c in catalog.credentials if graph.contributors(c) & sources}
    assert graph.helped_by(sources) == expected


@SETTINGS
@given(st.integers(0, 10**6))
def test_walks_on_the_multigraph_answer_what_the_views_answer(seed: int) -> None:
    catalog = random_catalog(random.Random(seed))
    graph = PathwayGraph(catalog)
    contributes = graph.view(CONTRIBUTES)
    stacking = graph.view({STACKS, TRANSFER})
    for cid in sorted(catalog.credentials):
        ancestors = nx.ancestors(contributes, cid)
        assert graph.contributors(cid) == {n for n in ancestors if n in catalog.credentials}
        start = catalog.equivalents[cid]
        direct = {n for m in start for n in stacking.successors(m)} - start
        reach = {n for m in start for n in nx.descendants(stacking, m)} - start
        got = graph.counts_toward(cid)
        assert got.direct == sorted(n for n in direct if n in catalog.credentials)
        assert got.all == sorted(n for n in reach if n in catalog.credentials)
    assert graph.stacking_is_acyclic == nx.is_directed_acyclic_graph(graph.view({STACKS}))


def test_contributors_are_cached_but_handed_out_as_fresh_sets() -> None:
    catalog = random_catalog(random.Random(3))
    graph = PathwayGraph(catalog)
    goal = catalog.stacked[-1]
    first = graph.contributors(goal)
    first.add("not-a-credential")
    assert "not-a-credential" not in graph.contributors(goal)
    g = graph.view({"prerequisite", "stacks", "same_as", "transfer", "teaches", "needs_skill"})
    assert graph.contributors(goal) == {
        n for n in nx.ancestors(g, goal) if n in catalog.credentials
    }


@SETTINGS
@given(st.integers(0, 10**6))
def test_estimates_shared_between_goals_equal_one_walk_per_goal(seed: int) -> None:
    rng = random.Random(seed)
    catalog = random_catalog(rng)
    graph = PathwayGraph(catalog)
    record = random_learner(rng, catalog)
    held = {c for e in record.earned for c in catalog.equivalents[e.credential]}
    for by in ("cost", "hours", "credits"):
        got = estimate_many(graph, held, catalog.stacked, by)
        assert got == {g: estimate_remaining(graph, held, g, by) for g in catalog.stacked}


def test_estimates_with_a_stacking_cycle_walk_each_goal_alone() -> None:
    catalog = load_catalog_text(
        """
catalog: {id: t, version: "1"}
credentials:
  - {id: a, credits: 3, cost: 5, tags: [x]}
  - {id: b, credits: 3, cost: 7, tags: [x]}
  - {id: s0, type: certificate, tags: [x], requires: {select: {tags: [x]}, count: 2}}
  - {id: s1, type: certificate, tags: [x], requires: {select: {tags: [x]}, count: 3}}
  - {id: top, type: degree, requires: {all: [s0, s1]}}
"""
    )
    graph = PathwayGraph(catalog)
    assert not graph.stacking_is_acyclic
    goals = ["top", "s1", "s0"]
    got = estimate_many(graph, set(), goals, "cost")
    assert got == {g: estimate_remaining(graph, set(), g, "cost") for g in goals}


@SETTINGS
@given(st.integers(0, 10**6))
def test_quick_prerequisite_check_agrees_with_the_engine(seed: int) -> None:
    rng = random.Random(seed)
    catalog = random_catalog(rng)
    rc = Recommender(catalog)
    for record in (random_learner(rng, catalog) for _ in range(3)):
        for cid, cred in sorted(catalog.credentials.items()):
            if cred.prerequisites is None:
                continue
            countable = countable_items(catalog, record, cid, AS_OF)
            problem = rc.planner.compile(
                cid, cred.prerequisites, countable.items, AS_OF, countable.waived
            )
            _, result = solve(problem)
            expected = result.valid and result.nodes[problem.roots[cid]].satisfied
            assert rc.prerequisites_met(record, cid, AS_OF) == expected


def test_estimates_kept_between_calls_give_the_answers_of_a_fresh_recommender() -> None:
    catalog, learners = _instance(11)
    rc = Recommender(catalog)
    nobody = parse_record({"learner": "new", "earned": []})
    # nothing held: every goal ties at 0 and is ordered by its (learner-free) estimate
    rc.nearest_goals(nobody, "cost", AS_OF, 1)
    assert {goal for goal, _ in rc._blank} == set(catalog.stacked)
    for record in [*learners, nobody]:
        for by in ("cost", "hours"):
            fresh = Recommender(catalog).nearest_goals(record, by, AS_OF, 1)
            assert rc.nearest_goals(record, by, AS_OF, 1) == fresh
