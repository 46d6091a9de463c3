"""A small mixed-integer model builder over HiGHS (``highspy``).

Rows are kept as sparse dictionaries so that the solver stages (progress, credits, GPA,
order) can add rows and re-solve the same model.

Why ``highspy`` (HiGHS >= 1.16) and not ``scipy.optimize.milp``: the HiGHS bundled with
scipy 1.17.1 reported a cut-off point as optimal on one of our models (its MIP presolve), and
with its presolve switched off it prints debugging lines on C's stdout, which would corrupt
the CLI's JSON. HiGHS 1.16 solves that model right; on another model its presolve fails to
undo its own reductions, so such a solve is repeated without presolve. Both models are kept in
tests/rules/test_highs_regressions.py.
"""

from __future__ import annotations

import ctypes
import os
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cached_property

import highspy
import numpy as np

Expr = dict[int, float]
INF = float("inf")


class SolverFailure(RuntimeError):
    """HiGHS stopped without an optimal answer (time limit or numerical trouble)."""


#: Seconds one decision may spend before it gives up (``None``: only each solve's own
#: ``time_limit``); set by :func:`solver_budget`, read when a decision starts.
_budget: ContextVar[float | None] = ContextVar("stackwise_solver_budget", default=None)
#: When the decision under way runs out of its budget (``time.monotonic()``), or ``None``.
_deadline: ContextVar[float | None] = ContextVar("stackwise_solver_deadline", default=None)


@contextmanager
def solver_budget(seconds: float | None) -> Iterator[None]:
    """Give each decision started inside at most ``seconds`` (wall time, from its start).

    A service sets this per request, so that a huge program cannot hold a worker for
    minutes: once a decision's time is spent, its next solve stops at once and raises
    :class:`SolverFailure` naming the budget. The budget is checked by the solver only, so
    a decision can overrun it by the Python work between two solves (milliseconds).
    """
    if seconds is not None and not seconds > 0:
        raise ValueError(f"a solver budget must be more than 0 seconds, not {seconds!r}")
    token = _budget.set(seconds)
    try:
        yield
    finally:
        _budget.reset(token)


@contextmanager
def decision_clock() -> Iterator[None]:
    """Start the budget's clock for one decision (inside one already running: keep it)."""
    budget = _budget.get()
    if budget is None or _deadline.get() is not None:
        yield
        return
    token = _deadline.set(time.monotonic() + budget)
    try:
        yield
    finally:
        _deadline.reset(token)


def _time_left(limit: float) -> float:
    """``limit``, or less when the decision under way has less of its budget left."""
    deadline = _deadline.get()
    if deadline is None:
        return limit
    return min(limit, max(0.0, deadline - time.monotonic()))


