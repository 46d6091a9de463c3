"""An exact solver for problems without contention: dynamic programming over the rule tree.

Most certificates and microcredentials name their courses one by one: no item is a candidate
at two leaves, and no qualifier but a ``window`` ties sub-trees together. Then the best
assignment can be built bottom-up. Each node keeps the options for its sub-tree that some
completion of the rest could still prefer, and drops an option only when another is at least
as good whatever the rest of the tree does: progress is monotone up the tree, credits add
up, the GPA and the pair order compare as :mod:`rules.tree_options` says, and a narrower span
of dates never breaks a window a wider one meets. At the root the contract's order picks the
best, and the scorer checks it, as it checks every solver's answer. :mod:`rules.tree_shape`
decides which problems it takes on; :mod:`rules.tree_sums` carries the sums `min_gpa` and
`limits` check.

:func:`solve_tree` answers ``None`` when the problem is outside that shape, or when the
options grow past a bound; the caller then uses the other exact solvers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from itertools import combinations
from typing import TypeVar

from rules.problem import Node, Problem
from rules.score import (
    EPS,
    UNMET_CAP,
    Assignment,
    Score,
    Thing,
    preference_key,
    score,
    select_standing,
)
from rules.tree_options import (
    NOTHING,
    Key,
    Option,
    Watch,
    add,
    dates_no_worse,
    join,
    keys_no_later,
    slacks_no_worse,
)
from rules.tree_shape import (
    Shape,
    attachments,
    dated_owners,
    open_sums,
    strict_nodes,
    summed_owners,
    under_a_window,
)
from rules.tree_sums import check_sums, leaf_sums

#: Past this many options at one node the bottom-up search gives way to the MILP.
MAX_OPTIONS = 64
#: Select leaves with more candidates than this give way too (2**n subsets).
MAX_SELECT_CANDIDATES = 6


def solve_tree(problem: Problem) -> tuple[Assignment, Score] | None:
    """The best assignment by the contract's order, or ``None`` outside this solver's shape."""
    try:
        options = _Solver(problem).node(problem.roots[problem.target])
    except Shape:
        return None
    if not options:
        return None  # every option breaks a window: the brute force reports that case
    best = min(options, key=_key)
    assignment = Assignment(frozenset(best.pairs))
    result = score(problem, assignment)
    # every option is valid by construction; should one not be, the MILP answers instead
    return (assignment, result) if result.valid else None


def satisfiable_tree(problem: Problem) -> bool | None:
    """Whether some assignment meets the target, or ``None`` outside this solver's shape.

    Only meeting the rule counts here, so options are compared by that (and by the dates
    windows see) alone, which keeps far fewer of them.
    """
    try:
        options = _Solver(problem, only_met=True).node(problem.roots[problem.target])
    except Shape:
        return None
    met = [o for o in options if o.satisfied]
    if not met:
        return False
    return True if score(problem, Assignment(frozenset(met[0].pairs))).met else None


def _key(option: Option) -> tuple[float, float, float, list[Key]]:
    """The contract's order, as :meth:`rules.score.Score.key` computes it."""
    gpa = option.points / option.weight if option.weight > EPS else None
    return preference_key(option.progress, option.credits, gpa, list(option.keys))


