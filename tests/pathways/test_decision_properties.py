"""Decisions do not depend on item order; without min_gpa/window/limits more items never hurt."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from pathways.evaluate import evaluate
from pathways.record import parse_record
from tests.pathways.helpers import catalog
from tests.properties import search

CAT = catalog("""
credentials:
  - {id: a, credits: 3, subject: CS, level: 100}
  - {id: b, credits: 3, subject: CS, level: 200}
  - {id: c, credits: 4, subject: MATH, level: 200}
  - {id: d, credits: 1, subject: CS, level: 300, same_as: [e]}
  - {id: e, credits: 1, subject: CS, level: 300}
  - {id: cert, type: certificate, requires: {at_least: 2, of: [a, b, d]}}
  - id: deg
    type: degree
    requires:
      all:
        - {any: [cert, c]}
        - {select: {subject: CS}, credits: 4}
        - {at_least: 1, of: [{credential: b, min_grade: B}, c]}
""")
AS_OF = dt.date(2026, 11, 28)
ITEM = st.fixed_dictionaries(
    {
        "credential": st.sampled_from(["a", "b", "c", "d", "e", "zz"]),
        "earned_on": st.dates(dt.date(2020, 1, 1), dt.date(2026, 11, 28)).map(str),
        "grade": st.sampled_from(["A", "B", "C", "F", "P"]),
        "status": st.sampled_from(["completed", "completed", "in_progress"]),
    }
)
SETTINGS = search(60)


def _decide(items: list[dict[str, Any]]) -> str:
    record = parse_record({"learner": "pat", "earned": items})
    return evaluate(CAT, record, "deg", AS_OF).to_json()


@SETTINGS
@given(st.lists(ITEM, max_size=6), st.randoms())
def test_the_same_items_in_any_order_give_byte_identical_decisions(
    items: list[dict[str, Any]], rnd: Any
) -> None:
    shuffled = list(items)
    rnd.shuffle(shuffled)
    assert _decide(items) == _decide(shuffled)


@SETTINGS
@given(st.lists(ITEM, max_size=5), ITEM)
def test_adding_an_item_never_lowers_progress(
    items: list[dict[str, Any]], extra: dict[str, Any]
) -> None:
    record = parse_record({"learner": "pat", "earned": items})
    more = parse_record({"learner": "pat", "earned": [*items, extra]})
    before = evaluate(CAT, record, "deg", AS_OF).progress
    after = evaluate(CAT, more, "deg", AS_OF).progress
    # a better attempt of the same credential can replace a worse one, never lose ground
    assert after >= before
