"""The assignment problem as a mixed-integer program (the model; rules.milp solves it).

Variables: ``x`` (item applied at leaf), ``y`` (derived credential applied at leaf), ``s``
(node satisfied) and ``p`` (node progress). Each ``p`` is bounded above by the contract's
formula for its node, so maximising the root's progress gives the best progress any
assignment reaches. Qualifiers (GPA floors, windows, limits, grades and dates of derived
credentials) are rows of their own; the credits and GPA sums are kept as expressions for the
solver's stages. What lies inside derived credentials is :mod:`rules.derived_rows`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from rules.derived_rows import DerivedRows, Pair
from rules.linear import Expr, LinearModel, add_expr
from rules.problem import Node, Problem, matches_filter
from rules.score import UNMET_CAP, Assignment, Thing, counted, thing_item


@dataclass
class Formulation:
    """The model and the handles the stages need."""

    model: LinearModel
    pairs: list[Pair] = field(default_factory=list)
    s: dict[int, int] = field(default_factory=dict)
    p: dict[int, int] = field(default_factory=dict)
    credits: Expr = field(default_factory=dict)
    gpa_points: Expr = field(default_factory=dict)  # sum credits * points over graded items
    gpa_weight: Expr = field(default_factory=dict)  # sum credits over graded items

    def assignment(self, values: np.ndarray) -> Assignment:
        """Read the assignment off a solution vector."""
        return Assignment(frozenset((p.leaf, p.thing) for p in self.pairs if values[p.var] > 0.5))


class _Builder(DerivedRows):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem)
        self.f = Formulation(self.m)

    # -- variables --------------------------------------------------------------------------
    def build(self) -> Formulation:
        pb = self.pb
        plain = {node.idx: self._plain_pairs(node) for node in pb.nodes}
        direct = {idx for idx, pairs in plain.items() if pairs == 1}
        empty = {idx for idx, pairs in plain.items() if pairs == 0}
        for node in pb.nodes:
            if node.idx in direct:
                continue  # its pair stands for it (below)
            self.f.s[node.idx] = self.m.var()
            self.f.p[node.idx] = self.m.var(0.0, 1.0, integer=False)
            if node.idx in empty:
                # a row, not bounds of 0: a caller may fix a node's `s` (the planner fixes
                # its goal's at 1), which must then be infeasible, not met with nothing
                self.m.le({self.f.s[node.idx]: 1.0, self.f.p[node.idx]: 1.0}, 0.0)
                continue
            if node.waived:
                self.m.fix(self.f.s[node.idx], 1.0)
                self.m.fix(self.f.p[node.idx], 1.0)
        for leaf in pb.leaves():
            pairs: list[Pair] = []
            for index in leaf.forced:
                var = self.m.var()
                self.m.fix(var, 1.0)
                pairs.append(Pair(leaf.idx, index, var))
            for index in leaf.items:
                pairs.append(Pair(leaf.idx, index, self.m.var()))
            for cred in leaf.derived:
                pairs.append(Pair(leaf.idx, cred, self.m.var()))
            self.by_leaf[leaf.idx] = pairs
            self.f.pairs.extend(pairs)
            if leaf.idx in direct:
                self.f.s[leaf.idx] = self.f.p[leaf.idx] = pairs[0].var
        for node in pb.nodes:
            self.scope_leaves.setdefault(node.owner, [])
            if node.is_leaf and not node.waived:
                self.scope_leaves[node.owner].append(node.idx)
        self._uses()
        for node in pb.nodes:
            if not node.waived and node.idx not in direct and node.idx not in empty:
                self._node(node)
        self._credits()
        self._gpa()
        return self.f

    def _plain_pairs(self, node: Node) -> int | None:
        """How many pairs a credential leaf with nothing of its own to say can take (no
        qualifier, no derived credential's progress to report), or ``None`` for any other
        node.

        Such a leaf with one pair is satisfied, with progress 1, exactly when that pair is
        applied, so the pair's variable stands for both: its own ``s`` and ``p`` would
        only be bounded above by the pair (four rows), and every other row takes them as
        they are or larger, so this is exact. Most leaves of a degree name one course;
        HiGHS's presolve removed those rows on every stage. With no pair, it is unmet with
        no progress in every assignment (one row holds both its variables at 0; a learner
        holds a third of a degree's named courses or fewer).
        """
        if node.kind != "credential" or node.waived:
            return None
        rule = node.rule
        if rule.gpa_floor is not None or rule.window_duration is not None or rule.limits:
            return None
        if self._progress_root(node) is not None:
            return None
        return len(node.forced) + len(node.items) + len(node.derived)

    def _uses(self) -> None:
        uses: dict[Thing, Expr] = {}
        for pair in self.f.pairs:
            if isinstance(pair.thing, str):
                self.m.le({pair.var: 1.0, self.f.s[self.pb.roots[pair.thing]]: -1.0}, 0.0)
            if not self.pb.nodes[pair.leaf].share:
                uses.setdefault(pair.thing, {})[pair.var] = 1.0
        for expr in uses.values():
            if len(expr) > 1:
                self.m.le(expr, 1.0)

    # -- nodes ------------------------------------------------------------------------------
    def _node(self, node: Node) -> None:
        s, p = self.f.s[node.idx], self.f.p[node.idx]
        m = self.m
        m.le({p: 1.0, s: -(1.0 - UNMET_CAP)}, UNMET_CAP)
        if node.kind == "credential":
            self._credential(node)
        elif node.kind == "select":
            self._select(node)
        elif node.kind == "skill":
            value = 1.0 if node.skill_met else 0.0
            m.fix(s, value)
            m.le({p: 1.0}, value)
        else:
            self._combinator(node)
        if node.is_leaf:
            self._derived_leaf_quals(node)
        self._qualifiers(node)

    def _credential(self, node: Node) -> None:
        s, p = self.f.s[node.idx], self.f.p[node.idx]
        filled = {pair.var: 1.0 for pair in self.by_leaf[node.idx]}
        self.m.le(filled, 1.0)
        self.m.le({s: 1.0, **{k: -v for k, v in filled.items()}}, 0.0)
        root = self._progress_root(node)
        bound = {p: 1.0, **{k: -v for k, v in filled.items()}}
        if root is not None:
            cred = self.pb.nodes[root].owner
            # p <= filled + the credential's own progress. Taking the credential derived
            # needs its rule met, and a met rule's progress may be 1, so that pair need not
            # count twice: leaving it out is exact and takes away the relaxation's
            # favourite, a derived credential applied in part *and* progressing in part.
            for pair in self.by_leaf[node.idx]:
                if pair.thing == cred:
                    del bound[pair.var]
            bound[self.f.p[root]] = -1.0
        self.m.le(bound, 0.0)

    def _select(self, node: Node) -> None:
        s, p = self.f.s[node.idx], self.f.p[node.idx]
        pairs = self.by_leaf[node.idx]
        count = getattr(node.rule, "count", None)
        need_credits = getattr(node.rule, "credits", None)
        if count is not None:
            items = {pair.var: 1.0 for pair in pairs}
            self.m.le({s: float(count), **{k: -v for k, v in items.items()}}, 0.0)
            self.m.le({p: float(count), **{k: -v for k, v in items.items()}}, 0.0)
        if need_credits is not None:
            credits: Expr = {}
            for pair in pairs:
                add_expr(credits, self.thing_credits({pair.var: 1.0}, pair.thing))
            self.m.le(add_expr({s: float(need_credits)}, credits, -1.0), 0.0)
            self.m.le(add_expr({p: float(need_credits)}, credits, -1.0), 0.0)
            fewest = self._fewest_items(pairs, float(need_credits))
            if fewest > (count or 1):
                # A cover: met takes at least `fewest` items, however the credits fall.
                # Implied by the row above for whole items, but it cuts off the fractional
                # ones the relaxation otherwise tops a pool up with.
                self.m.le({s: float(fewest), **{pair.var: -1.0 for pair in pairs}}, 0.0)

    def _combinator(self, node: Node) -> None:
        s, p = self.f.s[node.idx], self.f.p[node.idx]
        kids = node.children
        fs, fp = self.f.s, self.f.p
        if node.kind == "all":
            for kid in kids:
                self.m.le({s: 1.0, fs[kid]: -1.0}, 0.0)
            self.m.le({p: float(len(kids)), **{fp[k]: -1.0 for k in kids}}, 0.0)
        elif all(self._whole_progress(kid) for kid in kids):
            # Children whose progress is 0 or 1: the best `need` of them sum to
            # min(need, their sum), so one row says it (p <= 1 caps the rest). The picks
            # below are for partial progress, and their relaxation is much weaker.
            need = 1.0 if node.kind == "any" else float(node.need)
            self.m.le({s: need, **{fs[k]: -1.0 for k in kids}}, 0.0)
            self.m.le({p: need, **{fp[k]: -1.0 for k in kids}}, 0.0)
        elif node.kind == "any":
            self.m.le({s: 1.0, **{fs[k]: -1.0 for k in kids}}, 0.0)
            picks = [self.m.var() for _ in kids]
            self.m.add({z: 1.0 for z in picks}, 1.0, 1.0)
            for kid, z in zip(kids, picks, strict=True):
                self.m.le({p: 1.0, fp[kid]: -1.0, z: 1.0}, 1.0)
        else:
            need = float(node.need)
            self.m.le({s: need, **{fs[k]: -1.0 for k in kids}}, 0.0)
            parts: Expr = {}
            picks = []
            for kid in kids:
                w = self.m.var()
                q = self.m.var(0.0, 1.0, integer=False)
                self.m.le({q: 1.0, fp[kid]: -1.0}, 0.0)
                self.m.le({q: 1.0, w: -1.0}, 0.0)
                parts[q] = -1.0
                picks.append(w)
            self.m.le({w: 1.0 for w in picks}, need)
            self.m.le({p: need, **parts}, 0.0)

    def _fewest_items(self, pairs: list[Pair], need: float) -> int:
        """The fewest of ``pairs``' items worth ``need`` credits (0 when a derived
        credential is among them: its credits are not fixed)."""
        if any(isinstance(pair.thing, str) for pair in pairs):
            return 0
        worth = sorted((self.pb.items[int(pair.thing)].credits for pair in pairs), reverse=True)
        total = 0.0
        for taken, credits in enumerate(worth, start=1):
            total += credits
            if total >= need - 1e-9:
                return taken
        return len(worth) + 1

    def _whole_progress(self, idx: int) -> bool:
        """Whether node ``idx``'s progress is 0 or 1 in every assignment.

        A waived node or a skill; a credential leaf that cannot report the progress of a
        derived credential (it is filled or not).
        """
        node = self.pb.nodes[idx]
        if node.waived or node.kind == "skill":
            return True
        return node.kind == "credential" and self._progress_root(node) is None

    def _progress_root(self, node: Node) -> int | None:
        """The root of the derived credential whose progress credential leaf ``node``
        reports while unfilled, or ``None`` (an ordinary credential, or the target)."""
        cred = getattr(node.rule, "credential", "")
        root = self.pb.roots.get(cred)
        return None if root is None or cred == self.pb.target else root

    def _derived_leaf_quals(self, node: Node) -> None:
        floor = node.min_points  # the leaf's own min_grade and its ancestors' (rules.problem)
        for pair in self.by_leaf[node.idx]:
            if not isinstance(pair.thing, str):
                continue
            if floor is None and node.recent_cutoff is None:
                continue
            # the contract assumes work in progress meets every qualifier: a derived
            # credential with something in progress inside is exempt (`ip` relaxes each row)
            ip = self.in_progress(pair.thing)
            if floor is not None:
                pts, wgt = self.points_weight(pair.thing)
                big = self.max_credits * (self.max_points + floor) + 1.0
                # points - floor * weight >= -big (1 - y) - big ip;  weight >= 0.001 (y - ip)
                expr = add_expr(dict(pts), wgt, -floor)
                expr[pair.var] = expr.get(pair.var, 0.0) - big
                self.m.ge(add_expr(expr, ip, big), -big)
                self.m.ge(add_expr(add_expr(dict(wgt), {pair.var: -0.001}), ip, 0.001), 0.0)
            if node.recent_cutoff is not None:
                t = self.latest(pair.thing)
                big = self.big_day
                # dated when applied (unless in progress), and that date recent enough
                has = self.has_date(pair.thing)
                self.m.ge(add_expr(add_expr(dict(has), {pair.var: -1.0}), ip), 0.0)
                recent = add_expr({t: 1.0, pair.var: -big}, ip, big)
                self.m.ge(recent, self.day(node.recent_cutoff) - big)

    def _qualifiers(self, node: Node) -> None:
        rule = node.rule
        floor = rule.gpa_floor
        window = rule.window_duration
        limits = rule.limits or []
        if floor is None and window is None and not limits:
            return
        leaves = [i for i in self.pb.subtree(node.idx) if self.pb.nodes[i].is_leaf]
        things = counted(self.pb, self.things_in(leaves))
        if floor is not None:
            expr: Expr = {}
            for thing in things:
                on = self.indicator(leaves, thing)
                if isinstance(thing, int):
                    item = self.pb.items[thing]
                    if item.points is None or item.in_progress or item.source not in floor.sources:
                        continue
                    add_expr(expr, on, (item.points - floor.value) * item.credits)
                elif "derived" in floor.sources:
                    pts, wgt = self.points_weight(thing)
                    value = add_expr(dict(pts), wgt, -floor.value)
                    cap = self.max_credits * (self.max_points + floor.value)
                    add_expr(expr, self.product(self.unless(on, thing), value, -cap, cap))
            # exactly 0, no margin: HiGHS's tolerance (1e-6) absorbs rounding, and a margin
            # inside it (this row had -1e-7) led its probing to a wrong fixing
            self.m.ge(expr, 0.0)
        if window is not None:
            self._window(node, leaves, things)
        for limit in limits:
            amount: Expr = {}
            for thing in things:
                if not matches_filter(limit.where, thing_item(self.pb, thing)):
                    continue
                on = self.indicator(leaves, thing)
                add_expr(amount, on if limit.unit == "items" else self.thing_credits(on, thing))
            if limit.at_most is not None:
                self.m.le(amount, limit.at_most)
            if limit.at_least is not None:
                s, p = self.f.s[node.idx], self.f.p[node.idx]
                self.m.le(add_expr({s: limit.at_least}, amount, -1.0), 0.0)
                self.m.le(add_expr({p: limit.at_least}, amount, -1.0), 0.0)

    def _window(self, node: Node, leaves: list[int], things: list[Thing]) -> None:
        window = node.rule.window_duration
        assert window is not None
        dates = sorted({self.pb.items[t].earned_on for t in self._dated_items(things)})
        if not dates:
            return
        anchors = [(d, window.add_to(d), self.m.var()) for d in dates]
        self.m.add({a: 1.0 for _, _, a in anchors}, 1.0, 1.0)
        big = self.big_day
        for thing in things:
            on = self.indicator(leaves, thing)
            if isinstance(thing, int):
                item = self.pb.items[thing]
                if item.in_progress:
                    continue
                covering = {a: -1.0 for start, end, a in anchors if start <= item.earned_on <= end}
                self.m.le(add_expr(dict(covering), on), 0.0)
            else:
                t = self.latest(thing)
                # a derived credential with nothing dated inside (all of it in progress) has
                # no date, and the window does not see it
                has = self.has_date(thing)
                for start, end, a in anchors:
                    # when applied, dated and anchored at `start`: start <= t <= end
                    lower = add_expr(add_expr({t: 1.0, a: -big}, on, -big), has, -big)
                    self.m.ge(lower, self.day(start) - 3 * big)
                    upper = add_expr(add_expr({t: 1.0, a: big}, on, big), has, big)
                    self.m.le(upper, self.day(end) + 3 * big)

    def _dated_items(self, things: list[Thing]) -> list[int]:
        out: list[int] = []
        for thing in things:
            if isinstance(thing, int):
                out.append(thing)
            else:
                leaves = self.scope_leaves.get(thing, [])
                out.extend(self._dated_items(self.things_in(leaves)))
        return out

    # -- objectives -------------------------------------------------------------------------
    def _credits(self) -> None:
        pb = self.pb
        total: Expr = {}
        target_leaves = self.scope_leaves.get(pb.target, [])
        for thing in self.things_in(target_leaves):
            add_expr(total, self.thing_credits(self.indicator(target_leaves, thing), thing))
        applied: dict[str, Expr] = {}
        for pair in self.f.pairs:
            if isinstance(pair.thing, str):
                applied.setdefault(pair.thing, {})[pair.var] = 1.0
        for cred in pb.derived_order:
            contents = self.contents_credits(cred)
            if not contents:
                continue
            n = self.m.var(0.0, self.max_credits, integer=False)
            # n >= contents - M * applied: contents count when the credential is not applied
            self.m.ge(
                add_expr(
                    {n: 1.0, **{k: -v for k, v in contents.items()}},
                    applied.get(cred, {}),
                    self.max_credits,
                ),
                0.0,
            )
            total[n] = total.get(n, 0.0) + 1.0
        self.f.credits = total

    def _gpa(self) -> None:
        everywhere = [leaf.idx for leaf in self.pb.leaves()]
        for thing in self.things_in(everywhere):
            if not isinstance(thing, int):
                continue
            item = self.pb.items[thing]
            if item.points is None or item.in_progress:
                continue
            on = self.indicator(everywhere, thing)
            add_expr(self.f.gpa_points, on, item.points * item.credits)
            add_expr(self.f.gpa_weight, on, item.credits)


def formulate(problem: Problem) -> Formulation:
    """Build the model for ``problem``."""
    return _Builder(problem).build()


__all__ = ["Formulation", "Pair", "formulate"]