@dataclass
class LinearModel:
    """Variables with bounds and integrality, and two-sided linear rows."""

    lb: list[float] = field(default_factory=list)
    ub: list[float] = field(default_factory=list)
    integer: list[int] = field(default_factory=list)
    rows: list[tuple[Expr, float, float]] = field(default_factory=list)
    time_limit: float = 60.0
    # the rows as HiGHS's arrays, as of the last solve (see _matrix)
    _rows: _Rows = field(default_factory=lambda: _no_rows(), init=False, repr=False, compare=False)

    def var(self, lb: float = 0.0, ub: float = 1.0, *, integer: bool = True) -> int:
        """Add a variable and return its index."""
        self.lb.append(lb)
        self.ub.append(ub)
        self.integer.append(1 if integer else 0)
        return len(self.lb) - 1

    def copy(self) -> LinearModel:
        """A model to add rows to (or fix variables of) without changing this one."""
        twin = LinearModel(
            list(self.lb), list(self.ub), list(self.integer), list(self.rows), self.time_limit
        )
        twin._rows = self._rows  # immutable: shared until one of them adds rows
        return twin

    def _matrix(self) -> _Rows:
        """The rows as HiGHS's arrays, built on from the last solve's where rows were only
        added since (the stages re-solve one model, adding a row or two each time)."""
        cached = self._rows
        count = cached.count
        if count > len(self.rows) or (count and self.rows[count - 1] is not cached.last):
            cached = _NO_ROWS  # rows were removed (or replaced) since: start over
        if cached.count < len(self.rows):
            cached = cached.extended(self.rows[cached.count :])
        self._rows = cached
        return cached

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

    def solve_stage(self, objective: Expr) -> np.ndarray:
        """Minimise ``objective`` over a model the caller knows to be feasible.

        A solver stage only adds rows its previous optimum meets, so an "infeasible" from
        presolve is not believed: the model is solved again without presolve, and only if
        it is still infeasible does this raise :class:`SolverFailure`.
        """
        values = self.solve(objective, feasible=True)
        if values is None:
            raise SolverFailure(
                "HiGHS: a stage whose previous optimum is feasible came back infeasible"
            )
        return values

    def solve(self, objective: Expr, *, feasible: bool = False) -> np.ndarray | None:
        """Minimise ``objective``; ``None`` when infeasible.

        ``feasible``: see :meth:`solve_stage`.
        """
        passed = self._passed(objective, integral=True)
        if passed.settled:
            return passed.lb if passed.holds else None
        highs = passed.highs
        status = _run(highs)
        doubtful = feasible and status == highspy.HighsModelStatus.kInfeasible
        if (status not in _ANSWERS and status != _TIME_LIMIT) or doubtful:
            # HiGHS 1.16's presolve can reduce a model to nothing and then fail to undo it
            # ("Solve error": the postsolved point breaks a row); solve it again without it.
            highs.setOptionValue("presolve", "off")
            try:
                status = _run(highs)
            finally:
                highs.setOptionValue("presolve", "choose")
        if status == highspy.HighsModelStatus.kInfeasible:
            return None
        if status != highspy.HighsModelStatus.kOptimal:
            raise SolverFailure(_failure(highs, status))
        return passed.full(np.array(highs.getSolution().col_value))

    def relaxations(self, objectives: list[Expr]) -> list[Relaxation | None]:
        """The optimum of the LP relaxation (integrality dropped) for each objective, with
        its reduced costs (``None`` where HiGHS does not report one optimal). One model
        is passed; each objective after the first starts from the last one's basis."""
        out: list[Relaxation | None] = []
        if not objectives:
            return out
        passed = self._passed(objectives[0], integral=False)
        if passed.settled:  # one point, the same for every objective: no LP to solve
            point, reduced = passed.lb, np.zeros(len(passed.lb))
            return [
                Relaxation(float(_costs(len(point), objective) @ point), point, reduced)
                if passed.holds
                else None
                for objective in objectives
            ]
        highs = passed.highs
        for number, objective in enumerate(objectives):
            if number:
                cost = passed.costs(objective)
                highs.changeColsCost(len(cost), np.arange(len(cost), dtype=np.int32), cost)
            if _run(highs) != highspy.HighsModelStatus.kOptimal:
                out.append(None)
                continue
            solution = highs.getSolution()
            out.append(
                Relaxation(
                    float(highs.getInfo().objective_function_value),
                    passed.full(np.array(solution.col_value)),
                    # a fixed column's reduced cost is not asked for (it cannot move): 0
                    passed.full(np.array(solution.col_dual), fixed_value=0.0),
                )
            )
        return out

    def _passed(self, objective: Expr, *, integral: bool) -> _Passed:
        """This thread's HiGHS instance holding the model with ``objective`` to minimise.

        Fixed columns are substituted into the rows, and the rows that then cannot be broken
        (by any values within the bounds) are left out: the later stages fix most columns
        (the typical program's last pair block holds 56 of 200 free), and HiGHS's presolve,
        which would find the same, costs in proportion to what it is given. That is exact:
        the columns left out keep their one value, and a row left out holds at every point.
        """
        n = len(self.lb)
        cost = _costs(n, objective)
        rows = self._matrix()
        lb = np.array(self.lb, dtype=float)
        ub = np.array(self.ub, dtype=float)
        integer = np.array(self.integer if integral else [0] * n, dtype=np.int32)
        highs = _highs()
        highs.setOptionValue("time_limit", _time_left(float(self.time_limit)))
        fixed = lb == ub
        kept: _Rows | _Reduced = rows
        free: np.ndarray | None = None
        offset = 0.0
        if fixed.any():
            kept = rows.without(fixed, lb, ub)
            free = np.flatnonzero(~fixed)
            offset = float(cost[fixed] @ lb[fixed])
        held = slice(None) if free is None else free
        # The array form of passModel: numpy arrays go to HiGHS as they are, where setting
        # a HighsLp's fields converted each element (a third of a solve's Python time).
        highs.passModel(
            len(lb[held]),
            kept.count,
            len(kept.cols),
            _ROWWISE,
            _MINIMIZE,
            offset,
            cost[held],
            lb[held],
            ub[held],
            kept.lower,
            kept.upper,
            kept.starts,
            kept.cols,
            kept.data,
            integer[held],
        )
        return _Passed(highs, free, lb, kept.count == 0)


