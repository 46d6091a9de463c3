"""What the tree solver reads off a problem before it starts: whether it takes it on, and
which nodes' options it may prune harder.
"""

from __future__ import annotations

from rules.problem import Node, Problem
from rules.score import Thing


class Shape(Exception):
    """The problem (or its options) is outside what the tree solver takes on."""


def attachments(problem: Problem) -> dict[int, list[str]]:
    """The one leaf each derived credential hangs from; raises :class:`Shape` otherwise.

    Also refuses contention: an item (or derived credential) that is a candidate at two
    leaves, a shared leaf, or a leaf outside a derived credential that reports its progress.
    """
    seen: set[Thing] = set()
    attached: dict[int, list[str]] = {}
    for node in problem.nodes:
        if not node.is_leaf or node.waived:
            continue
        if node.share:
            raise Shape("a shared leaf")
        things: list[Thing] = [*node.items, *node.forced, *node.derived]
        for thing in things:
            if thing in seen:
                raise Shape("contention")
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
            raise Shape("a leaf reports the progress of a credential it cannot take")
    if len(problem.roots) - 1 != sum(len(v) for v in attached.values()):
        raise Shape("a derived credential no leaf (or two leaves) can take")
    return attached


def strict_nodes(problem: Problem) -> dict[int, float]:
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
        if node.kind == "all" and not any(
            lim.at_least is not None for lim in node.rule.limits or []
        ):
            # (an `at_least` limit caps this node's progress at its amount: past that cap,
            # more progress below is not more here)
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


def under_a_window(problem: Problem) -> set[int]:
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


def dated_owners(problem: Problem, attached: dict[int, list[str]], windowed: set[int]) -> set[str]:
    """Derived credentials whose date a window sees, where they are taken or further up."""
    out: set[str] = set()
    for cred, leaf in _outer_first(problem, attached):
        if leaf.rule.window_duration is not None or leaf.idx in windowed or leaf.owner in out:
            out.add(cred)
    return out


def open_sums(problem: Problem) -> dict[int, list[int]]:
    """Each leaf's nodes (itself and its ancestors in the same rule) with `min_gpa` or
    `limits`: the sums its options carry until those nodes check them.

    Raises :class:`Shape` where a floor would count a derived credential's grade (its
    sources include ``derived`` and a leaf below it may take one): the tree solver leaves
    that to the others.
    """
    out: dict[int, list[int]] = {}
    for node in problem.nodes:
        if not node.is_leaf or node.waived:
            continue
        above: list[int] = []
        at: int | None = node.idx
        while at is not None:
            rule = problem.nodes[at].rule
            floor = rule.gpa_floor
            if floor is not None and node.derived and "derived" in floor.sources:
                raise Shape("a GPA floor over a derived credential's grade")
            if floor is not None or rule.limits:
                above.append(at)
            at = problem.nodes[at].parent
        if above:
            out[node.idx] = above
    return out


def summed_owners(problem: Problem, attached: dict[int, list[str]]) -> set[str]:
    """The target, and derived credentials whose inside counts in the total credits as is.

    A derived credential worth a catalog figure replaces what is inside it once it is taken,
    so fewer credits inside it are not fewer in the whole; one worth what is inside it
    passes them on, if what it sits in does.
    """
    out = {problem.target}
    for cred, leaf in _outer_first(problem, attached):
        if problem.derivations[cred].credits is None and leaf.owner in out:
            out.add(cred)
    return out


def _outer_first(problem: Problem, attached: dict[int, list[str]]) -> list[tuple[str, Node]]:
    """Each derived credential with the leaf that takes it, outer credentials first.

    What holds for a credential can then depend on what holds for the one it sits in.
    """
    leaf_of = {cred: leaf for leaf, creds in attached.items() for cred in creds}
    # derived_order lists inner credentials first
    return [(cred, problem.nodes[leaf_of[cred]]) for cred in reversed(problem.derived_order)]
