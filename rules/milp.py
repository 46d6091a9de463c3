"""The exact solver: the staged solve of the mixed-integer program (HiGHS).

The contract's order of preference is solved in stages over one model
(:mod:`rules.formulation`): greatest progress, then fewest credits, then highest GPA
(Dinkelbach's method on the ratio), then the first sorted list of (rule path, credential)
pairs (blocks of pairs fixed in order).
"""

from __future__ import annotations

import numpy as np

from rules.formulation import Formulation, Pair, formulate
from rules.linear import WHOLE_LIMIT, Expr, LinearModel, add_expr, value_at, whole
from rules.problem import Problem
from rules.relaxed import may_be_met
from rules.score import Assignment, Score, Thing, score

_LEX_BLOCK = 20


def solve_milp(problem: Problem) -> Assignment:
    """The best assignment in the contract's order of preference."""
    return solve_milp_scored(problem)[0]


def solve_milp_scored(problem: Problem) -> tuple[Assignment, Score]:
    """:func:`solve_milp` with the answer's exact score (computed once, not again by the
    caller: scoring a typical program's answer is ~1.5 ms)."""
    f = formulate(problem)
    m = f.model
    root_p = f.p[problem.roots[problem.target]]
    both = _credits_then_points(f)
    values = _met_with_fewest_credits(problem, f, both)
    best_progress = 1.0  # the row _met_with_fewest_credits added
    if values is None:
        values = m.solve({root_p: -1.0})
        if values is None:  # only when hard qualifiers rule out even the empty assignment
            empty = Assignment(frozenset())
            return empty, score(problem, empty)
        best_progress = float(values[root_p])
        m.ge({root_p: 1.0}, best_progress)
        values = m.solve_stage(both or f.credits)
    best_credits = value_at(values, f.credits)
    m.le(f.credits, best_credits)
    # what every assignment the later stages look at keeps (the rows just added say so):
    # the best progress and the fewest credits
    settled = [({root_p: -1.0}, -best_progress), (f.credits, best_credits)]
    values = _best_gpa(f, values, most_points=both is not None)
    if f.gpa_weight and _same(f.gpa_weight, f.credits):
        points = {k: -v for k, v in f.gpa_points.items()}
        settled.append((points, value_at(values, points)))  # and the most grade points
    best = f.assignment(_first_pairs(problem, f, values, settled))
    return _shortest_prefix(problem, best)


def _credits_then_points(f: Formulation) -> Expr | None:
    """One objective whose minimum has the fewest credits, then the most grade points, or
    ``None`` (the credits alone, then the GPA stage).

    Only where every credit applied is a graded one (the GPA's weight is the credits), so
    that the most points is the best GPA (:func:`_best_gpa`). With credits and points whole
    at some scale (tenths of a grade point times whole credits: whole tenths), the
    objective ``(most points + 1) * credits - points`` makes one credit fewer outweigh any
    points. Its coefficients stay below :data:`rules.linear.WHOLE_LIMIT`; a program larger
    than that gets two solves.
    """
    if not f.gpa_weight or not _same(f.gpa_weight, f.credits):
        return None
    grades = {round(f.gpa_points.get(k, 0.0) / v, 9) for k, v in f.gpa_weight.items() if v}
    if len(grades) < 2:
        # one grade throughout: every assignment has the best GPA there is (_best_gpa needs
        # no solve), and the larger coefficients only slowed the credits stage (the
        # adversarial program's evaluations took 29 % more instructions)
        return None
    credits = whole(f.credits)
    points = whole(f.gpa_points)
    if credits is None or points is None or any(v < 0 for v in points.values()):
        return None
    weight = sum(points.values()) + 1.0
    both = {k: weight * v - points.get(k, 0.0) for k, v in credits.items() if v}
    if not both or max(abs(v) for v in both.values()) >= WHOLE_LIMIT:
        return None
    return both


def _met_with_fewest_credits(
    problem: Problem, f: Formulation, both: Expr | None
) -> np.ndarray | None:
    """The first two stages in one solve, where the target may be met (the first three
    with ``both``: see :func:`_credits_then_points`).

    Met is the greatest progress there is, so "met, with the fewest credits" is what the
    progress stage and then the credits stage would find. When it is not feasible (or the
    quick test already says it cannot be), the model is left as it was, for those stages.
    """
    if not may_be_met(problem):
        return None
    m = f.model
    m.ge({f.p[problem.roots[problem.target]]: 1.0}, 1.0)
    values = m.solve(both or f.credits)
    if values is None:
        m.rows.pop()  # the row just added: the target cannot be met
    return values


