"""A decision's solver budget (``rules.linear.solver_budget``): spent, it stops the solver."""

from __future__ import annotations

import time

import highspy
import pytest

import rules.linear
from rules.linear import LinearModel, SolverFailure, decision_clock, solver_budget


def _knapsack() -> LinearModel:
    """Pick items worth the most under a weight cap: one MILP solve."""
    m = LinearModel()
    picks = [m.var() for _ in range(6)]
    m.le({x: float(w) for x, w in zip(picks, [3, 4, 5, 6, 7, 8], strict=True)}, 15.0)
    return m


def _best(m: LinearModel) -> float:
    values = m.solve({x: -float(v) for x, v in enumerate([4, 5, 7, 8, 9, 11])})
    assert values is not None
    return round(float(sum(values[x] * v for x, v in enumerate([4, 5, 7, 8, 9, 11]))), 6)


def test_a_spent_budget_stops_the_solve_and_names_the_budget() -> None:
    with solver_budget(1e-9), decision_clock(), pytest.raises(SolverFailure) as failure:
        _best(_knapsack())
    assert str(failure.value) == "its solver budget of 1e-09 s ran out"


def test_a_budget_with_time_left_changes_no_answer() -> None:
    plain = _best(_knapsack())
    with solver_budget(60.0), decision_clock():
        assert _best(_knapsack()) == plain == 20.0


def test_the_clock_starts_with_a_decision_not_with_the_budget() -> None:
    with solver_budget(0.01):
        time.sleep(0.02)
        assert _best(_knapsack()) == 20.0  # no decision under way: no deadline
        with decision_clock():
            assert _best(_knapsack()) == 20.0


def test_a_decision_inside_a_decision_keeps_the_outer_clock() -> None:
    with solver_budget(0.01), decision_clock():
        time.sleep(0.02)
        with decision_clock(), pytest.raises(SolverFailure, match=r"budget of 0\.01 s"):
            _best(_knapsack())


def test_no_budget_is_left_behind() -> None:
    with solver_budget(1e-9), decision_clock():
        pass
    with decision_clock():
        assert _best(_knapsack()) == 20.0


@pytest.mark.parametrize("seconds", [0.0, -1.0, float("nan")])
def test_a_budget_must_be_more_than_nothing(seconds: float) -> None:
    with pytest.raises(ValueError, match="more than 0 seconds"), solver_budget(seconds):
        pass


def test_out_of_time_is_not_solved_again(monkeypatch: pytest.MonkeyPatch) -> None:
    # A solve that fails otherwise is repeated without presolve; one out of time would
    # only take as long again.
    runs: list[highspy.HighsModelStatus] = []
    real = rules.linear._run

    def counted(highs: highspy.Highs) -> highspy.HighsModelStatus:
        runs.append(real(highs))
        return runs[-1]

    monkeypatch.setattr(rules.linear, "_run", counted)
    with solver_budget(1e-9), decision_clock(), pytest.raises(SolverFailure):
        _best(_knapsack())
    assert runs == [highspy.HighsModelStatus.kTimeLimit]
