"""Recommendations: exact plans, ordering, ties, next steps, nearest goals, skill gaps."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pathways.errors import UnknownTargetError, UsageError
from pathways.evaluate import evaluate
from pathways.loader import load_catalog, load_catalog_text
from pathways.plan import Planner, _cheapest_then_fewest, hypothetical_entry
from pathways.recommend import Recommender, recommend
from pathways.record import LearnerRecord, load_record, parse_record

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "examples" / "catalog"
LEARNERS = ROOT / "examples" / "learners"
AS_OF = dt.date(2026, 11, 28)

CAT = load_catalog_text(
    """
catalog: {id: t, version: "1"}
skills: [{id: sql, name: SQL}]
credentials:
  - {id: base, cost: 10, hours: 5}
  - {id: adv, cost: 10, hours: 50, prerequisites: {all: [base]}}
  - {id: alt1, cost: 20, hours: 1}
  - {id: alt2, cost: 20, hours: 1}
  - {id: pricey, cost: 100, hours: 1, skills: [{skill: sql, level: 2}]}
  - {id: free1}
  - {id: free2}
  - id: goal
    type: certificate
    skills: [{skill: sql, level: 2}]
    requires:
      all:
        - {any: [adv, pricey]}
        - {any: [alt2, alt1]}
  - {id: tie, type: badge, requires: {any: [free2, free1]}}
  - {id: never, type: badge, requires: {select: {tags: [none]}, count: 1}}
"""
)


def _learner(*held: str) -> LearnerRecord:
    earned = [{"credential": c, "earned_on": "2025-01-01", "grade": "A"} for c in held]
    return parse_record({"learner": "pat", "earned": earned})


def test_cheapest_plan_puts_prerequisites_first() -> None:
    out = recommend(CAT, _learner(), "goal", as_of=AS_OF)
    assert out["plan"] == ["alt1", "base", "adv"]
    assert out["plan_total"] == 40
    assert [n["credential"] for n in out["next"]] == ["alt1", "base"]
    base = next(n for n in out["next"] if n["credential"] == "base")
    assert "needed before adv" in base["why"] and base["advances"] == ["goal"]


def test_other_measure_changes_the_plan() -> None:
    out = recommend(CAT, _learner(), "goal", by="hours", as_of=AS_OF)
    assert out["plan"] == ["alt1", "pricey"] and out["plan_total"] == 2


def test_ties_go_to_fewest_credentials_then_first_sorted_ids() -> None:
    out = recommend(CAT, _learner(), "tie", as_of=AS_OF)
    assert out["plan"] == ["free1"] and out["plan_total"] == 0


def test_held_items_are_not_planned_again() -> None:
    out = recommend(CAT, _learner("base"), "goal", as_of=AS_OF)
    assert out["plan"] == ["adv", "alt1"] and out["plan_total"] == 30


def test_met_goal_gives_an_empty_plan_and_zero() -> None:
    out = recommend(CAT, _learner("pricey", "alt2"), "goal", as_of=AS_OF)
    assert out["status"] == "met" and out["plan"] == [] and out["plan_total"] == 0
    assert out["next"] == []


def test_unreachable_goal_gives_null_plan_and_reason() -> None:
    out = recommend(CAT, _learner(), "never", as_of=AS_OF)
    assert out["plan"] is None and out["plan_total"] is None
    assert "never" in out["reason"] and "cannot be reached" in out["reason"]


def test_an_unreachable_goal_names_the_held_credential_below_its_floor() -> None:
    # cs-102 is held with a D: the rule wants a C, and a plan never retakes a held course
    record = parse_record(
        {
            "learner": "pat",
            "earned": [
                {"credential": "cs-101", "earned_on": "2025-05-01", "grade": "B"},
                {"credential": "cs-102", "earned_on": "2025-12-01", "grade": "D"},
            ],
        }
    )
    out = recommend(load_catalog(DEMO), record, "mc-prog", as_of=AS_OF)
    assert out["plan"] is None
    assert out["reason"] == (
        "mc-prog cannot be reached by earning new credentials: cs-102 is held, but "
        '"Programming I and II, C or better" asks for a grade of C or better (held: D) '
        "(a plan never retakes a credential already held)"
    )


def test_a_held_score_and_date_below_the_floor_are_named_too() -> None:
    cat = load_catalog_text(
        """