def _shortest_prefix(problem: Problem, best: Assignment) -> tuple[Assignment, Score]:
    """A sorted pair list that is a prefix of another comes first (as Python compares lists).

    The weighted stage prefers including low-ranked pairs, which is the contract's order
    except where the list could simply end: dropping trailing pairs that bring no credits
    (a 0-credit exam, a shared item) can give an equally good, earlier list.
    """
    reference = score(problem, best)
    ordered = sorted(best.pairs, key=lambda pair: _pair_key(problem, pair))
    cut = len(ordered)
    while cut > 0 and _free(problem, ordered[cut - 1], best):
        cut -= 1
    for end in range(cut, len(ordered)):
        keep = ordered[:end]
        if end and _pair_key(problem, ordered[end]) == _pair_key(problem, ordered[end - 1]):
            continue
        candidate = Assignment(frozenset(keep))
        result = score(problem, candidate)
        if result.valid and result.key()[:3] == reference.key()[:3]:
            return candidate, result
    return best, reference


def _pair_key(problem: Problem, pair: tuple[int, Thing]) -> tuple[str, str]:
    leaf, thing = pair
    cred = thing if isinstance(thing, str) else problem.items[thing].credential
    return (problem.nodes[leaf].path, cred)


def _free(problem: Problem, pair: tuple[int, Thing], best: Assignment) -> bool:
    """Whether dropping the pair could leave the credits unchanged."""
    leaf, thing = pair
    if problem.nodes[leaf].share:
        return True
    if any(t == thing and n != leaf for n, t in best.pairs):
        return True  # also applied at a shared leaf: its credits count once either way
    if isinstance(thing, str):
        # A derived credential's own credits replace what is inside it, which counts its
        # own credits once the credential is not applied: dropping it may change nothing
        # (6 catalog credits over 3 + 3 inside). The caller scores every shorter list.
        return True
    return problem.items[thing].credits == 0.0 and not problem.items[thing].forced


def _best_gpa(f: Formulation, values: np.ndarray, *, most_points: bool = False) -> np.ndarray:
    """Dinkelbach: maximise points - ratio * weight until the ratio stops improving.

    ``most_points``: ``values`` already has the most grade points of the assignments left
    (:func:`_credits_then_points`), which where the weight is the credits is the best GPA.
    """
    if not f.gpa_weight:
        return values
    m = f.model
    # No GPA beats the best grade points of a single graded item, so an assignment that
    # reaches that ceiling (every graded item applied at the best grade on offer, as with
    # uniform grades) needs no solve to prove it best.
    ceiling = max(
        (f.gpa_points.get(k, 0.0) / v for k, v in f.gpa_weight.items() if v > 0), default=0.0
    )
    constant_weight = _same(f.gpa_weight, f.credits)
    for _ in range(8):
        weight = value_at(values, f.gpa_weight)
        points = value_at(values, f.gpa_points)
        ratio = points / weight if weight > 1e-9 else 0.0
        if weight > 1e-9 and ratio >= ceiling - 1e-9:
            break
        if constant_weight and most_points:
            break
        if constant_weight:
            # Every graded credit applied is a credit applied, and the credits are fixed
            # at their best by now: the weight is the same for every assignment left, so
            # the most grade points is the best GPA, and one solve finds it. Its objective
            # is the points alone (the same optima): on the usual scales, grade points of
            # one decimal times whole credits are whole tenths, which HiGHS detects and
            # prunes by, where "- ratio * weight" made every coefficient fractional (the
            # 120-requirement program's GPA stage took 36 s and 10,653 nodes on one VM).
            objective = {k: -v for k, v in f.gpa_points.items()}
            candidate = m.solve_stage(objective)
            if value_at(values, objective) - value_at(candidate, objective) > 1e-7:
                values = candidate
            break
        objective = add_expr({k: -v for k, v in f.gpa_points.items()}, f.gpa_weight, ratio)
        candidate = m.solve_stage(objective)
        gain = -value_at(candidate, objective)
        if gain <= 1e-7:
            break
        values = candidate
    weight = value_at(values, f.gpa_weight)
    if weight > 1e-9:
        ratio = value_at(values, f.gpa_points) / weight
        m.ge(add_expr(dict(f.gpa_points), f.gpa_weight, -ratio), 0.0)
        # any GPA beats none at all (half the smallest graded weight: clear of tolerances)
        m.ge(f.gpa_weight, 0.5 * min(v for v in f.gpa_weight.values() if v > 0))
    return values