@dataclass(frozen=True)
class _Passed:
    """A model as passed to HiGHS: its instance, and which of the model's columns it holds."""

    highs: highspy.Highs
    free: np.ndarray | None  # the columns HiGHS holds, in order (``None``: every column)
    lb: np.ndarray  # every column's lower bound (a fixed column's value)
    holds: bool  # whether every row holds at every point within the bounds

    @property
    def settled(self) -> bool:
        """Whether every column is fixed: the model's one point is ``lb``, feasible where
        it :attr:`holds` (HiGHS would only say "Empty")."""
        return self.free is not None and len(self.free) == 0

    def full(self, values: np.ndarray, fixed_value: float | None = None) -> np.ndarray:
        """HiGHS's ``values`` for its columns as a value for every column of the model
        (the fixed ones at their value, or at ``fixed_value``)."""
        if self.free is None:
            return values
        out = self.lb.copy() if fixed_value is None else np.full(len(self.lb), fixed_value)
        out[self.free] = values
        return out

    def costs(self, objective: Expr) -> np.ndarray:
        """``objective``'s costs of the columns HiGHS holds."""
        cost = _costs(len(self.lb), objective)
        return cost if self.free is None else cost[self.free]


@dataclass(frozen=True)
class Relaxation:
    """An optimal point of a model's LP relaxation."""

    value: float  # the objective there
    x: np.ndarray  # the columns' values
    reduced: np.ndarray  # the columns' reduced costs (>= 0 at a lower bound, <= 0 at an upper)