catalog: {id: t, version: "1"}
credentials:
  - {id: exam}
  - {id: course}
  - id: cert
    type: certificate
    requires:
      all:
        - {credential: exam, min_score: 0.7}
        - {id: fresh, name: A recent course, recent: P2Y, all: [course]}
"""
    )
    record = parse_record(
        {
            "learner": "pat",
            "earned": [
                {"credential": "exam", "earned_on": "2026-01-01", "score": 0.6},
                {"credential": "course", "earned_on": "2020-01-01", "grade": "A"},
            ],
        }
    )
    reason = recommend(cat, record, "cert", as_of=AS_OF)["reason"]
    assert "exam is held, but" in reason and "a score of 0.7 or more (held: 0.6)" in reason
    assert '"A recent course" asks for one earned on or after 2024-11-28' in reason
    assert "(held: 2020-01-01)" in reason


def test_skill_gap_lists_missing_skills_and_who_teaches_them() -> None:
    out = recommend(CAT, _learner(), "goal", as_of=AS_OF)
    assert out["skill_gap"] == [
        {"skill": "sql", "name": "SQL", "level": 2, "have": None, "taught_by": ["pricey"]}
    ]


def test_nearest_goals_rank_by_progress_then_total_and_respect_limit() -> None:
    out = recommend(CAT, _learner("adv"), None, as_of=AS_OF, limit=2)
    goals = out["goals"]
    assert [g["goal"] for g in goals] == ["goal", "tie"]
    assert goals[0]["progress"] == 0.5 and goals[0]["plan_total"] == 20
    everything = recommend(CAT, _learner("adv"), None, as_of=AS_OF)
    assert [g["goal"] for g in everything["goals"]][-1] == "never"


def test_bad_measure_and_unknown_goal_are_refused_by_name() -> None:
    with pytest.raises(UsageError, match="'price'"):
        recommend(CAT, _learner(), "goal", by="price", as_of=AS_OF)
    with pytest.raises(UnknownTargetError, match="'nope'"):
        recommend(CAT, _learner(), "nope", as_of=AS_OF)


def test_demo_ben_gets_the_exam_route_to_the_certificate() -> None:
    catalog = load_catalog(DEMO)
    ben = load_record(LEARNERS / "ben-halfway.json")
    out = recommend(catalog, ben, "prog-cert", as_of=AS_OF)
    # the exam (200) is cheaper than the capstone course (1050); cs-210 is in progress
    assert out["plan"] == ["cs-225", "cs-230", "cs-235", "prog-exam"]
    assert out["plan_total"] == 3350
    assert [n["credential"] for n in out["next"]] == ["cs-225", "cs-230"]
    assert "prog-cert" in out["next"][0]["advances"]


def test_demo_transfer_value_and_lapsed_certification() -> None:
    catalog = load_catalog(DEMO)
    dev = load_record(LEARNERS / "dev-lapsed-cloud.json")
    out = recommend(catalog, dev, None, as_of=AS_OF)
    assert all(g["status"] != "met" for g in out["goals"])
    assert len(out["goals"]) <= 10


def test_no_plan_rests_on_a_prerequisite_cycle_through_an_equivalent() -> None:
    # c1 needs c0; c5 (the same as c0) needs c1. Buying c1 and c5 "meets" every
    # prerequisite on paper, but neither can be taken first: the plan is c0.
    catalog = load_catalog_text(
        """
catalog: {id: t, version: "1"}
credentials:
  - {id: c0, credits: 1, cost: 1}
  - {id: c1, credits: 1, prerequisites: {all: [c0]}}
  - {id: c5, credits: 1, same_as: [c0], prerequisites: {all: [c1]}}
  - {id: g, type: degree, requires: {credential: c0, min_grade: B}}
