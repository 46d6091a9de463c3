"""Reduced-cost fixing (rules.milp.fix_by_reduced_costs) never cuts off an assignment a
later stage may want: every integer point with ``objective <= best`` keeps its values."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from rules.linear import LinearModel
from rules.milp import fix_by_reduced_costs
from tests.properties import search

COEF = st.integers(-3, 3)


@st.composite
def models(draw: st.DrawFn) -> tuple[LinearModel, list[tuple[int, ...]]]:
    """A small 0/1 model and every point that meets its rows."""
    n = draw(st.integers(1, 6))
    m = LinearModel()
    for _ in range(n):
        m.var()
    for _ in range(draw(st.integers(0, 4))):
        expr = {v: float(draw(COEF)) for v in range(n)}
        bound = float(draw(st.integers(-3, 4)))
        if draw(st.booleans()):
            m.le(expr, bound)
        else:
            m.ge(expr, bound)
    points = [
        x
        for x in itertools.product((0, 1), repeat=n)
        if all(lo - 1e-9 <= _value(e, x) <= hi + 1e-9 for e, lo, hi in m.rows)
    ]
    return m, points


def _value(objective: dict[int, float], x: tuple[int, ...]) -> float:
    return sum(c * x[k] for k, c in objective.items())


@given(models(), st.data())
@search(300)
def test_no_point_within_the_stage_bounds_is_cut_off(
    case: tuple[LinearModel, list[tuple[int, ...]]], data: st.DataObject
) -> None:
    # Stages as the solver runs them: each objective is bounded by its best over what the
    # earlier bounds leave (or a little above: a looser row), then all are fixed by at once.
    m, points = case
    n = len(m.lb)
    settled: list[tuple[dict[int, float], float]] = []
    for _ in range(data.draw(st.integers(1, 3))):
        if not points:
            return
        objective = {v: float(data.draw(COEF)) for v in range(n)}
        best = min(_value(objective, x) for x in points) + data.draw(st.integers(0, 2))
        m.le(objective, best)
        settled.append((objective, best))
        points = [x for x in points if _value(objective, x) <= best + 1e-9]
    fix_by_reduced_costs(m, settled)
    for x in points:
        assert all(m.lb[v] <= x[v] <= m.ub[v] for v in range(n)), (x, m.lb, m.ub)


def test_a_variable_that_would_cost_more_than_the_gap_is_fixed() -> None:
    # minimise 3a + b + c with a + b + c >= 1: the optimum is 1 (b or c), and a, whose
    # reduced cost is 2, can take part in no assignment of cost <= 1: it is fixed at 0.
    m = LinearModel()
    a, b, c = m.var(), m.var(), m.var()
    m.ge({a: 1.0, b: 1.0, c: 1.0}, 1.0)
    objective = {a: 3.0, b: 1.0, c: 1.0}
    m.le(objective, 1.0)
    assert fix_by_reduced_costs(m, [(objective, 1.0)]) == 1
    assert (m.lb[a], m.ub[a]) == (0.0, 0.0)
    assert m.ub[b] == m.ub[c] == 1.0
    # with room for cost 3, a may be applied: nothing is fixed
    m2 = LinearModel()
    a, b, c = m2.var(), m2.var(), m2.var()
    m2.ge({a: 1.0, b: 1.0, c: 1.0}, 1.0)
    m2.le(objective, 3.0)
    assert fix_by_reduced_costs(m2, [(objective, 3.0)]) == 0
