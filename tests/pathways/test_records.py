"""Learner records into countable items: status, dates, lapsing, attempts, transfer, exceptions."""

from __future__ import annotations

import datetime as dt

import pytest

from pathways.errors import RecordError
from tests.pathways.helpers import applied, catalog, decide

CAT = """
credentials:
  - {id: A, credits: 3, subject: CS}
  - {id: A-old, credits: 3, subject: CS, same_as: [A]}
  - {id: B, credits: 3, subject: CS}
  - {id: cloud, type: certification, credits: 0, valid_for: P1Y}
  - {id: gda, type: certificate, credits: 0}
  - {id: stat, credits: 3, subject: MATH}
  - {id: E, credits: 3, subject: ART}
  - {id: T, type: certificate, requires: {all: [A, B]}}
  - {id: C, type: certificate, requires: cloud}
  - id: BS
    type: degree
    requires: {id: bs-root, all: [stat, {id: pool, select: {subject: CS}, credits: 3}]}
transfer_values:
  - {from: gda, to: BS, credits: 12, counts_as: [stat],
     valid_from: 2021-01-01, valid_until: 2027-12-31}
"""


def test_failed_withdrawn_future_and_failing_grades_do_not_count() -> None:
    cat = catalog(CAT)
    d = decide(
        cat,
        "T",
        {"credential": "A", "status": "failed"},
        {"credential": "B", "status": "withdrawn"},
    )
    assert d.progress == 0 and d.unused == []
    d = decide(
        cat, "T", {"credential": "A", "grade": "F"}, {"credential": "B", "earned_on": "2027-01-01"}
    )
    assert d.progress == 0


def test_in_progress_items_give_the_in_progress_status_but_no_progress() -> None:
    d = decide(catalog(CAT), "T", {"credential": "A"}, {"credential": "B", "status": "in_progress"})
    assert d.status == "in_progress" and d.progress == 0.5 and d.in_progress_items == ["B"]


def test_an_item_lapses_after_valid_for_counting_only_on_days_before() -> None:
    cat = catalog(CAT)
    item = {"credential": "cloud", "earned_on": "2025-03-01"}
    assert decide(cat, "C", item, as_of=dt.date(2026, 2, 28)).status == "met"
    lapsed = decide(cat, "C", item, as_of=dt.date(2026, 3, 1))
    assert lapsed.status == "not_met" and lapsed.lapsed == ["cloud"]


def test_p1y_from_29_february_lapses_on_28_february() -> None:
    cat = catalog(CAT)
    item = {"credential": "cloud", "earned_on": "2024-02-29"}
    assert decide(cat, "C", item, as_of=dt.date(2025, 2, 27)).status == "met"
    assert decide(cat, "C", item, as_of=dt.date(2025, 2, 28)).status == "not_met"


def test_expires_on_overrides_valid_for() -> None:
    item = {"credential": "cloud", "earned_on": "2025-03-01", "expires_on": "2025-06-01"}
    assert decide(catalog(CAT), "C", item, as_of=dt.date(2025, 6, 1)).status == "not_met"


def test_retakes_and_equivalents_count_once_with_the_best_attempt() -> None:
    d = decide(
        catalog(CAT),
        "T",
        {"credential": "A", "grade": "C"},
        {"credential": "A-old", "grade": "A", "earned_on": "2020-01-01"},
        {"credential": "A", "grade": "B", "earned_on": "2025-01-01"},
        {"credential": "B"},
    )
    assert d.status == "met" and applied(d) == [("T/0", "A-old"), ("T/1", "B")]
    assert d.gpa == 4.0 and d.unused == []


def test_items_the_catalog_does_not_know_are_unrecognized() -> None:
    d = decide(catalog(CAT), "T", {"credential": "A"}, {"credential": "udemy-react"})
    assert d.unrecognized == ["udemy-react"]


def test_grade_not_on_the_scale_is_bad_input_naming_the_item() -> None:
    with pytest.raises(RecordError, match=r"/earned/0/grade.*grade 'Q' of 'A'"):
        decide(catalog(CAT), "T", {"credential": "A", "grade": "Q"})


def test_transfer_value_changes_credits_and_matches_toward_its_target() -> None:
    cat = catalog(CAT)
    d = decide(cat, "BS", {"credential": "gda", "earned_on": "2024-05-01"}, {"credential": "A"})
    assert d.status == "met" and d.credits_applied == 15
    assert ("BS/0", "gda") in applied(d)
    early = decide(cat, "BS", {"credential": "gda", "earned_on": "2020-05-01"})
    assert early.status == "not_met" and early.unused == ["gda"]


def test_credits_in_another_unit_convert_and_ceu_does_not() -> None:
    cat = catalog(CAT)
    d = decide(
        cat,
        "BS",
        {"credential": "stat"},
        {"credential": "B", "credits": {"value": 6, "unit": "ects"}},
    )
    assert d.status == "met" and d.credits_applied == 6
    ceu = decide(
        cat,
        "BS",
        {"credential": "stat"},
        {"credential": "B", "credits": {"value": 30, "unit": "ceu"}},
    )
    assert ceu.status == "not_met"
    assert any("ceu credits do not convert" in n for n in ceu.notes)


def test_waive_substitute_and_apply_exceptions_are_used_and_listed() -> None:
    cat = catalog(CAT)
    waived = decide(
        cat,
        "BS",
        {"credential": "A"},
        exceptions=[{"waive": "stat", "reason": "AP exam", "by": "registrar"}],
    )
    assert waived.status == "met"
    assert waived.exceptions_used == [{"waive": "stat", "reason": "AP exam", "by": "registrar"}]
    sub = decide(
        cat,
        "T",
        {"credential": "A"},
        {"credential": "stat"},
        exceptions=[{"substitute": "stat", "for": "B", "reason": "dean"}],
    )
    assert sub.status == "met" and sub.exceptions_used[0]["substitute"] == "stat"
    app = decide(
        cat,
        "BS",
        {"credential": "stat"},
        {"credential": "E"},
        exceptions=[{"apply": "E", "to": "pool", "reason": "industry work"}],
    )
    assert app.status == "met" and ("BS/pool", "E") in applied(app)
    assert app.exceptions_used == [{"apply": "E", "to": "pool", "reason": "industry work"}]


def test_an_exception_that_is_not_used_is_not_listed() -> None:
    d = decide(
        catalog(CAT), "T", {"credential": "A"}, exceptions=[{"waive": "bs-root", "reason": "n/a"}]
    )
    assert d.exceptions_used == []