def fix_by_reduced_costs(
    m: LinearModel, settled: list[tuple[Expr, float]], incumbent: np.ndarray | None = None
) -> int:
    """Fix the integer variables that no assignment with every ``objective <= best`` of
    ``settled`` can move.

    Reduced-cost fixing: at an optimum of the LP relaxation (value ``z``), every point of
    the model has ``objective >= z + sum of d_j * (x_j - x*_j)`` with each term >= 0 (``d``
    the reduced costs, at a bound each). Every assignment a later stage looks at has
    ``objective <= best`` (the stage's row), so a variable whose reduced cost exceeds
    ``best - z`` stays at its bound in all of them, and fixing it there loses none. A
    margin keeps clear of HiGHS's tolerances: 1e-7 on each reduced cost, so twice that
    times the columns bounds what they can add up to, and never below 1e-4 x max(1,
    |best|). A variable the ``incumbent`` (an assignment of those) has elsewhere is left
    alone: that could only be numerical trouble. Answers how many it fixed.
    """
    lps = m.relaxations([objective for objective, _ in settled])
    integer = np.array(m.integer, dtype=bool)
    fixed = 0
    for (_, best), lp in zip(settled, lps, strict=True):
        if lp is None:
            continue
        slack = max(0.0, best - lp.value) + max(1e-4 * max(1.0, abs(best)), 2e-7 * len(m.lb))
        low, high = np.array(m.lb), np.array(m.ub)
        free = integer & (low != high)
        at_low = free & (lp.reduced > slack) & (lp.x <= low + 1e-9)
        at_high = free & (-lp.reduced > slack) & (lp.x >= high - 1e-9)
        if incumbent is not None:
            at_low &= np.abs(incumbent - low) < 0.5
            at_high &= np.abs(incumbent - high) < 0.5
        for bounds, chosen in ((low, at_low), (high, at_high)):
            for var in np.flatnonzero(chosen).tolist():
                m.fix(var, float(bounds[var]))
                fixed += 1
    return fixed


def _same(a: Expr, b: Expr) -> bool:
    """Whether two expressions have the same terms (zero terms aside)."""
    return {k: v for k, v in a.items() if v} == {k: v for k, v in b.items() if v}


def _first_pairs(
    problem: Problem, f: Formulation, values: np.ndarray, settled: list[tuple[Expr, float]]
) -> np.ndarray:
    """Fix pairs block by block so the sorted list of (path, credential) comes first.

    ``settled``: the earlier stages' objectives and their optima, which every assignment
    looked at here keeps (the model's rows say so).
    """
    m = f.model
    chosen = [p for p in f.pairs if values[p.var] > 0.5]
    others = [p for p in f.pairs if values[p.var] <= 0.5]
    if not others:
        return values

    def key(pair: Pair) -> tuple[str, str]:
        return _pair_key(problem, (pair.leaf, pair.thing))

    ranked = sorted({key(p) for p in f.pairs})
    several = len(ranked) > _LEX_BLOCK
    if several:
        # Several blocks to solve: first fix what the earlier stages' LP relaxations prove
        # cannot move (typical program: 42-70 of its ~200 columns; its evaluations took
        # 28 % fewer instructions, the adversarial one's 18 %). With one block to solve
        # (five of the demo degree's six learners) the LPs cost more than they save: the
        # demo degree took 12 % more instructions when they ran for every learner.
        fix_by_reduced_costs(m, settled, values)
    # With more than one block to solve, the first is solved over the *other* optimal
    # assignments only (those that differ from this one in some pair): when there are none,
    # that one solve ends the stage; otherwise the better of the two decides the block.
    # That pays only where there may be none: when two alike items can trade places, there
    # are, and the first block is solved as the rest are (the cut makes that solve two to
    # three times slower).
    others_only = several and not _alike_swap(problem, f.assignment(values))
    rank = {k: i for i, k in enumerate(ranked)}
    by_rank: dict[int, list[Pair]] = {}
    for pair in f.pairs:
        by_rank.setdefault(rank[key(pair)], []).append(pair)
    exclusive = _exclusive_pairs(problem, f)
    for pair in f.pairs:
        if m.lb[pair.var] == 1.0:  # forced: its thing is applied nowhere else
            _fix(m, pair, 1.0, exclusive)
    pending = list(range(len(ranked)))
    while pending:
        block, pending = _next_block(m, pending, by_rank)
        if not block:
            break
        objective: Expr = {}
        for place, r in enumerate(block):
            for pair in by_rank[r]:
                # whole powers of two, largest first: far above HiGHS's absolute gap
                # (1e-6), which fractions down to 2**-19 would brush against
                objective[pair.var] = -(2.0 ** (_LEX_BLOCK - 1 - place))
        if others_only:
            others_only = False
            other = _other_optimum(m, chosen, others, objective)
            if other is None:
                return values
            if value_at(other, objective) < value_at(values, objective) - 0.5:  # whole weights
                values = other
        else:
            values = m.solve_stage(objective)
        for r in block:
            for pair in by_rank[r]:
                _fix(m, pair, 1.0 if values[pair.var] > 0.5 else 0.0, exclusive)
    return values


