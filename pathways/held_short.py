"""Credentials a learner holds that a requirement will not count: why a plan cannot help.

A plan never proposes a credential the learner already holds (contract section 5), so a
course held with too low a grade, too low a score or too long ago can leave a goal with no
plan at all. A learner reading "cannot be reached" should be told which one, and why.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from rules.items import Item
from rules.model import CredentialRule
from rules.problem import Problem


def held_short(problem: Problem, held: Sequence[Item], label: Callable[[int], str]) -> list[str]:
    """One line per held credential a credential leaf of ``problem`` turns away.

    ``held`` are the learner's countable items (the first ones of ``problem.items``);
    ``label`` names a leaf as a learner would read it. Lines are sorted and distinct.
    """
    lines: set[str] = set()
    for node in problem.nodes:
        rule = node.rule
        if not isinstance(rule, CredentialRule) or node.waived:
            continue
        for index, item in enumerate(held):
            if item.in_progress or item.forced or rule.credential not in item.matches:
                continue
            if index in node.items or index in node.forced:
                continue
            why = _why(problem, node.min_points, node.recent_cutoff, rule, item)
            if why:
                lines.add(f'{item.credential} is held, but "{label(node.idx)}" asks for {why}')
    return sorted(lines)


def _why(
    problem: Problem,
    floor: float | None,
    cutoff: date | None,
    rule: CredentialRule,
    item: Item,
) -> str:
    wants: list[str] = []
    # ``floor`` is the node's effective one: its own min_grade and its ancestors' (rules.problem)
    if floor is not None and (item.points is None or item.points < floor):
        letter = _letter(problem, floor)
        wants.append(f"a grade of {letter} or better (held: {item.grade or 'no grade'})")
    if rule.min_score is not None and (item.score is None or item.score < rule.min_score):
        held = "no score" if item.score is None else f"{item.score:g}"
        wants.append(f"a score of {rule.min_score:g} or more (held: {held})")
    if cutoff is not None and item.earned_on < cutoff:
        wants.append(f"one earned on or after {cutoff} (held: {item.earned_on})")
    return " and ".join(wants)


def _letter(problem: Problem, points: float) -> str:
    """The grade letter worth ``points`` (the lowest such letter), else the points."""
    letters = sorted(g for g, p in problem.scale.items() if p == points)
    return letters[0] if letters else f"{points:g} grade points"
