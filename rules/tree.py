"""An exact solver for problems without contention: dynamic programming over the rule tree.

Most certificates and microcredentials name their courses one by one: no item is a candidate
at two leaves, and no qualifier but a ``window`` ties sub-trees together. Then the best
assignment can be built bottom-up. Each node keeps the options for its sub-tree that some
completion of the rest could still prefer, and drops an option only when another is at least
as good whatever the rest of the tree does: progress is monotone up the tree, credits add
up, the GPA and the pair order compare as :func:`_adds_no_worse` says, and a narrower span of
dates never breaks a window a wider one meets. At the root the contract's order picks the
best, and the scorer checks it, as it checks every solver's answer.

:func:`solve_tree` answers ``None`` when the problem is outside that shape, or when the
options grow past a bound; the caller then uses the other exact solvers.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from itertools import combinations
from typing import NamedTuple

from rules.problem import Node, Problem
from rules.score import EPS, UNMET_CAP, Assignment, Score, Thing, score

#: Past this many options at one node the bottom-up search gives way to the MILP.
MAX_OPTIONS = 64
#: Select leaves with more candidates than this give way too (2**n subsets).
MAX_SELECT_CANDIDATES = 6

Key = tuple[str, str]  # (rule path, credential): what the contract's pair order sorts


class Option(NamedTuple):
    """One way to fill a sub-tree: its standing, and what it adds to the whole."""

    satisfied: bool
    progress: float
    credits: float
    points: float  # sum of credits x grade points over graded items applied inside
    weight: float  # sum of credits over those items
    keys: tuple[Key, ...]  # sorted
    pairs: tuple[tuple[int, Thing], ...]
    # Dates of what the sub-tree's own leaves take (what a derived credential they take
    # holds inside is its own): the span `window` qualifiers see (forced items aside), and
    # the latest of all, which dates the derived credential when this is its rule.
    first: date | None = None
    last: date | None = None
    latest: date | None = None


_NOTHING = Option(True, 0.0, 0.0, 0.0, 0.0, (), ())


class _Shape(Exception):
    """The problem (or its options) is outside what this solver takes on."""


def solve_tree(problem: Problem) -> tuple[Assignment, Score] | None:
    """The best assignment by the contract's order, or ``None`` outside this solver's shape."""
    try:
        options = _Solver(problem).node(problem.roots[problem.target])
    except _Shape:
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
    except _Shape:
        return None
    met = [o for o in options if o.satisfied]
    if not met:
        return False
    result = score(problem, Assignment(frozenset(met[0].pairs)))
    root = problem.roots[problem.target]
    return True if result.valid and result.nodes[root].satisfied else None


def _key(option: Option) -> tuple[float, float, float, list[Key]]:
    """The contract's order, as :meth:`rules.score.Score.key` computes it."""
    gpa = option.points / option.weight if option.weight > EPS else -1.0
    return (
        -round(option.progress, 9),
        round(option.credits, 9),
        -round(gpa, 9),
        list(option.keys),
    )