@dataclass(frozen=True)
class _Rows:
    """The first ``count`` rows of a model as HiGHS's row-wise arrays (never changed once
    made: a model's copies share them, and adding rows makes new ones)."""

    count: int
    last: tuple[Expr, float, float] | None  # the row at count - 1, to see it is still there
    starts: np.ndarray
    cols: np.ndarray
    data: np.ndarray
    lower: np.ndarray
    upper: np.ndarray

    @cached_property
    def row_of(self) -> np.ndarray:
        """Each entry's row."""
        return np.repeat(np.arange(self.count), np.diff(self.starts))

    def without(self, fixed: np.ndarray, lb: np.ndarray, ub: np.ndarray) -> _Reduced:
        """These rows over the columns not ``fixed`` (whose values are ``lb``), less those
        that every point within the bounds meets."""
        count, row_of = self.count, self.row_of
        cols, data = self.cols, self.data
        at_fixed = fixed[cols]
        at_lb, at_ub = data * lb[cols], data * ub[cols]  # equal at a fixed column
        const = np.bincount(row_of[at_fixed], weights=at_lb[at_fixed], minlength=count)
        lower, upper = self.lower - const, self.upper - const
        free = ~at_fixed
        # the least and the most each row can come to within the bounds, less ``const``
        low = np.bincount(row_of, weights=np.minimum(at_lb, at_ub), minlength=count) - const
        high = np.bincount(row_of, weights=np.maximum(at_lb, at_ub), minlength=count) - const
        # 1e-9: far inside HiGHS's feasibility tolerance (1e-6), which a row kept would get
        keep = (low < lower - 1e-9) | (high > upper + 1e-9)
        entries = free & keep[row_of]
        index = np.cumsum(~fixed, dtype=np.int32) - 1  # a free column's place among them
        starts = np.zeros(int(keep.sum()) + 1, dtype=np.int32)
        np.cumsum(np.bincount(row_of[entries], minlength=count)[keep], out=starts[1:])
        return _Reduced(
            int(keep.sum()), starts, index[cols[entries]], data[entries], lower[keep], upper[keep]
        )

    def extended(self, rows: list[tuple[Expr, float, float]]) -> _Rows:
        """These arrays with ``rows`` after them."""
        data: list[float] = []
        cols: list[int] = []
        offset = int(self.starts[-1])
        starts: list[int] = []
        for expr, _, _ in rows:
            cols.extend(expr)
            data.extend(expr.values())
            starts.append(offset + len(cols))
        return _Rows(
            self.count + len(rows),
            rows[-1] if rows else self.last,
            np.concatenate([self.starts, np.array(starts, dtype=np.int32)]),
            np.concatenate([self.cols, np.array(cols, dtype=np.int32)]),
            np.concatenate([self.data, np.array(data, dtype=float)]),
            np.concatenate([self.lower, np.array([low for _, low, _ in rows], dtype=float)]),
            np.concatenate([self.upper, np.array([high for _, _, high in rows], dtype=float)]),
        )


@dataclass(frozen=True)
class _Reduced:
    """Rows in HiGHS's row-wise arrays, over the free columns only (:meth:`_Rows.without`)."""

    count: int
    starts: np.ndarray
    cols: np.ndarray
    data: np.ndarray
    lower: np.ndarray
    upper: np.ndarray


_NO_ROWS = _Rows(
    0,
    None,
    np.zeros(1, dtype=np.int32),
    np.zeros(0, dtype=np.int32),
    np.zeros(0),
    np.zeros(0),
    np.zeros(0),
)


def _costs(n: int, objective: Expr) -> np.ndarray:
    """``objective`` as a dense array of ``n`` costs."""
    cost = np.zeros(n)
    cost[np.fromiter(objective, dtype=np.int64, count=len(objective))] = np.fromiter(
        objective.values(), dtype=float, count=len(objective)
    )
    return cost


def _no_rows() -> _Rows:
    return _NO_ROWS


def _failure(highs: highspy.Highs, status: highspy.HighsModelStatus) -> str:
    """Why a solve gave no answer, in words (naming the decision's budget if it ran out)."""
    budget, deadline = _budget.get(), _deadline.get()
    ran_out = deadline is not None and time.monotonic() >= deadline
    if status == _TIME_LIMIT and budget is not None and ran_out:
        return f"its solver budget of {budget:g} s ran out"
    return f"HiGHS: {highs.modelStatusToString(status)}"


def _run(highs: highspy.Highs) -> highspy.HighsModelStatus:
    highs.run()
    return highs.getModelStatus()


_ANSWERS = (highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kInfeasible)
# out of time: solving again (without presolve) would only take as long again
_TIME_LIMIT = highspy.HighsModelStatus.kTimeLimit
# HiGHS's presolve_rule_off bits (its presolve log lists them)
_ENUMERATION_PRESOLVE = 1 << 16  # "Enumeration"
_DUAL_FIXING_PROBING = 1 << 20  # "Dual-fixing probing"
_ROWWISE = int(highspy.MatrixFormat.kRowwise)
_MINIMIZE = int(highspy.ObjSense.kMinimize)
_local = threading.local()


