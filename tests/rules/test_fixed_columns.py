"""What HiGHS is given (rules.linear): fixed columns substituted into the rows and the rows
that then always hold left out, with every answer still the model's own."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from rules.linear import LinearModel
from tests.properties import search

COEF = st.integers(-3, 3)


@st.composite
def fixed_models(draw: st.DrawFn) -> tuple[LinearModel, list[tuple[int, ...]], dict[int, float]]:
    """A small 0/1 model with some columns fixed, every point that meets its rows and
    fixings, and an objective."""
    n = draw(st.integers(1, 6))
    m = LinearModel()
    for _ in range(n):
        m.var()
    for _ in range(draw(st.integers(0, 5))):
        expr = {v: float(draw(COEF)) for v in range(n)}
        low = float(draw(st.integers(-4, 3)))
        m.add(expr, low, low + float(draw(st.sampled_from([0, 1, 2, 9]))))
    for v in draw(st.sets(st.integers(0, n - 1))):
        m.fix(v, float(draw(st.integers(0, 1))))
    points = [
        x
        for x in itertools.product((0, 1), repeat=n)
        if all(m.lb[k] <= x[k] <= m.ub[k] for k in range(n))
        and all(lo - 1e-9 <= _value(e, x) <= hi + 1e-9 for e, lo, hi in m.rows)
    ]
    return m, points, {v: float(draw(COEF)) for v in range(n)}


def _value(objective: dict[int, float], x: tuple[int, ...] | np.ndarray) -> float:
    return float(sum(c * x[k] for k, c in objective.items()))


@given(fixed_models())
@search(300)
def test_the_optimum_with_fixed_columns_is_the_models(
    case: tuple[LinearModel, list[tuple[int, ...]], dict[int, float]],
) -> None:
    m, points, objective = case
    values = m.solve(objective)
    if not points:
        assert values is None
        return
    assert values is not None and len(values) == len(m.lb)
    assert all(m.lb[k] - 1e-9 <= values[k] <= m.ub[k] + 1e-9 for k in range(len(m.lb)))
    assert all(lo - 1e-6 <= _value(e, values) <= hi + 1e-6 for e, lo, hi in m.rows)
    assert abs(_value(objective, values) - min(_value(objective, x) for x in points)) < 1e-6


@given(fixed_models())
@search(200)
def test_relaxations_report_every_column(
    case: tuple[LinearModel, list[tuple[int, ...]], dict[int, float]],
) -> None:
    m, points, objective = case
    (lp,) = m.relaxations([objective])
    if lp is None:
        return
    fixed = [k for k in range(len(m.lb)) if m.lb[k] == m.ub[k]]
    assert len(lp.x) == len(lp.reduced) == len(m.lb)
    assert all(lp.x[k] == m.lb[k] and lp.reduced[k] == 0.0 for k in fixed)
    # the relaxation's optimum is no worse than the best integer point's
    if points:
        assert lp.value <= min(_value(objective, x) for x in points) + 1e-6
    assert abs(lp.value - _value(objective, lp.x)) < 1e-6


def test_a_model_whose_every_column_is_fixed_needs_no_solve() -> None:
    m = LinearModel()
    a, b = m.var(), m.var(integer=False)
    m.ge({b: 1.0}, 1.0)
    m.fix(a, 1.0)
    m.fix(b, 1.0)
    values = m.solve({a: 1.0})
    assert values is not None and values.tolist() == [1.0, 1.0]
    (lp,) = m.relaxations([{a: 2.0, b: 1.0}])
    assert lp is not None and lp.value == 3.0 and lp.reduced.tolist() == [0.0, 0.0]
    m.le({a: 1.0, b: 1.0}, 1.0)  # 1 + 1 > 1: no point is left
    assert m.solve({a: 1.0}) is None
    assert m.relaxations([{a: 1.0}]) == [None]


def test_rows_over_fixed_columns_shift_and_those_that_always_hold_go() -> None:
    m = LinearModel()
    x, y, z = m.var(), m.var(), m.var()
    m.le({x: 1.0, y: 1.0}, 1.0)  # x fixed at 1: y <= 0, kept
    m.le({x: 1.0, z: 1.0}, 2.0)  # at most 2 anyway: left out
    m.ge({y: 2.0, z: 1.0, x: -1.0}, 0.0)  # 2y + z >= 1 once x is 1: kept
    m.fix(x, 1.0)
    rows = m._matrix()
    fixed = np.array(m.lb) == np.array(m.ub)
    kept = rows.without(fixed, np.array(m.lb), np.array(m.ub))
    # columns y, z are 0 and 1 now; the first row is y <= 0, the third 2y + z >= 1
    assert kept.count == 2
    assert kept.cols.tolist() == [0, 0, 1] and kept.data.tolist() == [1.0, 2.0, 1.0]
    assert kept.starts.tolist() == [0, 1, 3]
    assert kept.lower.tolist() == [-np.inf, 1.0] and kept.upper.tolist() == [0.0, np.inf]
    values = m.solve({y: -1.0, z: 1.0})
    assert values is not None and values.tolist() == [1.0, 0.0, 1.0]
