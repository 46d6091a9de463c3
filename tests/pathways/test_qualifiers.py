"""One test per qualifier: what it lets in, what it keeps out."""

from __future__ import annotations

from pathways.catalog import Catalog
from tests.pathways.helpers import applied, catalog, decide

BASE = """
credentials:
  - {id: A, credits: 3, subject: CS, level: 300}
  - {id: B, credits: 3, subject: CS, level: 300}
  - {id: C, credits: 3, subject: CS, level: 300}
  - {id: D, credits: 6, subject: CS, level: 100}
"""


def _cat(requires: str) -> Catalog:
    return catalog(BASE + f"  - id: T\n    type: degree\n    requires: {requires}\n")


def test_min_grade_keeps_out_low_grades_and_pass_grades() -> None:
    cat = _cat("{all: [A, B], min_grade: C}")
    assert (
        decide(
            cat, "T", {"credential": "A", "grade": "C"}, {"credential": "B", "grade": "B"}
        ).status
        == "met"
    )
    d = decide(cat, "T", {"credential": "A", "grade": "C-"}, {"credential": "B", "grade": "P"})
    assert d.status == "not_met" and d.progress == 0.0 and sorted(d.unused) == ["A", "B"]


def test_min_gpa_refuses_assignments_below_the_floor() -> None:
    cat = _cat("{select: {subject: CS}, credits: 6, min_gpa: 3.0}")
    d = decide(
        cat,
        "T",
        {"credential": "A", "grade": "A"},
        {"credential": "B", "grade": "C"},
        {"credential": "C", "grade": "B"},
    )
    assert d.status == "met" and sorted(a.credential for a in d.applied) == ["A", "C"]
    low = decide(cat, "T", {"credential": "A", "grade": "C"}, {"credential": "B", "grade": "C"})
    assert low.status == "not_met"


def test_min_gpa_long_form_widens_the_sources() -> None:
    cat = _cat(
        "{select: {subject: CS}, credits: 6, min_gpa: {value: 3.0, sources: "
        "[institution, transfer]}}"
    )
    d = decide(
        cat,
        "T",
        {"credential": "A", "grade": "A"},
        {"credential": "B", "grade": "D", "source": "transfer"},
    )
    assert d.status == "not_met"  # the transfer D now counts toward the GPA
    narrow = _cat("{select: {subject: CS}, credits: 6, min_gpa: 3.0}")
    assert (
        decide(
            narrow,
            "T",
            {"credential": "A", "grade": "A"},
            {"credential": "B", "grade": "D", "source": "transfer"},
        ).status
        == "met"
    )


def test_recent_counts_only_items_earned_within_the_duration() -> None:
    cat = _cat("{all: [A, B], recent: P7Y}")
    d = decide(
        cat,
        "T",
        {"credential": "A", "earned_on": "2019-11-28"},
        {"credential": "B", "earned_on": "2019-11-27"},
    )
    assert d.status == "not_met" and applied(d) == [("T/0", "A")] and d.unused == ["B"]


def test_window_bounds_the_span_between_earliest_and_latest_items() -> None:
    cat = _cat("{select: {subject: CS}, count: 2, window: P3Y}")
    d = decide(
        cat,
        "T",
        {"credential": "A", "earned_on": "2020-01-01"},
        {"credential": "B", "earned_on": "2023-01-01"},
        {"credential": "C", "earned_on": "2023-01-02"},
    )
    assert d.status == "met"
    assert sorted(a.credential for a in d.applied) in (["A", "B"], ["B", "C"])
    far = decide(
        cat,
        "T",
        {"credential": "A", "earned_on": "2019-01-01"},
        {"credential": "B", "earned_on": "2023-01-02"},
    )
    assert far.status == "not_met" and far.progress == 0.5


def test_at_most_limit_caps_transfer_credit() -> None:
    cat = _cat(
        "{select: {subject: CS}, credits: 9, limits: "
        "[{at_most: 3, unit: credits, where: {source: transfer}}]}"
    )
    d = decide(
        cat,
        "T",
        {"credential": "A", "source": "transfer"},
        {"credential": "B", "source": "transfer"},
        {"credential": "C"},
    )
    assert d.status == "not_met" and d.credits_applied == 6
    assert d.missing[0].need == "3 more credits in CS"


def test_at_least_limit_is_a_floor_that_leaves_the_node_unsatisfied() -> None:
    cat = _cat(
        "{select: {subject: CS}, count: 2, limits: "
        "[{at_least: 6, unit: credits, where: {source: institution}}]}"
    )
    d = decide(cat, "T", {"credential": "A", "source": "transfer"}, {"credential": "B"})
    assert d.status == "not_met" and d.progress == 0.5
    assert d.missing[-1].need == "3 more credits from source institution"
    assert decide(cat, "T", {"credential": "A"}, {"credential": "B"}).status == "met"


def test_items_limit_counts_items() -> None:
    cat = _cat(
        "{select: {subject: CS}, count: 2, limits: [{at_most: 1, unit: items, "
        "where: {level_max: 100}}]}"
    )
    d = decide(cat, "T", {"credential": "D"}, {"credential": "A"})
    assert d.status == "met"


def test_no_double_counting_without_share_and_sharing_with_it() -> None:
    plain = _cat("{all: [A, {select: {subject: CS}, count: 1}]}")
    assert decide(plain, "T", {"credential": "A"}).status == "not_met"
    shared = _cat("{all: [A, {select: {subject: CS}, count: 1, share: true}]}")
    d = decide(shared, "T", {"credential": "A"})
    assert d.status == "met" and d.credits_applied == 3


def test_qualifier_ids_and_names_reach_the_explanation() -> None:
    cat = _cat("{id: core, name: Core courses, all: [A]}")
    d = decide(cat, "T", {"credential": "A"})
    assert d.explanation["id"] == "core" and d.explanation["name"] == "Core courses"
    assert d.applied[0].requirement == "core"
