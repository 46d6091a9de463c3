"""Suite-wide set-up: the property tests' budget (tests/properties.py), shared fixtures."""

from __future__ import annotations

from typing import Any

import pytest

import tests.properties  # noqa: F401  (registers and loads the hypothesis profile)
from rules.linear import Expr, LinearModel


@pytest.fixture
def starved_solver(monkeypatch: pytest.MonkeyPatch) -> None:
    """HiGHS with no time at all: every MILP stage stops at "Time limit reached", as a huge
    program's would at the time limit, so what the adapters make of it can be seen."""
    passed = LinearModel._passed

    def starved(self: LinearModel, objective: Expr, *, integral: bool) -> Any:
        model = passed(self, objective, integral=integral)
        model.highs.setOptionValue("time_limit", 0.0)
        return model

    monkeypatch.setattr(LinearModel, "_passed", starved)