def _alike_swap(problem: Problem, best: Assignment, tries: int = 3) -> bool:
    """Whether another assignment as good as ``best`` exists, shown by a swap: an applied
    item put out for an unapplied one of the same credits and grade points at the same
    leaf, scored the same (progress, credits, GPA). ``False`` says nothing; at most
    ``tries`` swaps are scored."""
    reference = score(problem, best)
    if not reference.valid:
        return False
    applied = {thing for _, thing in best.pairs}
    for leaf, thing in sorted(best.pairs, key=lambda pair: _pair_key(problem, pair)):
        if not isinstance(thing, int):
            continue
        item = problem.items[thing]
        for other in problem.nodes[leaf].items:
            alike = problem.items[other]
            if other in applied or (alike.credits, alike.points) != (item.credits, item.points):
                continue
            swapped = score(problem, Assignment(best.pairs - {(leaf, thing)} | {(leaf, other)}))
            if swapped.valid and swapped.key()[:3] == reference.key()[:3]:
                return True
            tries -= 1
            if tries == 0:
                return False
    return False


def _next_block(
    m: LinearModel, pending: list[int], by_rank: dict[int, list[Pair]]
) -> tuple[list[int], list[int]]:
    """The next block of ranks, and the ranks after it.

    A rank whose pairs are all fixed (directly, or because their thing went to another
    leaf) cannot change: it needs no weight, so a block reaches further. Only the ranks up
    to the block's last are looked at: the rest are looked at when their turn comes (with
    the fixings of then), which on the adversarial program saved 3 ms of rescanning.
    """
    block: list[int] = []
    looked = 0
    for r in pending:
        if len(block) == _LEX_BLOCK:
            break
        looked += 1
        if any(m.lb[p.var] != m.ub[p.var] for p in by_rank[r]):
            block.append(r)
    return block, pending[looked:]


def _other_optimum(
    m: LinearModel, chosen: list[Pair], others: list[Pair], objective: Expr
) -> np.ndarray | None:
    """The best for ``objective`` among assignments with some pair not as now (or ``None``)."""
    cut: Expr = {p.var: -1.0 for p in chosen}
    add_expr(cut, {p.var: 1.0 for p in others})
    m_copy = m.copy()
    m_copy.ge(cut, 1.0 - len(chosen))
    return m_copy.solve(objective)


def _exclusive_pairs(problem: Problem, f: Formulation) -> dict[Thing, list[Pair]]:
    """Each thing's pairs at leaves that do not share: at most one of them is applied."""
    out: dict[Thing, list[Pair]] = {}
    for pair in f.pairs:
        if not problem.nodes[pair.leaf].share:
            out.setdefault(pair.thing, []).append(pair)
    return out


def _fix(m: LinearModel, pair: Pair, value: float, exclusive: dict[Thing, list[Pair]]) -> None:
    """Fix ``pair``; applied at a leaf that does not share, its thing's other pairs are 0."""
    m.fix(pair.var, value)
    if value == 1.0 and pair in exclusive.get(pair.thing, ()):
        for other in exclusive[pair.thing]:
            if other is not pair:
                m.fix(other.var, 0.0)


__all__ = ["Formulation", "formulate", "solve_milp", "solve_milp_scored"]