class _Solver:
    def __init__(self, problem: Problem, *, only_met: bool = False) -> None:
        self.p = problem
        self.only_met = only_met
        self.attached = _attachments(problem)
        self.strict = _strict_nodes(problem)
        self.windowed = _under_a_window(problem)
        self.dated_owners = _dated_owners(problem, self.attached, self.windowed)

    def _dates(self, node: Node, *, fold: bool = False) -> Watch:
        """Which dates of an option at ``node`` a window can still see.

        Its span, when a window sits above it in the same rule (or on it, while its children
        are being combined); its latest date, when that dates a derived credential a window
        sees.
        """
        span = node.idx in self.windowed or (fold and node.rule.window_duration is not None)
        return Watch(span, node.owner in self.dated_owners)

    # -- nodes ------------------------------------------------------------------------------
    def node(self, idx: int) -> list[Option]:
        node = self.p.nodes[idx]
        if node.waived:
            return [Option(True, 1.0, 0.0, 0.0, 0.0, (), ())]
        rule = node.rule
        if rule.gpa_floor is not None or rule.limits:
            raise _Shape("a qualifier ties sub-trees together")
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
        watch = self._dates(node)
        dilution = self.strict.get(idx)
        if dilution is not None and not self.only_met:
            options = self._most_progress(options, watch, dilution)
        return self._pareto(options, watch)

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
                a.progress > o.progress + 1e-12 and _dates_no_worse(a, o, watch) for a in options
            )
        ]

    def _credential(self, node: Node) -> list[Option]:
        if len(node.forced) > 1:
            raise _Shape("two forced items at one credential leaf")
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
            raise _Shape("too many candidates at a select leaf")
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
            raise _Shape("two derived credentials at one leaf")
        if (
            node.min_points is not None
            or getattr(node.rule, "min_grade", None) is not None
            or node.recent_cutoff is not None
        ):
            raise _Shape("a grade floor or recency on a derived credential")
        return list(self.node(self.p.roots[owners[0]]))

    def _take(self, node: Node, things: list[Thing], below: Option | None) -> Option:
        """The leaf with ``things`` applied (and the derived credential's inside ``below``).

        What ``below`` adds to the whole (its credits, grades and pairs) is added whether or
        not the derived credential is applied: the scorer counts the inside of a derived
        credential that is applied nowhere, too.
        """
        credits = points = weight = leaf_credits = 0.0
        dates: list[date] = []  # what windows see
        every: list[date] = []  # what dates a derived credential
        for thing in things:
            if isinstance(thing, int):
                item = self.p.items[thing]
                credits += item.credits
                leaf_credits += item.credits
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
                credits += own - below.credits  # the inside is added with `below`
                if below.latest is not None:
                    every.append(below.latest)
                    dates.append(below.latest)
        if node.kind == "credential":
            satisfied, progress = bool(things), 1.0 if things else 0.0
        else:
            satisfied, progress = _select_standing(node, len(things), leaf_credits)
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
        )
        return option if below is None else _add(option, below)

    def _pair_key(self, node: Node, thing: Thing) -> Key:
        cred = thing if isinstance(thing, str) else self.p.items[thing].credential
        return (node.path, cred)

    def _combinator(self, node: Node) -> list[Option]:
        kind, need, kids = node.kind, node.need, node.children
        # Partial options: the standing so far is (children met, capped at `need`; their
        # progress: the sum for `all`, the best for `any`, the best `need` values, largest
        # first, for at_least), then what the children chosen so far add to the whole.
        partial: list[tuple[int, tuple[float, ...], Option]] = [(0, (), _NOTHING)]
        for kid in kids:
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
                    grown.append((count, value, _join(acc, option)))
            partial = self._pareto_partial(grown, self._dates(node, fold=True))
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
    def _pareto(self, options: Iterable[Option], watch: Watch) -> list[Option]:
        """Drop every option that another is at least as good as, whatever the rest does."""
        kept: list[Option] = []
        for option in options:
            if any(self._dominates(k, option, watch) for k in kept):
                continue
            kept = [k for k in kept if not self._dominates(option, k, watch)]
            kept.append(option)
            if len(kept) > MAX_OPTIONS:
                raise _Shape("too many options")
        return kept

    def _dominates(self, a: Option, b: Option, watch: Watch) -> bool:
        if self.only_met:
            return a.satisfied >= b.satisfied and _dates_no_worse(a, b, watch)
        return (
            a.satisfied >= b.satisfied
            and a.progress >= b.progress - 1e-12
            and self._adds_no_worse(a, b, watch)
        )

    def _pareto_partial(
        self, options: list[tuple[int, tuple[float, ...], Option]], watch: Watch
    ) -> list[tuple[int, tuple[float, ...], Option]]:
        kept: list[tuple[int, tuple[float, ...], Option]] = []
        for entry in options:
            if any(self._partial_dominates(k, entry, watch) for k in kept):
                continue
            kept = [k for k in kept if not self._partial_dominates(entry, k, watch)]
            kept.append(entry)
            if len(kept) > MAX_OPTIONS:
                raise _Shape("too many options")
        return kept

    def _partial_dominates(
        self,
        a: tuple[int, tuple[float, ...], Option],
        b: tuple[int, tuple[float, ...], Option],
        watch: Watch,
    ) -> bool:
        if self.only_met:
            return a[0] >= b[0] and _dates_no_worse(a[2], b[2], watch)
        # the largest values so far, position by position: the parent's progress is their
        # mean (or the best) whatever values the remaining children bring
        return (
            a[0] >= b[0]
            and a[2].credits <= b[2].credits + 1e-9  # the cheapest test first
            and all(x >= y - 1e-12 for x, y in zip(a[1], b[1], strict=True))
            and self._adds_no_worse(a[2], b[2], watch)
        )

    def _adds_no_worse(self, a: Option, b: Option, watch: Watch) -> bool:
        """Whether ``a`` serves any whole at least as well as ``b`` (besides progress)."""
        if a.credits > b.credits + 1e-9:
            return False
        # GPA: (Pa + P) / (Wa + W) >= (Pb + P) / (Wb + W) for every rest only when Wa == Wb
        if abs(a.weight - b.weight) > 1e-9 or a.points < b.points - 1e-9:
            return False
        if not _dates_no_worse(a, b, watch):
            return False
        return _keys_no_later(a.keys, b.keys)


def _select_standing(node: Node, count: int, credits: float) -> tuple[bool, float]:
    """A select leaf's (satisfied, progress) with ``count`` things worth ``credits``."""
    need_count = getattr(node.rule, "count", None)
    need_credits = getattr(node.rule, "credits", None)
    ratios = [1.0]
    satisfied = True
    if need_count is not None:
        ratios.append(count / need_count)
        satisfied = satisfied and count >= need_count
    if need_credits is not None:
        ratios.append(credits / need_credits)
        satisfied = satisfied and credits >= need_credits - EPS
    return satisfied, min(ratios)


class Watch(NamedTuple):
    """Which dates of an option some window can still see."""

    span: bool  # its first and last date
    latest: bool  # its latest date (the date of the derived credential it fills)


