"""One test per rule form: what satisfies it and how progress is counted."""

from __future__ import annotations

from tests.pathways.helpers import applied, catalog, decide

COURSES = """
credentials:
  - {id: X, credits: 3, subject: CS, level: 100, tags: [core], skills: [{skill: py, level: 2}]}
  - {id: Y, credits: 3, subject: CS, level: 200, issuer: acme}
  - {id: Z, credits: 4, subject: MATH, level: 500, type: microcredential}
  - {id: W, credits: 2, subject: CS, level: 500}
"""
SKILLS = "skills: [{id: py}]\n"


def test_plain_id_leaf_is_met_by_an_item_of_that_credential() -> None:
    cat = catalog(SKILLS + COURSES + "  - {id: T, type: certificate, requires: X}\n")
    d = decide(cat, "T", {"credential": "X"})
    assert d.status == "met" and d.progress == 1.0 and d.credits_applied == 3
    assert applied(d) == [("T", "X")]
    assert decide(cat, "T", {"credential": "Y"}).status == "not_met"


def test_greedy_first_fit_would_fail_but_the_solver_finds_the_assignment() -> None:
    cat = catalog(
        SKILLS + COURSES + "  - {id: T, type: certificate, requires: {all: [{any: [X, Y]}, X]}}\n"
    )
    d = decide(cat, "T", {"credential": "X"}, {"credential": "Y"})
    assert d.status == "met"
    assert applied(d) == [("T/0/1", "Y"), ("T/1", "X")]


def test_all_progress_is_the_mean_of_its_children() -> None:
    cat = catalog(
        SKILLS + COURSES + "  - {id: T, type: certificate, requires: {all: [X, Y, Z, W]}}\n"
    )
    d = decide(cat, "T", {"credential": "X"})
    assert d.status == "not_met" and d.progress == 0.25
    assert d.missing[0].need == "3 more: Y, Z, W"


def test_any_takes_the_best_child_and_the_fewest_credits() -> None:
    cat = catalog(SKILLS + COURSES + "  - {id: T, type: certificate, requires: {any: [Z, X]}}\n")
    d = decide(cat, "T", {"credential": "X"}, {"credential": "Z"})
    assert d.status == "met" and d.credits_applied == 3 and applied(d) == [("T/1", "X")]
    assert d.unused == ["Z"]


def test_at_least_progress_is_the_mean_of_the_n_best_children() -> None:
    cat = catalog(
        SKILLS
        + COURSES
        + """  - id: T
    type: certificate
    requires: {id: electives, at_least: 2, of: [X, Y, Z, {all: [W, X]}]}
"""
    )
    d = decide(cat, "T", {"credential": "X"})
    assert d.progress == 0.5
    assert d.missing[0].requirement == "electives"
    assert d.missing[0].need.startswith("1 more of: Y, Z")


def test_select_by_count_takes_distinct_items_matching_the_filter() -> None:
    cat = catalog(
        SKILLS
        + COURSES
        + "  - {id: T, type: certificate, requires: {select: {subject: CS}, count: 2}}\n"
    )
    assert decide(cat, "T", {"credential": "X"}, {"credential": "Z"}).progress == 0.5
    assert decide(cat, "T", {"credential": "X"}, {"credential": "Y"}).status == "met"


def test_select_by_credits_says_how_many_credits_are_missing_at_a_level() -> None:
    cat = catalog(
        SKILLS
        + COURSES
        + """  - id: T
    type: certificate
    requires: {id: upper, select: {level_min: 500}, credits: 8}
"""
    )
    d = decide(cat, "T", {"credential": "W"})
    assert d.progress == 0.25
    assert d.missing[0].need == "6 more credits at level 500+"
    assert decide(cat, "T", {"credential": "W"}, {"credential": "Z"}).progress == 0.75


def test_select_with_count_and_credits_needs_both() -> None:
    cat = catalog(
        SKILLS
        + COURSES
        + """  - id: T
    type: certificate
    requires: {select: {subject: CS}, count: 1, credits: 6}
"""
    )
    d = decide(cat, "T", {"credential": "X"})
    assert d.status == "not_met" and d.progress == 0.5
    assert decide(cat, "T", {"credential": "X"}, {"credential": "Y"}).status == "met"


def test_every_filter_key_is_honoured() -> None:
    filters = {
        "{type: microcredential}": "Z",
        "{tags: [core]}": "X",
        "{level_max: 100}": "X",
        "{skills: [py]}": "X",
        "{issuer: acme}": "Y",
        "{ids: [W]}": "W",
        "{source: transfer}": "Y",
        "{subject: MATH}": "Z",
    }
    for flt, expected in filters.items():
        cat = catalog(
            SKILLS
            + COURSES
            + f"  - {{id: T, type: certificate, requires: {{select: {flt}, count: 1}}}}\n"
        )
        d = decide(
            cat,
            "T",
            {"credential": "X"},
            {"credential": "Y", "source": "transfer"},
            {"credential": "Z"},
            {"credential": "W"},
        )
        assert d.status == "met", flt
        assert [a.credential for a in d.applied] == [expected], flt


def test_skill_rule_checks_the_level_and_takes_no_item() -> None:
    cat = catalog(
        SKILLS
        + COURSES
        + """  - id: T
    type: certificate
    requires: {all: [{skill: py, level: 2}, X]}
"""
    )
    d = decide(cat, "T", {"credential": "X"})
    assert d.status == "met" and applied(d) == [("T/1", "X")]
    cat3 = catalog(
        SKILLS
        + COURSES
        + """  - id: T
    type: certificate
    requires: {skill: py, level: 3}
"""
    )
    assert decide(cat3, "T", {"credential": "X"}).status == "not_met"


def test_credential_leaf_min_grade_and_min_score() -> None:
    cat = catalog(
        SKILLS
        + COURSES
        + """  - id: T
    type: certificate
    requires: {all: [{credential: X, min_grade: B}, {credential: Y, min_score: 0.78}]}
"""
    )
    ok = decide(cat, "T", {"credential": "X", "grade": "B+"}, {"credential": "Y", "score": 0.8})
    assert ok.status == "met"
    low = decide(cat, "T", {"credential": "X", "grade": "C"}, {"credential": "Y", "score": 0.7})
    assert low.status == "not_met" and low.progress == 0.0
    assert low.missing[0].need == "2 more: X (grade B or better), Y (score 0.78 or better)"