def _highs() -> highspy.Highs:
    """This thread's HiGHS instance, quiet and set for exact answers (a zero MIP gap)."""
    highs: highspy.Highs | None = getattr(_local, "highs", None)
    if highs is None:
        # the banner went out (into /dev/null) with the import's instance: no redirect here
        highs = _local.highs = _configured(highspy.Highs())  # type: ignore[no-untyped-call]
    else:
        highs.clearModel()
    return highs


def _configured(highs: highspy.Highs) -> highspy.Highs:
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("mip_rel_gap", 0.0)
    # one thread: the same answer on every run (and no fight with the server's workers)
    highs.setOptionValue("threads", 1)
    # The feasibility-jump heuristic costs a fifth of every stage on our small models and
    # never finds what the root LP and its cuts do not (bench/bench_evaluate.py: typical
    # program 118 -> 91 ms of HiGHS time, adversarial 252 -> 207 ms, the same optima).
    highs.setOptionValue("mip_heuristic_run_feasibility_jump", False)
    # HiGHS 1.16's enumeration presolve cut the best point off a pair-order stage and the
    # solve reported a worse one optimal; without that one rule the stages measured no
    # slower (76 captured stages: 1,022 vs 1,096 ms).
    # Its dual-fixing probing, on our models, costs more than it saves: with it off the
    # demo degree's six decisions took 11 % fewer instructions, the typical program 6 %,
    # the 14-program set 2 % (callgrind; the same decisions). Presolve's other rules pay
    # or make no difference, one by one (docs/performance.md, session 10).
    highs.setOptionValue("presolve_rule_off", _ENUMERATION_PRESOLVE | _DUAL_FIXING_PROBING)
    # The rows carry no margins of their own (a GPA floor is `>= 0`, a limit `<= amount`):
    # a margin inside HiGHS's feasibility tolerance (1e-6) made its probing fix a target's
    # "satisfied" to 0 where an assignment met it (tests/rules/test_highs_regressions.py).
    return highs


def _quietly_construct() -> highspy.Highs:
    """The process's first ``Highs``, which prints a banner on C stdout: swallow it.

    A CLI whose stdout is JSON (``stackwise evaluate``) must not carry the banner.
    """
    if sys.stdout is not None:
        sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no stdout at all (a daemon): nothing to protect
        return highspy.Highs()  # type: ignore[no-untyped-call]
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        highs = highspy.Highs()  # type: ignore[no-untyped-call]
        ctypes.CDLL(None).fflush(None)  # the banner may sit in C's buffer: flush it here
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)
    return highs


#: Below this, an objective's whole coefficients are safe for HiGHS to prune by: binaries
#: come back up to ~1e-11 off 0 or 1 (seen over the demo's plans and the bench programs),
#: which times a coefficient must stay under its feasibility tolerance (1e-6), or its
#: pruning by an integral objective could skip an answer one unit better.
WHOLE_LIMIT = 2.0**17


def value_at(values: np.ndarray, expr: Expr) -> float:
    """``expr`` at the solution ``values``."""
    return float(sum(values[k] * v for k, v in expr.items()))


def whole(expr: Expr) -> Expr | None:
    """``expr`` times the first of 1, 10 and 100 that makes every coefficient whole (money
    in cents, grade points in tenths), or ``None``."""
    for scale in (1.0, 10.0, 100.0):
        out = {k: float(round(v * scale)) for k, v in expr.items()}
        if all(abs(out[k] - v * scale) < 1e-9 for k, v in expr.items()):
            return out
    return None


def add_expr(target: Expr, expr: Expr, scale: float = 1.0) -> Expr:
    """Add ``scale * expr`` into ``target`` in place and return it."""
    for k, v in expr.items():
        target[k] = target.get(k, 0.0) + scale * v
    return target


# The banner is printed once per process, by the first instance: have it printed (into
# /dev/null) while this module is imported, in the importing thread, not later in a server's
# worker thread.
_local.highs = _configured(_quietly_construct())