def _dates_no_worse(a: Option, b: Option, watch: Watch) -> bool:
    """No window that accepts ``b`` can refuse ``a``."""
    if watch.latest and a.latest != b.latest:
        return False  # the date of a derived credential: which is better depends on the rest
    if not watch.span or a.first is None or a.last is None:
        return True
    if b.first is None or b.last is None:
        return False
    return a.first >= b.first and a.last <= b.last


def _strict_nodes(problem: Problem) -> dict[int, float]:
    """Nodes where more progress means more progress at the target's root, each with the
    number of leaves-worth its progress is diluted by on the way up.

    The root itself; every child of such an `all` (its progress is the mean of its ``k``
    children's, so it counts ``k`` times less); and the rule of a derived credential that
    such a leaf can take in no other way (no earned item of it): that leaf reports the
    rule's progress, or 1 when it takes the credential, which needs the rule met.
    """
    root = problem.roots[problem.target]
    out = {root: 1.0}
    stack = [root]
    while stack:
        node = problem.nodes[stack.pop()]
        if node.waived:
            continue
        below: list[int] = []
        share = out[node.idx]
        if node.kind == "all":
            below = node.children
            share *= len(node.children)
        elif (
            node.kind == "credential"
            and not node.items
            and not node.forced
            and node.derived == [getattr(node.rule, "credential", None)]
        ):
            below = [problem.roots[node.derived[0]]]
        for idx in below:
            out[idx] = share
        stack.extend(below)
    return out


def _under_a_window(problem: Problem) -> set[int]:
    """Nodes with a `window` on a proper ancestor in the same rule."""
    out: set[int] = set()
    for node in problem.nodes:
        if node.rule.window_duration is not None and not node.waived:
            stack = list(node.children)
            while stack:
                below = problem.nodes[stack.pop()]
                out.add(below.idx)
                stack.extend(below.children)
    return out


def _dated_owners(problem: Problem, attached: dict[int, list[str]], windowed: set[int]) -> set[str]:
    """Derived credentials whose date a window sees, where they are taken or further up."""
    leaf_of = {cred: leaf for leaf, creds in attached.items() for cred in creds}
    out: set[str] = set()
    # inner credentials come first in derived_order: walk it outer first
    for cred in reversed(problem.derived_order):
        leaf = problem.nodes[leaf_of[cred]]
        if leaf.rule.window_duration is not None or leaf.idx in windowed or leaf.owner in out:
            out.add(cred)
    return out


def _attachments(problem: Problem) -> dict[int, list[str]]:
    """The one leaf each derived credential hangs from; raises :class:`_Shape` otherwise.

    Also refuses contention: an item (or derived credential) that is a candidate at two
    leaves, a shared leaf, or a leaf outside a derived credential that reports its progress.
    """
    seen: set[Thing] = set()
    attached: dict[int, list[str]] = {}
    for node in problem.nodes:
        if not node.is_leaf or node.waived:
            continue
        if node.share:
            raise _Shape("a shared leaf")
        things: list[Thing] = [*node.items, *node.forced, *node.derived]
        for thing in things:
            if thing in seen:
                raise _Shape("contention")
            seen.add(thing)
        for cred in node.derived:
            attached.setdefault(node.idx, []).append(cred)
        named = getattr(node.rule, "credential", None)
        if (
            node.kind == "credential"
            and named in problem.roots
            and named != problem.target
            and named not in node.derived
        ):
            raise _Shape("a leaf reports the progress of a credential it cannot take")
    if len(problem.roots) - 1 != sum(len(v) for v in attached.values()):
        raise _Shape("a derived credential no leaf (or two leaves) can take")
    return attached


def _add(a: Option, inside: Option) -> Option:
    """``a`` plus what a derived credential's inside adds to the whole (not its dates)."""
    return a._replace(
        credits=a.credits + inside.credits,
        points=a.points + inside.points,
        weight=a.weight + inside.weight,
        keys=tuple(sorted(a.keys + inside.keys))
        if a.keys and inside.keys
        else a.keys or inside.keys,
        pairs=a.pairs + inside.pairs,
    )


def _join(a: Option, b: Option) -> Option:
    """Two sibling sub-trees together: what both add, and the dates of both."""
    added = _add(a, b)
    return added._replace(
        first=_earliest(a.first, b.first),
        last=_latest(a.last, b.last),
        latest=_latest(a.latest, b.latest),
    )


def _earliest(x: date | None, y: date | None) -> date | None:
    return y if x is None else x if y is None else min(x, y)


def _latest(x: date | None, y: date | None) -> date | None:
    return y if x is None else x if y is None else max(x, y)


def _keys_no_later(a: tuple[Key, ...], b: tuple[Key, ...]) -> bool:
    """Whether ``a`` with any disjoint rest sorts no later than ``b`` with the same rest.

    Lists compare at their first difference; the smallest key in one set and not the other
    decides, unless the other set ends before it (a prefix comes first): so ``a`` wins
    whatever the rest only when that key is ``a``'s and ``b`` has a later key of its own.
    """
    if a == b:
        return True
    sa, sb = set(a), set(b)
    if len(sa) != len(a) or len(sb) != len(b):
        return False  # the same key twice: leave such options to the end
    first = min(sa ^ sb)
    return first in sa and any(key > first for key in b)
