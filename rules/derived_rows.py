"""The rows the MILP needs for what lies inside derived credentials, and the scope indicators.

A derived credential (a stacked credential met inside the assignment) brings credits, grade
points and a date that are themselves sums and maxima over what is applied inside it, and
the contract's qualifiers read them (``min_grade`` on its GPA, ``recent`` and ``window`` on
its date, ``min_gpa`` on its points; none of them while work inside is in progress).
:class:`DerivedRows` builds those as linear expressions and variables on demand, once per
credential; :mod:`rules.formulation` builds the rest of the model on top of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from rules.linear import Expr, LinearModel, add_expr
from rules.problem import Problem
from rules.score import Thing


@dataclass
class Pair:
    """The 0/1 variable ``var``: ``thing`` (an item index or a derived id) applied at ``leaf``."""

    leaf: int
    thing: Thing
    var: int


class DerivedRows:
    """Scope indicators and the rows for derived credentials' credits, grades and dates."""

    def __init__(self, problem: Problem) -> None:
        self.pb = problem
        self.m = LinearModel()
        self.by_leaf: dict[int, list[Pair]] = {}
        self.indicators: dict[tuple[tuple[int, ...], Thing], Expr] = {}
        self.scopes: dict[tuple[int, ...], dict[Thing, tuple[list[int], bool]]] = {}
        self.max_credits = (
            sum(max(item.credits, 0.0) for item in problem.items)
            + sum(d.credits or 0.0 for d in problem.derivations.values())
            + 1.0
        )
        self.max_points = problem.max_points()
        # Days count from just before the earliest date, not from a fixed epoch: the big-M
        # rows on dates then carry coefficients of the span of the record (thousands), not
        # of the calendar (~46,000), keeping them well inside HiGHS's tolerances.
        self.day0 = min([i.earned_on for i in problem.items] + [problem.as_of]) - timedelta(1)
        self.big_day = max(
            self.day(d) for d in [problem.as_of, *(i.earned_on for i in problem.items)]
        )
        self.big_day += 1.0
        self.k: dict[str, Expr] = {}
        self.pw: dict[str, tuple[Expr, Expr]] = {}
        self.t: dict[str, int] = {}
        self.m_vars: dict[str, list[int]] = {}
        self.ip: dict[str, Expr] = {}
        self.scope_leaves: dict[str, list[int]] = {}

    def day(self, d: date) -> float:
        """A date as days from the model's origin."""
        return float((d - self.day0).days)

    # -- scope indicators -------------------------------------------------------------------
    def indicator(self, leaves: list[int], thing: Thing) -> Expr:
        """An expression worth 1 when ``thing`` is applied at any of ``leaves``, else 0."""
        key = (tuple(leaves), thing)
        cached = self.indicators.get(key)
        if cached is not None:
            return cached
        vars_, shared = self._scope(key[0]).get(thing, ([], False))
        if len(vars_) <= 1 or not shared:
            expr = {v: 1.0 for v in vars_}
        else:
            u = self.m.var()
            for v in vars_:
                self.m.le({v: 1.0, u: -1.0}, 0.0)
            self.m.le({u: 1.0, **{v: -1.0 for v in vars_}}, 0.0)
            expr = {u: 1.0}
        self.indicators[key] = expr
        return expr

    def _scope(self, leaves: tuple[int, ...]) -> dict[Thing, tuple[list[int], bool]]:
        """Each thing's pair variables at ``leaves``, and whether one of them shares.

        Built in one pass per scope: the root's scope is asked about every thing, and a
        scan of every pair for each thing was a tenth of a typical program's Python time.
        """
        found = self.scopes.get(leaves)
        if found is None:
            found = self.scopes[leaves] = {}
            for leaf in leaves:
                share = self.pb.nodes[leaf].share
                for pair in self.by_leaf.get(leaf, []):
                    vars_, shared = found.get(pair.thing, ([], False))
                    vars_.append(pair.var)
                    found[pair.thing] = (vars_, shared or share)
        return found

    def things_in(self, leaves: list[int]) -> list[Thing]:
        seen: dict[Thing, None] = {}
        for leaf in leaves:
            for pair in self.by_leaf.get(leaf, []):
                seen[pair.thing] = None
        return list(seen)

    # -- credits of derived credentials -----------------------------------------------------
    def contents_credits(self, cred: str) -> Expr:
        """Credits of what is applied inside ``cred``'s own rule (a linear expression)."""
        if cred in self.k:
            return self.k[cred]
        leaves = self.scope_leaves.get(cred, [])
        expr: Expr = {}
        for thing in self.things_in(leaves):
            add_expr(expr, self.thing_credits(self.indicator(leaves, thing), thing))
        self.k[cred] = expr
        return expr

    def thing_credits(self, on: Expr, thing: Thing) -> Expr:
        """Credits ``thing`` brings, where ``on`` is 1 when it is applied."""
        if isinstance(thing, int):
            return {k: v * self.pb.items[thing].credits for k, v in on.items()}
        derivation = self.pb.derivations[thing]
        if derivation.credits is not None:
            return {k: v * derivation.credits for k, v in on.items()}
        return self.product(on, self.contents_credits(thing), 0.0, self.max_credits)

    def product(self, on: Expr, value: Expr, lo: float, hi: float) -> Expr:
        """A new variable equal to ``value`` when ``on`` is 1 and 0 when it is 0."""
        v = self.m.var(min(lo, 0.0), max(hi, 0.0), integer=False)
        # v <= value - lo (1 - on);  v >= value - hi (1 - on);  lo*on <= v <= hi*on
        self.m.le(
            add_expr(
                {v: 1.0, **{k: -c for k, c in value.items()}}, {k: -lo * c for k, c in on.items()}
            ),
            -lo,
        )
        self.m.ge(
            add_expr(
                {v: 1.0, **{k: -c for k, c in value.items()}}, {k: -hi * c for k, c in on.items()}
            ),
            -hi,
        )
        self.m.le(add_expr({v: 1.0}, {k: -hi * c for k, c in on.items()}), 0.0)
        self.m.ge(add_expr({v: 1.0}, {k: -lo * c for k, c in on.items()}), 0.0)
        return {v: 1.0}

    def unless(self, on: Expr, cred: str) -> Expr:
        """``on``, except 0 when the derived ``cred`` is in progress (the GPA then skips it)."""
        ip = self.in_progress(cred)
        if not ip:
            return on
        u = self.m.var()
        # u <= on;  u <= 1 - ip;  u >= on - ip
        self.m.le(add_expr({u: 1.0}, on, -1.0), 0.0)
        self.m.le(add_expr({u: 1.0}, ip), 1.0)
        self.m.ge(add_expr(add_expr({u: 1.0}, on, -1.0), ip), 0.0)
        return {u: 1.0}

    # -- grades of derived credentials ------------------------------------------------------
    def points_weight(self, cred: str) -> tuple[Expr, Expr]:
        """(sum of credits * points, sum of credits) over graded institution items inside."""
        if cred in self.pw:
            return self.pw[cred]
        leaves = self.scope_leaves.get(cred, [])
        pts: Expr = {}
        wgt: Expr = {}
        for thing in self.things_in(leaves):
            on = self.indicator(leaves, thing)
            if isinstance(thing, int):
                item = self.pb.items[thing]
                if item.in_progress:
                    add_expr(pts, on, self.max_points * item.credits)
                    add_expr(wgt, on, item.credits)
                elif item.points is not None and item.source == "institution":
                    add_expr(pts, on, item.points * item.credits)
                    add_expr(wgt, on, item.credits)
            else:
                inner_p, inner_w = self.points_weight(thing)
                cap = self.max_credits * self.max_points
                add_expr(pts, self.product(on, inner_p, 0.0, cap))
                add_expr(wgt, self.product(on, inner_w, 0.0, self.max_credits))
        self.pw[cred] = (pts, wgt)
        return pts, wgt

    # -- dates of derived credentials -------------------------------------------------------
    def latest(self, cred: str) -> int:
        """A variable equal to the latest date inside ``cred`` (when a date is asked for)."""
        if cred in self.t:
            return self.t[cred]
        big = self.big_day
        t = self.m.var(0.0, big, integer=False)
        self.t[cred] = t
        leaves = self.scope_leaves.get(cred, [])
        picks: list[int] = []
        dated: list[tuple[Expr, float]] = []  # (expr, bound): expr <= bound + picked
        for thing in self.things_in(leaves):
            on = self.indicator(leaves, thing)
            pick = self.m.var()
            self.m.le(add_expr({pick: 1.0}, on, -1.0), 0.0)
            picks.append(pick)
            if isinstance(thing, int):
                item = self.pb.items[thing]
                if item.in_progress:
                    self.m.fix(pick, 0.0)  # no date until it is earned
                    continue
                day = self.day(item.earned_on)
                # t >= day when applied; t <= day when picked as the latest
                self.m.ge(add_expr({t: 1.0}, on, -big), day - big)
                self.m.le({t: 1.0, pick: big}, day + big)
                dated.append((dict(on), 0.0))
            else:
                inner = self.latest(thing)
                self.needs_date(pick, thing)
                self.m.ge(add_expr({t: 1.0, inner: -1.0}, on, -big), -big)
                self.m.le({t: 1.0, inner: -1.0, pick: big}, big)
                # applied, and dated itself: then so is this credential
                dated.append((add_expr(dict(on), self.has_date(thing)), 1.0))
        self.m.le({p: 1.0 for p in picks}, 1.0)
        self.m_vars[cred] = picks
        # Something dated applied inside means a latest date is picked, so that `t` is the
        # derived credential's date; with nothing dated inside it has none (contract: the
        # date of the latest item inside), and `t` is left free.
        for expr, bound in dated:
            self.m.le(add_expr(expr, {p: -1.0 for p in picks}), bound)
        return t

    def has_date(self, cred: str) -> Expr:
        """1 when something dated is applied inside ``cred`` (so it has a date), else 0."""
        self.latest(cred)
        return {p: 1.0 for p in self.m_vars[cred]}

    def in_progress(self, cred: str) -> Expr:
        """At most 1 when something in progress is applied inside ``cred``, else 0.

        It only ever relaxes a row (the contract assumes in-progress work meets every
        qualifier), so an upper bound is all it needs: the solver sets it where that helps.
        """
        if cred in self.ip:
            return self.ip[cred]
        leaves = self.scope_leaves.get(cred, [])
        sources: Expr = {}
        for thing in self.things_in(leaves):
            on = self.indicator(leaves, thing)
            if isinstance(thing, int):
                if self.pb.items[thing].in_progress:
                    add_expr(sources, on)
            else:
                inner = self.in_progress(thing)
                if inner:
                    both = self.m.var()  # applied here, and in progress itself
                    self.m.le(add_expr({both: 1.0}, on, -1.0), 0.0)
                    self.m.le(add_expr({both: 1.0}, inner, -1.0), 0.0)
                    sources[both] = 1.0
        expr: Expr = {}
        if sources:
            ip = self.m.var()
            self.m.le(add_expr({ip: 1.0}, sources, -1.0), 0.0)
            expr = {ip: 1.0}
        self.ip[cred] = expr
        return expr

    def needs_date(self, var: int, cred: str) -> None:
        """Require that ``cred`` has a dated content picked as its latest when ``var`` is 1."""
        self.latest(cred)
        self.m.le({var: 1.0, **{p: -1.0 for p in self.m_vars[cred]}}, 0.0)
