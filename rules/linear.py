"""A small mixed-integer model builder over scipy's HiGHS ``milp``.

Rows are kept as sparse dictionaries so that the solver stages (progress, credits, GPA,
order) can add rows and re-solve the same model.

HiGHS runs with its presolve switched off. On our models presolve is where HiGHS went
wrong: the HiGHS in scipy 1.17.1 reported a cut-off point as optimal, and HiGHS 1.16
(highspy) reduced a model to nothing and then failed to undo it; both cases are kept in
tests/rules/test_highs_regressions.py. Without presolve these models are solved exactly, and
on the benchmarks faster than HiGHS 1.16 with it (docs/performance.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array

Expr = dict[int, float]
INF = float("inf")


class SolverFailure(RuntimeError):
    """HiGHS stopped without an optimal answer (time limit or numerical trouble)."""


@dataclass
class LinearModel:
    """Variables with bounds and integrality, and two-sided linear rows."""

    lb: list[float] = field(default_factory=list)
    ub: list[float] = field(default_factory=list)
    integer: list[int] = field(default_factory=list)
    rows: list[tuple[Expr, float, float]] = field(default_factory=list)
    time_limit: float = 60.0

    def var(self, lb: float = 0.0, ub: float = 1.0, *, integer: bool = True) -> int:
        """Add a variable and return its index."""
        self.lb.append(lb)
        self.ub.append(ub)
        self.integer.append(1 if integer else 0)
        return len(self.lb) - 1

    def fix(self, var: int, value: float) -> None:
        """Fix a variable's value."""
        self.lb[var] = value
        self.ub[var] = value

    def add(self, expr: Expr, lo: float = -INF, hi: float = INF) -> None:
        """Add the row ``lo <= expr <= hi`` (terms with a zero coefficient are dropped)."""
        clean = {k: v for k, v in expr.items() if v != 0.0}
        if not clean:
            if lo > 1e-9 or hi < -1e-9:
                # an empty row that cannot hold: keep it so the model is infeasible
                clean = {}
            else:
                return
        self.rows.append((clean, lo, hi))

    def le(self, expr: Expr, hi: float) -> None:
        """``expr <= hi``."""
        self.add(expr, -INF, hi)

    def ge(self, expr: Expr, lo: float) -> None:
        """``expr >= lo``."""
        self.add(expr, lo, INF)

    def solve(self, objective: Expr) -> np.ndarray | None:
        """Minimise ``objective``; ``None`` when infeasible."""
        n = len(self.lb)
        c = np.zeros(n)
        for k, v in objective.items():
            c[k] += v
        constraints = []
        if self.rows:
            data: list[float] = []
            cols: list[int] = []
            indptr = [0]
            lo = np.empty(len(self.rows))
            hi = np.empty(len(self.rows))
            for r, (expr, low, high) in enumerate(self.rows):
                for k, v in expr.items():
                    cols.append(k)
                    data.append(v)
                indptr.append(len(cols))
                lo[r] = low
                hi[r] = high
            matrix = csr_array((data, cols, indptr), shape=(len(self.rows), n))
            constraints.append(LinearConstraint(matrix, lo, hi))
        result = milp(
            c,
            integrality=np.array(self.integer),
            bounds=Bounds(np.array(self.lb), np.array(self.ub)),
            constraints=constraints,
            options={
                "disp": False,
                "presolve": False,  # see the module's docstring
                "mip_rel_gap": 0.0,
                "time_limit": self.time_limit,
            },
        )
        if result.status == 2:  # infeasible
            return None
        if result.status != 0 or result.x is None:
            raise SolverFailure(f"HiGHS: {result.message}")
        return np.asarray(result.x)


def add_expr(target: Expr, expr: Expr, scale: float = 1.0) -> Expr:
    """Add ``scale * expr`` into ``target`` in place and return it."""
    for k, v in expr.items():
        target[k] = target.get(k, 0.0) + scale * v
    return target