"""
    )
    out = recommend(catalog, _learner(), "g", as_of=AS_OF)
    assert out["plan"] == ["c0"] and out["plan_total"] == 1


def test_a_goal_of_one_course_held_below_its_floor_has_no_plan() -> None:
    # The goal's whole rule is one leaf nothing can fill (c0 is held with a C, and a plan
    # never retakes): the model's row for such a leaf must make "goal met" infeasible.
    # Holding the leaf at 0 by bounds alone let the planner's fixing of the goal at 1
    # overwrite them, and it answered "already met" with an empty plan.
    catalog = load_catalog_text(
        """
catalog: {id: t, version: "1"}
credentials:
  - {id: c0, credits: 1}
  - {id: g, type: degree, requires: {credential: c0, min_grade: B}}
"""
    )
    record = parse_record(
        {
            "learner": "pat",
            "earned": [{"credential": "c0", "earned_on": "2025-01-01", "grade": "C"}],
        }
    )
    out = recommend(catalog, record, "g", as_of=AS_OF)
    assert out["plan"] is None and "cannot be reached" in out["reason"]


def test_cheapest_then_fewest_is_one_objective_where_measures_are_whole_cents() -> None:
    # a plan a cent cheaper must outweigh any number of credentials: 3 buyable, weight 4
    assert _cheapest_then_fewest({0: 49.0, 1: 0.0, 2: 5.0}, 3) == {0: 197.0, 1: 1.0, 2: 21.0}
    assert _cheapest_then_fewest({0: 49.99, 1: 0.5}, 2) == {0: 14998.0, 1: 151.0}
    assert _cheapest_then_fewest({0: 0.125, 1: 1.0}, 2) is None  # no whole cents: 2 stages
    assert _cheapest_then_fewest({0: 1400.0, 1: 2.0}, 44) == {0: 63001.0, 1: 91.0}
    assert _cheapest_then_fewest({0: 1400.0}, 99) is None  # 140,001: HiGHS's tolerance


@pytest.mark.parametrize(("dear", "plan"), [(1, ["f1", "f2", "f3"]), (0.5, ["f1", "f2", "f3"])])
def test_a_cent_cheaper_beats_any_number_of_credentials(dear: float, plan: list[str]) -> None:
    # three free credentials against one that costs a little: the free three are cheapest
    cat = load_catalog_text(
        f"""
catalog: {{id: t, version: "1"}}
credentials:
  - {{id: f1}}
  - {{id: f2}}
  - {{id: f3}}
  - {{id: one, cost: {dear}}}
  - id: goal
    type: certificate
    requires: {{any: [{{all: [f1, f2, f3]}}, one]}}
"""
    )
    out = recommend(cat, _learner(), "goal", as_of=AS_OF)
    assert out["plan"] == plan and out["plan_total"] == 0


@pytest.mark.parametrize("goal", ["bs-cs", "prog-cert"])
def test_a_plan_says_where_the_decision_will_apply_each_credential(goal: str) -> None:
    # Each step's "counts toward" is where the engine applies it once the plan is earned
    # (not one of the equally cheap placements the plan's solve happened on): the degree
    # takes fatima's databases courses inside the Databases microcredential, say.
    catalog = load_catalog(DEMO)
    planner = Planner(catalog)
    for path in sorted(LEARNERS.glob("*.json")):
        record = load_record(path)
        plan = planner.plan(record, goal, "cost", AS_OF)
        if not plan.plan:
            continue
        # a plan counts on work in progress being completed: so does the record it earns
        finished = [
            hypothetical_entry(catalog, e.credential, AS_OF) if e.status == "in_progress" else e
            for e in record.earned
        ]
        extra = [hypothetical_entry(catalog, cid, AS_OF) for cid in plan.plan]
        done = record.model_copy(update={"earned": [*finished, *extra]})
        decision = evaluate(catalog, done, goal, AS_OF)
        assert decision.status == "met", path.name
        for cid in plan.plan:
            owners = {a.within or goal for a in decision.applied if a.credential == cid}
            assert {owner for owner, _ in plan.fills.get(cid, [])} == owners, (path.name, cid)


PREREQS = load_catalog_text(
    """
