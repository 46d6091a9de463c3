"""Semantic checks of a catalog that pydantic's shape checks cannot make.

Each check yields ``(path, message)`` pairs; the loader turns paths into file:line.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import networkx as nx

from pathways.grades import US_4
from pathways.model import CatalogDocument, CustomScale
from pathways.sources import Path_

Problem = tuple[Path_, str]


def raw_rules(rule: Any, path: Path_) -> Iterator[tuple[Path_, Any]]:
    """Every node of a raw (already validated) rule with its path, parents first."""
    yield path, rule
    if isinstance(rule, dict):
        for key in ("all", "any", "of"):
            children = rule.get(key)
            if isinstance(children, list):
                for index, child in enumerate(children):
                    yield from raw_rules(child, (*path, key, index))


def raw_references(rule: Any) -> list[str]:
    """Credential ids a raw rule names (plain ids and ``credential:`` keys), in tree order."""
    out: list[str] = []
    for _, node in raw_rules(rule, ()):
        ref = node.get("credential") if isinstance(node, dict) else node
        if isinstance(ref, str):
            out.append(ref)
    return out


def _rule_fields(cred: dict[str, Any], index: int) -> Iterator[tuple[Path_, Any]]:
    for field in ("prerequisites", "requires"):
        if cred.get(field) is not None:
            yield from raw_rules(cred[field], ("credentials", index, field))


def _filters(node: dict[str, Any], path: Path_) -> Iterator[tuple[Path_, dict[str, Any]]]:
    if isinstance(node.get("select"), dict):
        yield (*path, "select"), node["select"]
    for i, limit in enumerate(node.get("limits") or []):
        if isinstance(limit, dict) and isinstance(limit.get("where"), dict):
            yield (*path, "limits", i, "where"), limit["where"]


def check(doc: CatalogDocument, raw: dict[str, Any]) -> list[Problem]:
    """Every semantic problem of a shape-valid catalog."""
    problems: list[Problem] = []
    creds: list[dict[str, Any]] = raw.get("credentials") or []
    skills: list[dict[str, Any]] = raw.get("skills") or []
    # -- ids ----------------------------------------------------------------------------------
    seen: dict[str, Path_] = {}
    for key, entries in (("skills", skills), ("credentials", creds)):
        for index, entry in enumerate(entries):
            ident = entry["id"]
            if ident in seen:
                first = "/".join(map(str, seen[ident]))
                problems.append(((key, index, "id"), f"duplicate id {ident!r} (first at /{first})"))
            else:
                seen[ident] = (key, index)
    cred_ids = {c["id"] for c in creds}
    skill_ids = {s["id"] for s in skills}
    rule_ids: dict[str, Path_] = {}
    scale = doc.catalog.grade_scale
    grades = (
        set(US_4.points) | US_4.passing | US_4.failing
        if not isinstance(scale, CustomScale)
        else set(scale.points) | set(scale.pass_) | set(scale.fail)
    )

    def need_cred(path: Path_, ident: Any, what: str) -> None:
        if ident not in cred_ids:
            problems.append((path, f"{what} {ident!r} is not a credential of this catalog"))

    def need_skill(path: Path_, ident: Any, what: str) -> None:
        if ident not in skill_ids:
            problems.append((path, f"{what} {ident!r} is not a skill of this catalog"))

    for index, cred in enumerate(creds):
        owner = cred["id"]
        for j, other in enumerate(cred.get("same_as") or []):
            need_cred(("credentials", index, "same_as", j), other, f"{owner}: same_as")
        for j, ref in enumerate(cred.get("skills") or []):
            name = ref if isinstance(ref, str) else ref.get("skill")
            need_skill(("credentials", index, "skills", j), name, f"{owner}: skill")
        for path, node in _rule_fields(cred, index):
            if isinstance(node, str):
                need_cred(path, node, f"{owner}: rule names credential")
                continue
            if "credential" in node:
                need_cred(
                    (*path, "credential"), node["credential"], f"{owner}: rule names credential"
                )
            if "skill" in node:
                need_skill((*path, "skill"), node["skill"], f"{owner}: rule names skill")
            rid = node.get("id")
            if rid is not None:
                if rid in cred_ids or rid in skill_ids:
                    problems.append(
                        (
                            (*path, "id"),
                            f"{owner}: rule id {rid!r} is also a credential or skill id",
                        )
                    )
                elif rid in rule_ids:
                    first = "/".join(map(str, rule_ids[rid]))
                    problems.append(
                        ((*path, "id"), f"{owner}: duplicate rule id {rid!r} (first at /{first})")
                    )
                else:
                    rule_ids[rid] = path
            grade = node.get("min_grade")
            if grade is not None and grade not in grades:
                problems.append(
                    (
                        (*path, "min_grade"),
                        f"{owner}: min_grade {grade!r} is not on the grade scale",
                    )
                )
            for fpath, flt in _filters(node, path):
                for j, ident in enumerate(flt.get("ids") or []):
                    need_cred((*fpath, "ids", j), ident, f"{owner}: filter id")
                for j, ident in enumerate(flt.get("skills") or []):
                    need_skill((*fpath, "skills", j), ident, f"{owner}: filter skill")
    for index, tv in enumerate(raw.get("transfer_values") or []):
        need_cred(("transfer_values", index, "from"), tv.get("from"), "transfer value from")
        need_cred(("transfer_values", index, "to"), tv.get("to"), "transfer value to")
        for j, ident in enumerate(tv.get("counts_as") or []):
            need_cred(("transfer_values", index, "counts_as", j), ident, "transfer value counts_as")
    if not problems:
        problems.extend(_cycles(creds))
    return problems


def _cycles(creds: list[dict[str, Any]]) -> list[Problem]:
    graph: nx.DiGraph = nx.DiGraph()
    where: dict[str, int] = {}
    for index, cred in enumerate(creds):
        where[cred["id"]] = index
        graph.add_node(cred["id"])
        for path, node in _rule_fields(cred, index):
            ref = node if isinstance(node, str) else node.get("credential")
            if isinstance(ref, str):
                graph.add_edge(cred["id"], ref, field=path[2])
    problems: list[Problem] = []
    reported: set[frozenset[str]] = set()
    for component in sorted(nx.strongly_connected_components(graph), key=sorted):
        members = sorted(component)
        if len(members) == 1 and not graph.has_edge(members[0], members[0]):
            continue
        cycle = nx.find_cycle(graph.subgraph(members), source=members[0])
        ids = [edge[0] for edge in cycle]
        key = frozenset(ids)
        if key in reported:
            continue
        reported.add(key)
        steps = " -> ".join(
            f"{a} ({graph.edges[a, b]['field']})" for a, b in ((e[0], e[1]) for e in cycle)
        )
        problems.append(
            (
                ("credentials", where[ids[0]], "id"),
                f"cycle through {', '.join(sorted(component))}: {steps} -> {ids[0]}",
            )
        )
    return problems
