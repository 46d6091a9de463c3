"""Plans are provably cheapest: the planner against brute force over every subset."""

from __future__ import annotations

import datetime as dt
from itertools import combinations
from typing import Any

import yaml
from hypothesis import given
from hypothesis import strategies as st

from pathways.catalog import Catalog
from pathways.evaluate import evaluate
from pathways.loader import load_catalog_text
from pathways.plan import Planner
from pathways.record import LearnerRecord, parse_record
from tests.properties import search

AS_OF = dt.date(2026, 11, 28)
N = 6  # plain credentials c0..c5


@st.composite
def leaf(draw: st.DrawFn) -> Any:
    cid = f"c{draw(st.integers(0, N - 1))}"
    if draw(st.booleans()):
        return cid
    return {"credential": cid, "min_grade": "B"}


@st.composite
def rule(draw: st.DrawFn, depth: int = 0, with_stack: bool = False) -> Any:
    kind = draw(st.sampled_from(["all", "any", "at_least", "select_n", "select_cr", "leaf"]))
    if depth >= 2 or kind == "leaf":
        if with_stack and draw(st.booleans()):
            return "s0"
        return draw(leaf())
    if kind == "select_n":
        return {
            "select": {"tags": [draw(st.sampled_from(["a", "b"]))]},
            "count": draw(st.integers(1, 3)),
        }
    if kind == "select_cr":
        return {
            "select": {"tags": [draw(st.sampled_from(["a", "b"]))]},
            "credits": draw(st.integers(1, 6)),
        }
    kids = draw(st.lists(rule(depth + 1, with_stack), min_size=1, max_size=3))
    if kind == "at_least":
        return {"at_least": draw(st.integers(1, len(kids))), "of": kids}
    return {kind: kids}


@st.composite
def instance(draw: st.DrawFn) -> tuple[Catalog, LearnerRecord]:
    creds: list[dict[str, Any]] = []
    for i in range(N):
        cred: dict[str, Any] = {
            "id": f"c{i}",
            "credits": draw(st.integers(1, 4)),
            "tags": [draw(st.sampled_from(["a", "b"]))],
        }
        # whole dollars, cents, or eighths (no whole number of cents: the planner's two
        # stage path, where whole cents take its one-objective path)
        cost = draw(st.sampled_from([0, 1, 2, 3, 4, 5, 1.25, 0.125]))
        if cost:
            cred["cost"] = cost
        if i and draw(st.integers(0, 2)) == 0:
            before = sorted(
                {f"c{j}" for j in draw(st.lists(st.integers(0, i - 1), min_size=1, max_size=2))}
            )
            cred["prerequisites"] = {draw(st.sampled_from(["all", "any"])): before}
        creds.append(cred)
    if draw(st.booleans()):
        creds[N - 1]["same_as"] = ["c0"]
    creds.append(
        {"id": "s0", "type": "certificate", "credits": 5, "tags": ["b"], "requires": draw(rule())}
    )
    goal: dict[str, Any] = {"id": "g", "type": "degree", "requires": draw(rule(with_stack=True))}
    if draw(st.booleans()):
        goal["requires"] = {"all": [goal["requires"]], "min_gpa": 3.0}
    creds.append(goal)
    text = yaml.safe_dump({"catalog": {"id": "t", "version": "1"}, "credentials": creds})
    catalog = load_catalog_text(text)
    held = draw(st.lists(st.integers(0, N - 1), unique=True, max_size=3))
    earned = [
        {
            "credential": f"c{i}",
            "earned_on": "2025-01-01",
            "grade": draw(st.sampled_from(["A", "B", "C"])),
        }
        for i in held
    ]
    return catalog, parse_record({"learner": "pat", "earned": earned})


def _prereqs_ok(catalog: Catalog, have: set[str], plan: set[str]) -> bool:
    """Some order earns every planned credential after its prerequisites."""
    done, left = set(have), set(plan)
    while left:
        ready = [c for c in sorted(left) if _met(catalog, c, done)]
        if not ready:
            return False
        done |= catalog.equivalents[ready[0]]
        left.discard(ready[0])
    return True


def _met(catalog: Catalog, cid: str, done: set[str]) -> bool:
    rule = catalog.credentials[cid].prerequisites
    if rule is None:
        return True
    assert isinstance(rule, dict) or hasattr(rule, "all") or hasattr(rule, "any")
    ids = list(getattr(rule, "all", None) or getattr(rule, "any", None) or [])
    hits = [i in done for i in ids]
    return all(hits) if getattr(rule, "all", None) else any(hits)


def _reaches(catalog: Catalog, record: LearnerRecord, subset: tuple[str, ...]) -> bool:
    extra = [
        {"credential": c, "earned_on": AS_OF.isoformat(), "grade": "A", "score": 1.0}
        for c in subset
    ]
    data = record.model_dump(mode="json", by_alias=True, exclude_none=True)
    data["earned"] = data["earned"] + extra
    return evaluate(catalog, parse_record(data), "g", AS_OF).status != "not_met"


def brute_force(catalog: Catalog, record: LearnerRecord) -> tuple[float, list[str]] | None:
    held: set[str] = set()
    for item in record.earned:
        held |= catalog.equivalents[item.credential]
    pool = sorted(c for c in catalog.credentials if c.startswith("c") and c not in held)
    best: tuple[float, int, list[str]] | None = None
    for size in range(len(pool) + 1):
        for subset in combinations(pool, size):
            if any(catalog.equivalents[a] & {b} for a, b in combinations(subset, 2)):
                continue  # equivalent credentials count as one: never both in a plan
            total = float(sum(catalog.credentials[c].cost or 0 for c in subset))
            key = (total, size, sorted(subset))
            if best is not None and key >= best:
                continue
            if _prereqs_ok(catalog, held, set(subset)) and _reaches(catalog, record, subset):
                best = key
    return None if best is None else (best[0], best[2])


@search(40)
@given(instance())
def test_plan_is_the_cheapest_then_shortest_then_first_set(
    case: tuple[Catalog, LearnerRecord],
) -> None:
    catalog, record = case
    expected = brute_force(catalog, record)
    plan = Planner(catalog).plan(record, "g", "cost", AS_OF)
    if expected is None:
        assert plan.plan is None and plan.reason
        return
    assert plan.plan is not None, plan.reason
    assert plan.total == expected[0]
    assert sorted(plan.plan) == expected[1]