class _Solver:
    def __init__(self, problem: Problem, *, only_met: bool = False) -> None:
        self.p = problem
        self.only_met = only_met
        self.attached = attachments(problem)
        self.strict = strict_nodes(problem)
        self.windowed = under_a_window(problem)
        self.dated_owners = dated_owners(problem, self.attached, self.windowed)
        self.sums = open_sums(problem)
        self.summed = summed_owners(problem, self.attached)
        self.worth = {c for c, d in problem.derivations.items() if d.credits is None}
        self.derived: dict[int, list[Option]] = {}
        self.top = problem.roots[problem.target]

    def _watch(self, node: Node, *, fold: bool = False) -> Watch:
        """What the rest of the tree still sees of an option at ``node``.

        Its span of dates, when a window sits above it in the same rule (or on it, while its
        children are being combined); its latest date, when that dates a derived credential
        a window sees; its credits as they are, unless a derived credential worth a catalog
        figure holds it.
        """
        span = node.idx in self.windowed or (fold and node.rule.window_duration is not None)
        owner = node.owner
        return Watch(span, owner in self.dated_owners, owner in self.summed, owner in self.worth)

    # -- nodes ------------------------------------------------------------------------------
    def node(self, idx: int) -> list[Option]:
        node = self.p.nodes[idx]
        if node.waived:
            return [Option(True, 1.0, 0.0, 0.0, 0.0, (), ())]
        rule = node.rule
        if node.kind == "skill":
            met = node.skill_met
            return [Option(met, 1.0 if met else 0.0, 0.0, 0.0, 0.0, (), ())]
        if node.kind == "credential":
            options = self._credential(node)
        elif node.kind == "select":
            options = self._select(node)
        else:
            options = self._combinator(node)
        window = rule.window_duration
        if window is not None:
            options = [
                o
                for o in options
                if o.first is None or o.last is None or o.last <= window.add_to(o.first)
            ]
        if rule.gpa_floor is not None or rule.limits:
            options = check_sums(node, options)
        if idx == self.top:
            # Nothing lies above the target's rule: the caller takes the best option by the
            # contract's order (the most progress first), which is never one that another
            # dominates, so pruning here would only cost comparisons (up to 64 x 64 options
            # come from the last step of _combinator, which leaves them unpruned too).
            return options
        watch = self._watch(node)
        dilution = self.strict.get(idx)
        if dilution is not None and not self.only_met:
            options = self._most_progress(options, watch, dilution)
        return _pareto(options, self._dominates, watch)

    @staticmethod
    def _most_progress(options: list[Option], watch: Watch, dilution: float) -> list[Option]:
        """Drop an option for one with more progress whose dates no window minds more.

        More progress here is more at the root, unless an unmet node on the way is capped
        (a node not met reports at most UNMET_CAP): an option is dropped only when, even
        diluted ``dilution`` times on the way up, it leaves the root short of that cap.
        """
        room = (1.0 - UNMET_CAP) * dilution + 1e-12
        return [
            o
            for o in options
            if 1.0 - o.progress <= room
            or not any(
                a.progress > o.progress + 1e-12
                and dates_no_worse(a, o, watch)
                and slacks_no_worse(a, o)
                for a in options
            )
        ]

    def _credential(self, node: Node) -> list[Option]:
        if len(node.forced) > 1:
            raise Shape("two forced items at one credential leaf")
        cred = str(getattr(node.rule, "credential", ""))
        out: list[Option] = []
        for below in self._derived_options(node):
            if node.forced:
                out.append(self._take(node, list(node.forced), below))
                continue
            if below is not None and cred in self.p.roots and cred != self.p.target:
                # contract: with nothing applied, the leaf reports the progress of the rule
                unmet = below.progress
            else:
                unmet = 0.0
            out.append(self._take(node, [], below)._replace(progress=min(unmet, UNMET_CAP)))
            for index in node.items:
                out.append(self._take(node, [index], below))
            for derived in node.derived:
                if below is not None and below.satisfied:
                    out.append(self._take(node, [derived], below))
        return out

    def _select(self, node: Node) -> list[Option]:
        candidates: list[Thing] = [*node.items, *node.derived]
        if len(candidates) > MAX_SELECT_CANDIDATES:
            raise Shape("too many candidates at a select leaf")
        forced: list[Thing] = list(node.forced)
        out: list[Option] = []
        for below in self._derived_options(node):
            usable = below is not None and below.satisfied
            for size in range(len(candidates) + 1):
                for combo in combinations(candidates, size):
                    if not usable and any(isinstance(t, str) for t in combo):
                        continue
                    out.append(self._take(node, [*forced, *combo], below))
        return out

    def _derived_options(self, node: Node) -> list[Option | None]:
        """Options inside the derived credential this leaf may take (``[None]``: none)."""
        owners = self.attached.get(node.idx, [])
        if not owners:
            return [None]
        if len(owners) > 1:
            raise Shape("two derived credentials at one leaf")
        if (
            node.min_points is not None
            or getattr(node.rule, "min_grade", None) is not None
            or node.recent_cutoff is not None
        ):
            raise Shape("a grade floor or recency on a derived credential")
        root = self.p.roots[owners[0]]
        # Several leaves may take the same derived credential (a certificate named in two
        # places): its options depend on its own rule alone, so they are worked out once.
        found = self.derived.get(root)
        if found is None:
            found = self.derived[root] = self.node(root)
        return list(found)

    def _take(self, node: Node, things: list[Thing], below: Option | None) -> Option:
        """The leaf with ``things`` applied (and the derived credential's inside ``below``).

        What ``below`` adds to the whole (its credits, grades and pairs) is added whether or
        not the derived credential is applied: the scorer counts the inside of a derived
        credential that is applied nowhere, too.
        """
        credits = points = weight = leaf_credits = 0.0
        worth: dict[Thing, float] = {}  # what each thing counts for here
        dates: list[date] = []  # what windows see
        every: list[date] = []  # what dates a derived credential
        for thing in things:
            if isinstance(thing, int):
                item = self.p.items[thing]
                credits += item.credits
                leaf_credits += item.credits
                worth[thing] = item.credits
                if item.points is not None and not item.in_progress:
                    points += item.points * item.credits
                    weight += item.credits
                if not item.in_progress:
                    every.append(item.earned_on)
                    if not item.forced:
                        dates.append(item.earned_on)
            else:
                assert below is not None
                fixed = self.p.derivations[thing].credits
                # a derived item is worth the catalog's credits, else what is inside it
                own = below.credits if fixed is None else fixed
                leaf_credits += own
                worth[thing] = own
                credits += own - below.credits  # the inside is added with `below`
                if below.latest is not None:
                    every.append(below.latest)
                    dates.append(below.latest)
        if node.kind == "credential":
            satisfied, progress = bool(things), 1.0 if things else 0.0
        else:
            satisfied, progress = select_standing(node.rule, len(things), leaf_credits)
        if not satisfied:
            progress = min(progress, UNMET_CAP)
        option = Option(
            satisfied,
            progress,
            credits,
            points,
            weight,
            tuple(sorted(self._pair_key(node, thing) for thing in things)),
            tuple((node.idx, thing) for thing in things),
            min(dates, default=None),
            max(dates, default=None),
            max(every, default=None),
            leaf_sums(self.p, self.sums.get(node.idx, []), things, worth),
        )
        return option if below is None else add(option, below)

    def _pair_key(self, node: Node, thing: Thing) -> Key:
        cred = thing if isinstance(thing, str) else self.p.items[thing].credential
        return (node.path, cred)

    def _combinator(self, node: Node) -> list[Option]:
        kind, need, kids = node.kind, node.need, node.children
        # Partial options: the standing so far is (children met, capped at `need`; their
        # progress: the sum for `all`, the best for `any`, the best `need` values, largest
        # first, for at_least), then what the children chosen so far add to the whole.
        partial: list[tuple[int, tuple[float, ...], Option]] = [(0, (), NOTHING)]
        watch = self._watch(node, fold=True)
        for place, kid in enumerate(kids, 1):
            grown: list[tuple[int, tuple[float, ...], Option]] = []
            kid_options = self.node(kid)
            for met, standing, acc in partial:
                for option in kid_options:
                    if kind == "all":
                        value: tuple[float, ...] = ((standing or (0.0,))[0] + option.progress,)
                    elif kind == "any":
                        value = (max((standing or (0.0,))[0], option.progress),)
                    else:
                        value = tuple(sorted((*standing, option.progress), reverse=True)[:need])
                    count = min(met + option.satisfied, need)
                    grown.append((count, value, join(acc, option)))
            if node.idx == self.top and place == len(kids):
                partial = grown  # no more children, nothing above: see node()
            else:
                partial = _pareto(grown, self._partial_dominates, watch)
        out: list[Option] = []
        for met, standing, acc in partial:
            satisfied = met >= need
            if kind == "all":
                progress = standing[0] / len(kids)
            elif kind == "any":
                progress = standing[0]
            else:
                progress = sum(standing) / need
            if not satisfied:
                progress = min(progress, UNMET_CAP)
            out.append(acc._replace(satisfied=satisfied, progress=progress))
        return out

    # -- pruning ----------------------------------------------------------------------------
    def _dominates(self, a: Option, b: Option, watch: Watch) -> bool:
        if self.only_met:
            return a.satisfied >= b.satisfied and _fits_no_worse(a, b, watch)
        return (
            a.satisfied >= b.satisfied
            and a.progress >= b.progress - 1e-12
            and self._adds_no_worse(a, b, watch)
        )

    def _partial_dominates(
        self,
        a: tuple[int, tuple[float, ...], Option],
        b: tuple[int, tuple[float, ...], Option],
        watch: Watch,
    ) -> bool:
        if self.only_met:
            return a[0] >= b[0] and _fits_no_worse(a[2], b[2], watch)
        if a[0] < b[0] or a[2].credits > b[2].credits + 1e-9:  # the cheapest tests first
            return False
        # the largest values so far, position by position: the parent's progress is their
        # mean (or the best) whatever values the remaining children bring
        for x, y in zip(a[1], b[1], strict=True):
            if x < y - 1e-12:
                return False
        return self._adds_no_worse(a[2], b[2], watch)

    def _adds_no_worse(self, a: Option, b: Option, watch: Watch) -> bool:
        """Whether ``a`` serves any whole at least as well as ``b`` (besides progress)."""
        if a.credits > b.credits + 1e-9 or not _fits_no_worse(a, b, watch):
            return False
        if watch.credits and a.credits < b.credits - 1e-6:
            # credits add up, and they come before the GPA and the pairs: fewer credits
            # here are fewer in every whole that ties on progress
            return True
        # GPA: (Pa + P) / (Wa + W) >= (Pb + P) / (Wb + W) for every rest only when Wa == Wb
        if abs(a.weight - b.weight) > 1e-9 or a.points < b.points - 1e-9:
            return False
        if a.points > b.points + 1e-6:
            return True  # a higher GPA in every whole, and the GPA comes before the pairs
        return keys_no_later(a.keys, b.keys)


def _fits_no_worse(a: Option, b: Option, watch: Watch) -> bool:
    """Whether whatever above accepts ``b`` accepts ``a`` too: a window (dates), the GPA
    floors and limits still open (slacks), and, for the rule of a credential with no
    catalog figure (worth what is inside it), the same credits: a credit requirement that
    takes it may need the more, a cap on credits the fewer."""
    if watch.worth and abs(a.credits - b.credits) > 1e-9:
        return False
    return dates_no_worse(a, b, watch) and slacks_no_worse(a, b)


E = TypeVar("E")


def _pareto(
    entries: Iterable[E], dominates: Callable[[E, E, Watch], bool], watch: Watch
) -> list[E]:
    """Drop every entry another is at least as good as, whatever the rest of the tree does."""
    # Plain loops, not any() over a generator: this runs thousands of comparisons a decision.
    kept: list[E] = []
    for entry in entries:
        for k in kept:
            if dominates(k, entry, watch):
                break
        else:
            kept = [k for k in kept if not dominates(entry, k, watch)]
            kept.append(entry)
            if len(kept) > MAX_OPTIONS:
                raise Shape("too many options")
    return kept
