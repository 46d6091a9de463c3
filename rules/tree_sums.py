"""The sums `min_gpa` and `limits` check, as the tree solver carries them in its options.

Each is oriented so that more is better, keyed by (node, slot): slot -1 is the node's GPA
floor, ``(points - floor) x credits``; slot 2j is minus the amount limit j caps; slot
2j + 1 is the amount limit j asks for. A leaf adds its share (:func:`leaf_sums`); the
qualifier's node checks the total and closes it (:func:`check_sums`).
"""

from __future__ import annotations

from rules.problem import Node, Problem, matches_filter
from rules.score import EPS, UNMET_CAP, Thing, thing_item
from rules.tree_options import Option, SumKey


def leaf_sums(
    problem: Problem, above: list[int], things: list[Thing], worth: dict[Thing, float]
) -> tuple[tuple[SumKey, float], ...]:
    """What ``things`` at a leaf (worth ``worth`` credits each) add to each sum that a
    `min_gpa` or a limit at one of the nodes ``above`` checks, as the scorer counts them:
    never an item an `apply` exception put there; for a GPA floor, graded items from its
    sources, not in progress (derived credentials never reach one there)."""
    counted = [t for t in things if not (isinstance(t, int) and problem.items[t].forced)]
    out: list[tuple[SumKey, float]] = []
    for at in above:
        rule = problem.nodes[at].rule
        floor = rule.gpa_floor
        if floor is not None:
            total = 0.0
            for thing in counted:
                if not isinstance(thing, int):
                    continue
                item = problem.items[thing]
                if item.points is None or item.in_progress:
                    continue
                if item.source in floor.sources:
                    total += (item.points - floor.value) * item.credits
            out.append(((at, -1), total))
        for j, limit in enumerate(rule.limits or []):
            amount = sum(
                1.0 if limit.unit == "items" else worth[thing]
                for thing in counted
                if matches_filter(limit.where, thing_item(problem, thing))
            )
            if limit.at_most is not None:
                out.append(((at, 2 * j), -amount))
            if limit.at_least is not None:
                out.append(((at, 2 * j + 1), amount))
    return tuple(sorted(out))


def check_sums(node: Node, options: list[Option]) -> list[Option]:
    """This node's `min_gpa` and limits, checked on each option's sums (then closed).

    A broken floor or cap rules an option out; an `at_least` short of its amount leaves
    the node unmet, its progress no more than the share reached (as the scorer says).
    """
    rule, idx = node.rule, node.idx
    out: list[Option] = []
    for option in options:
        sums = dict(option.slacks)
        if rule.gpa_floor is not None and sums.get((idx, -1), 0.0) < -1e-7:
            continue
        satisfied, progress, broken = option.satisfied, option.progress, False
        for j, limit in enumerate(rule.limits or []):
            if limit.at_most is not None and -sums.get((idx, 2 * j), 0.0) > limit.at_most + EPS:
                broken = True
            if limit.at_least is not None:
                amount = sums.get((idx, 2 * j + 1), 0.0)
                if amount < limit.at_least - EPS:
                    satisfied = False
                    progress = min(progress, amount / limit.at_least)
        if broken:
            continue
        if not satisfied:
            progress = min(progress, UNMET_CAP)
        kept = tuple(x for x in option.slacks if x[0][0] != idx)
        out.append(option._replace(satisfied=satisfied, progress=progress, slacks=kept))
    return out
