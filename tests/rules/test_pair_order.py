"""The pair-order stage, from either optimal assignment in hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from unittest.mock import patch

import pytest

from rules import milp
from rules.brute import solve_brute
from rules.formulation import formulate
from rules.items import Item
from rules.problem import Problem, compile_problem
from rules.score import score
from tests.rules.helpers import RULE, cert_problem, item
from tests.rules.strategies import AS_OF, SCALE


@pytest.mark.parametrize("in_hand", ["a", "b"])
def test_the_first_pair_order_wins_from_either_optimum(in_hand: str) -> None:
    # {any: [a, b]} with both held: taking a or taking b are both met with 3 credits; the
    # contract then prefers [('target/0', 'a')] to [('target/1', 'b')]. With one rank a
    # block, the first block is solved over the other optimum only, and must keep the
    # assignment in hand when that one comes first (and take the other when it does).
    problem = compile_problem(
        "target",
        RULE.validate_python({"any": ["a", "b"]}),
        [item("a"), item("b")],
        as_of=AS_OF,
        scale=SCALE,
    )
    f = formulate(problem)
    m = f.model
    m.ge({f.p[problem.roots["target"]]: 1.0}, 1.0 - 1e-6)
    m.le(f.credits, 3.0 + 1e-6)
    pinned = m.copy()
    for pair in f.pairs:
        assert isinstance(pair.thing, int)
        if problem.items[pair.thing].credential == in_hand:
            pinned.fix(pair.var, 1.0)
    values = pinned.solve_stage({})
    with patch.object(milp, "_LEX_BLOCK", 1):
        best = f.assignment(milp._first_pairs(problem, f, values, []))
    assert [problem.items[t].credential for _, t in best.pairs if isinstance(t, int)] == ["a"]


def test_a_derived_credential_that_adds_no_credits_is_left_off_the_end() -> None:
    # cert (6 catalog credits) holds a and b (3 each), put on its pool by `apply`
    # exceptions; the target is met by the waived `a` leaf. Applying cert at the select
    # leaf changes no credits (its 6 replace the 3 + 3 inside), so the list without that
    # last pair is a prefix of the one with it, and comes first (found by a 20x campaign).
    items = [
        replace(item("a", grade=None), forced=frozenset({"pool"})),
        replace(item("b", grade=None), forced=frozenset({"pool"})),
    ]
    problem = cert_problem(
        {"all": [{"any": ["a", {"select": {"source": "derived"}, "count": 1}]}]},
        {"all": [{"id": "pool", "select": {"subject": "MATH"}, "count": 1}]},
        items,
        6.0,
        waived=frozenset({"a"}),
    )
    expected = solve_brute(problem)[1]
    got = score(problem, milp.solve_milp(problem))
    assert got.pairs == expected.pairs == [("cert/pool", "a"), ("cert/pool", "b")]


def _pool(*items: Item) -> Problem:
    rule = {"id": "pool", "select": {"level_min": 200}, "credits": 6, "recent": "P3Y"}
    return cert_problem(rule, "x", list(items))


def test_an_alike_swap_shows_another_optimum() -> None:
    # two of three alike 3-credit B courses fill the pool: the third can take either's place
    problem = _pool(item("a"), item("b"), item("c"))
    assert score(problem, solve_brute(problem)[0]).valid
    assert milp._alike_swap(problem, solve_brute(problem)[0])


@pytest.mark.parametrize(
    "odd",
    [
        item("c", grade="C"),  # other grade points: another GPA
        item("c", credits=4.0),  # other credits
        item("c", day=date(2020, 1, 1)),  # alike, but too old for `recent`: not valid there
    ],
)
def test_no_alike_swap_where_the_score_would_change(odd: Item) -> None:
    problem = _pool(item("a"), item("b"), odd)
    assert not milp._alike_swap(problem, solve_brute(problem)[0])


def test_no_alike_swap_that_breaks_a_limit_above() -> None:
    # c is a candidate of the pool, but a transfer course: the cap above keeps it out
    pool = {"id": "pool", "select": {"level_min": 200}, "credits": 6}
    cap = {"at_most": 2, "unit": "credits", "where": {"source": "transfer"}}
    rule = {"id": "all", "all": [pool], "limits": [cap]}
    problem = cert_problem(rule, "x", [item("a"), item("b"), item("c", source="transfer")])
    assert score(problem, solve_brute(problem)[0]).valid
    assert not milp._alike_swap(problem, solve_brute(problem)[0])


def test_with_an_alike_swap_the_first_block_skips_the_look_at_the_others() -> None:
    problem = _pool(item("a"), item("b"), item("c"), item("d"))

    def never(*_: object) -> None:
        raise AssertionError("the others-only solve ran although a swap shows others")

    with patch.object(milp, "_LEX_BLOCK", 2), patch.object(milp, "_other_optimum", never):
        got = score(problem, milp.solve_milp(problem))
    assert got.key() == solve_brute(problem)[1].key()