catalog: {id: p, version: "1"}
credentials:
  - {id: a, cost: 10}
  - {id: b, cost: 10}
  - {id: h, cost: 10}
  - {id: x, cost: 10, prerequisites: {any: [b, a]}}
  - {id: y, cost: 10, prerequisites: {any: [b, h]}}
  - {id: c, cost: 10}
  - {id: w, cost: 10, prerequisites: {any: [b, {all: [a, c]}]}}
  - {id: v, cost: 10, prerequisites: {any: [{all: [b, c]}, {all: [a, c]}]}}
  - {id: goal, type: certificate, requires: {all: [a, b, c, v, w, x, y]}}
"""
)


def test_a_step_waits_only_for_the_purchases_its_prerequisites_need() -> None:
    # x can follow a or b (both bought for the goal): it waits for one, the first by id;
    # y can follow b or h, and the learner holds h: it waits for nothing; w can follow b,
    # or a and c: a comes first by id, but with b it is not needed; v can follow a and c,
    # or b and c: the first ids.
    plan = Planner(PREREQS).plan(_learner("h"), "goal", "cost", AS_OF)
    assert plan.plan == ["a", "b", "c", "v", "w", "x", "y"]
    assert plan.needs == {"v": ["a", "c"], "w": ["b"], "x": ["a"]}
    assert plan.enables == {"a": ["v", "x"], "b": ["w"], "c": ["v"]}
    out = recommend(PREREQS, _learner("h"), "goal", as_of=AS_OF)
    waits = {s["credential"]: s["after"] for s in out["steps"]}
    assert waits == {"a": [], "b": [], "c": [], "v": ["a", "c"], "w": ["b"], "x": ["a"], "y": []}
    assert [n["credential"] for n in out["next"]] == ["a", "b", "c", "y"]


def test_every_demo_step_can_be_taken_once_the_steps_it_waits_for_are() -> None:
    catalog = load_catalog(DEMO)
    planner = Planner(catalog)
    recommender = Recommender(catalog)
    for path in sorted(LEARNERS.glob("*.json")):
        record = load_record(path)
        finished = [
            hypothetical_entry(catalog, e.credential, AS_OF) if e.status == "in_progress" else e
            for e in record.earned
        ]
        plan = planner.plan(record, "bs-cs", "cost", AS_OF)
        for step, cid in enumerate(plan.plan or []):
            after = plan.needs.get(cid, [])
            assert set(after) <= set((plan.plan or [])[:step]), (path.name, cid)
            extra = [hypothetical_entry(catalog, other, AS_OF) for other in after]
            ready = record.model_copy(update={"earned": [*finished, *extra]})
            assert recommender.prerequisites_met(ready, cid, AS_OF), (path.name, cid)


def test_waits_that_go_round_in_a_circle_fall_back_to_the_plans_own_order() -> None:
    # Each of x and y alone is the first way to meet the other's prerequisites (a select:
    # no cycle a catalog can be refused for): taken apart, x would wait for y and y for
    # x. The plan's rows keep some order, and that one is kept.
    catalog = load_catalog_text(
        """
catalog: {id: c, version: "1"}
credentials:
  - {id: x, cost: 10, tags: [u], prerequisites: {select: {tags: [t]}, count: 1}}
  - {id: y, cost: 10, tags: [t], prerequisites: {select: {tags: [u]}, count: 1}}
  - {id: z1, cost: 10, tags: [u]}
  - {id: z2, cost: 10, tags: [t]}
  - {id: goal, type: certificate, requires: {all: [x, y, z1, z2]}}
"""
    )
    plan = Planner(catalog).plan(_learner(), "goal", "cost", AS_OF)
    assert sorted(plan.plan or []) == ["x", "y", "z1", "z2"]
    waits = [(cid, other) for cid, others in plan.needs.items() for other in others]
    assert waits in ([("x", "z2"), ("y", "x")], [("x", "y"), ("y", "z1")])
    order = plan.plan or []
    assert all(order.index(other) < order.index(cid) for cid, other in waits)
