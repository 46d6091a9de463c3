"""The options the tree solver keeps for a sub-tree, and how two of them compare.

An option is one way to fill a sub-tree: its own standing (met, progress) and what it adds
to the whole (credits, graded points and weight, the (path, credential) pairs, dates). The
comparisons here say when one option serves *every* completion of the rest of the tree at
least as well as another, which is what lets :mod:`rules.tree` drop the other.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from rules.score import Thing

Key = tuple[str, str]  # (rule path, credential): what the contract's pair order sorts
SumKey = tuple[int, int]  # (node, slot) of a sum a qualifier checks


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
    # Sums that `min_gpa` and `limits` at or above this sub-tree (in the same rule) still
    # have to check, each oriented so that more is better: (grade points - floor) x credits;
    # minus the amount an `at_most` caps; the amount an `at_least` asks for. Keyed by
    # (node, slot): slot -1 is the GPA floor, 2j the cap and 2j + 1 the floor of limit j.
    slacks: tuple[tuple[SumKey, float], ...] = ()


NOTHING = Option(True, 0.0, 0.0, 0.0, 0.0, (), ())


class Watch(NamedTuple):
    """What the rest of the tree still sees of an option at a node."""

    span: bool  # its first and last date (a window above)
    latest: bool  # its latest date (the date of the derived credential it fills)
    # its credits count in the total as they are: no derived credential above it (in which
    # it sits) is worth a catalog figure that replaces what is inside
    credits: bool = True
    # its credits are the worth of the derived credential whose rule it fills (one with no
    # catalog figure): fewer are fewer in the total, but less toward a credit requirement
    # that takes the credential, so neither of two options with different credits is better
    worth: bool = False


def dates_no_worse(a: Option, b: Option, watch: Watch) -> bool:
    """No window that accepts ``b`` can refuse ``a``."""
    if watch.latest and a.latest != b.latest:
        return False  # the date of a derived credential: which is better depends on the rest
    if not watch.span or a.first is None or a.last is None:
        return True
    if b.first is None or b.last is None:
        return False
    return a.first >= b.first and a.last <= b.last


def slacks_no_worse(a: Option, b: Option) -> bool:
    """No GPA floor or limit still open above that accepts ``b`` can refuse ``a``."""
    if not a.slacks and not b.slacks:
        return True
    theirs = dict(b.slacks)
    return all(value >= theirs.get(floor, 0.0) - 1e-12 for floor, value in a.slacks)


def merge_slacks(
    a: tuple[tuple[SumKey, float], ...], b: tuple[tuple[SumKey, float], ...]
) -> tuple[tuple[SumKey, float], ...]:
    """Two sub-trees' sums toward the same qualifiers, added up."""
    if not a or not b:
        return a or b
    total = dict(a)
    for floor, value in b:
        total[floor] = total.get(floor, 0.0) + value
    return tuple(sorted(total.items()))


def keys_no_later(a: tuple[Key, ...], b: tuple[Key, ...]) -> bool:
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


def add(a: Option, inside: Option) -> Option:
    """``a`` plus what a derived credential's inside adds to the whole (not its dates)."""
    return _sum(a, inside, a.first, a.last, a.latest, a.slacks)


def join(a: Option, b: Option) -> Option:
    """Two sibling sub-trees together: what both add, and the dates of both."""
    return _sum(
        a,
        b,
        earliest(a.first, b.first),
        latest(a.last, b.last),
        latest(a.latest, b.latest),
        merge_slacks(a.slacks, b.slacks),
    )


def _sum(
    a: Option,
    b: Option,
    first: date | None,
    last: date | None,
    latest_: date | None,
    slacks: tuple[tuple[SumKey, float], ...],
) -> Option:
    # One constructor call, not ``_replace`` (twice, as before): the tree solver builds
    # thousands of options a decision, and this was a tenth of its time.
    return Option(
        a.satisfied,
        a.progress,
        a.credits + b.credits,
        a.points + b.points,
        a.weight + b.weight,
        tuple(sorted(a.keys + b.keys)) if a.keys and b.keys else a.keys or b.keys,
        a.pairs + b.pairs,
        first,
        last,
        latest_,
        slacks,
    )


def earliest(x: date | None, y: date | None) -> date | None:
    return y if x is None else x if y is None else min(x, y)


def latest(x: date | None, y: date | None) -> date | None:
    return y if x is None else x if y is None else max(x, y)
