"""The skill-gap view: the skills a goal carries that the learner's items do not, and the
credentials that teach them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pathways.catalog import Catalog
from pathways.graph import PathwayGraph
from pathways.items import countable_items
from pathways.plan import Measure, measure_of
from pathways.record import LearnerRecord
from rules.model import SkillRule, walk

#: How many teaching credentials to list per missing skill (cheapest first).
TEACHERS = 5


def goal_skills(catalog: Catalog, graph: PathwayGraph, goal: str) -> dict[str, int]:
    """Skill -> level a goal carries: its own skills and skill rules, else those of every
    credential it depends on (a degree rarely lists its skills itself)."""
    cred = catalog.credentials[goal]
    out: dict[str, int] = {}
    for ref in cred.skill_refs():
        out[ref.skill] = max(out.get(ref.skill, 0), ref.level)
    if cred.requires is not None:
        for node in walk(cred.requires):
            if isinstance(node, SkillRule):
                out[node.skill] = max(out.get(node.skill, 0), node.level)
    if not out:
        for cid in graph.depends_on(goal):
            for ref in catalog.credentials[cid].skill_refs():
                out[ref.skill] = max(out.get(ref.skill, 0), ref.level)
    return out


def skill_gap(
    catalog: Catalog,
    graph: PathwayGraph,
    record: LearnerRecord,
    goal: str,
    as_of: dt.date,
    by: Measure = "cost",
) -> list[dict[str, Any]]:
    """Each skill of ``goal`` the learner's countable items lack (or hold at a lower level),
    with the credentials that teach it at that level, cheapest by ``by`` first."""
    countable = countable_items(catalog, record, goal, as_of)
    have: dict[str, int] = {}
    held: set[str] = set()
    for item in countable.items:
        held |= catalog.equivalents[item.credential]
        for skill, level in item.skills:
            have[skill] = max(have.get(skill, 0), level)
    out: list[dict[str, Any]] = []
    for skill, level in sorted(goal_skills(catalog, graph, goal).items()):
        if have.get(skill, -1) >= level:
            continue
        teachers = sorted(
            (measure_of(catalog, cid, by), cid)
            for cid, cred in catalog.credentials.items()
            if cid not in held
            and cred.requires is None
            and any(r.skill == skill and r.level >= level for r in cred.skill_refs())
        )
        known = catalog.skills.get(skill)
        out.append(
            {
                "skill": skill,
                "name": (known.name if known else None) or skill,
                "level": level,
                "have": have.get(skill),
                "taught_by": [cid for _, cid in teachers[:TEACHERS]],
            }
        )
    return out
