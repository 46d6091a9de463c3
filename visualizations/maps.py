"""Pathway maps: a catalog (or one goal's part of it) as Graphviz DOT, optionally with a
learner's state overlaid and their recommended plan highlighted.

The DOT text is built by hand in sorted order so the same inputs always give the same bytes
(golden-file tests rely on it); SVG and PNG come from the real ``dot`` binary.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import graphviz

from pathways.catalog import Catalog
from pathways.evaluate import evaluate
from pathways.graph import PREREQUISITE, SAME_AS, STACKS, TRANSFER, PathwayGraph
from pathways.items import countable_items
from pathways.recommend import Recommender
from pathways.record import LearnerRecord
from visualizations import style


def quote(text: str) -> str:
    """A DOT double-quoted string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def attrs(values: dict[str, str]) -> str:
    """``[k="v", ...]`` in key order (``style+`` entries are folded into ``style``)."""
    merged = dict(values)
    extra = merged.pop("style+", None)
    if extra:
        merged["style"] = ",".join(p for p in (merged.get("style", ""), extra) if p)
    return "[" + ", ".join(f"{k}={quote(v)}" for k, v in sorted(merged.items())) + "]"


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


@dataclass
class _Overlay:
    """What a learner's record says about each credential on the map."""

    states: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    plan: list[str] = field(default_factory=list)
    plan_total: float | None = None


def _overlay(
    catalog: Catalog,
    graph: PathwayGraph,
    record: LearnerRecord,
    shown: set[str],
    target: str | None,
    day: dt.date,
) -> _Overlay:
    out = _Overlay()
    countable = countable_items(catalog, record, target or "", day)
    held = {c for i in countable.items for c in catalog.equivalents[i.credential]}
    taking = {c for i in countable.in_progress for c in catalog.equivalents[i.credential]}
    lapsed = set(countable.lapsed)
    recommender = Recommender(catalog, graph)
    for cid in sorted(shown):
        cred = catalog.credentials[cid]
        if cid in held:
            out.states[cid] = "held"
        elif cred.requires is not None:
            decision = evaluate(catalog, record, cid, day)
            if decision.status == "met":
                out.states[cid] = "held"
            elif decision.status == "in_progress":
                out.states[cid] = "in_progress"
            elif decision.progress > 0:
                out.states[cid] = "partial"
                out.notes[cid] = f"{round(decision.progress * 100)}% done"
        elif cid in taking:
            out.states[cid] = "in_progress"
        elif cid in lapsed:
            out.states[cid] = "lapsed"
        else:
            ready = recommender.prerequisites_met(record, cid, day)
            out.states[cid] = "next" if ready else "locked"
    if target is not None and catalog.credentials[target].requires is not None:
        answer = recommender.for_goal(record, target, "cost", day)
        out.plan = list(answer["plan"] or [])
        out.plan_total = answer["plan_total"]
    return out


def _label(catalog: Catalog, cid: str, overlay: _Overlay | None) -> str:
    cred = catalog.credentials[cid]
    facts: list[str] = []
    credits = catalog.credits_of(cid)
    if credits is not None:
        facts.append(f"{_num(credits)} cr")
    if cred.cost is not None:
        facts.append(f"${_num(cred.cost)}")
    if cred.hours is not None:
        facts.append(f"{_num(cred.hours)} h")
    lines = [cred.name or cid, cid + (" · " + " · ".join(facts) if facts else "")]
    if overlay is not None:
        state = overlay.states.get(cid)
        tag = style.STATE[state][0] if state else ""
        note = overlay.notes.get(cid)
        if cid in overlay.plan:
            tag = f"{tag} · plan step {overlay.plan.index(cid) + 1}".strip(" ·")
        if note:
            tag = f"{tag} ({note})"
        if tag:
            lines.append(tag)
    return "\n".join(_wrap(line) for line in lines)


def _wrap(text: str, width: int = 30) -> str:
    words, lines, line = text.split(" "), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines)


def _clusters(catalog: Catalog, graph: PathwayGraph, shown: set[str]) -> dict[str, list[str]]:
    """Stacked credential -> the plain credentials drawn inside its box.

    A node can sit in one box only: each plain credential goes to the smallest stacked
    credential that names it directly (ties: first id); selects do not place nodes.
    """
    size: dict[str, int] = {}
    homes: dict[str, list[str]] = {}
    for u, v, data in graph.graph.edges(data=True):
        if data.get("kind") == STACKS and data.get("via") == "direct":
            size[v] = size.get(v, 0) + 1
            homes.setdefault(u, []).append(v)
    out: dict[str, list[str]] = {}
    for cid in sorted(shown):
        if catalog.credentials[cid].requires is not None or cid not in homes:
            continue
        owners = [o for o in homes[cid] if o in shown]
        if owners:
            home = min(owners, key=lambda o: (size[o], o))
            out.setdefault(home, []).append(cid)
    return out


def catalog_map(
    catalog: Catalog,
    *,
    record: LearnerRecord | None = None,
    target: str | None = None,
    as_of: dt.date | None = None,
    graph: PathwayGraph | None = None,
) -> str:
    """DOT text of the pathway map of ``catalog`` (or of ``target``'s subgraph).

    With ``record`` each credential shows the learner's state (held, in progress, available
    next, locked, lapsed; stacked ones their progress) and, with a ``target``, the
    recommended cheapest plan is drawn in red with its step numbers.
    """
    graph = graph or PathwayGraph(catalog)
    day = as_of or dt.date.today()
    g = graph.graph
    shown = set(graph.subgraph_nodes(target)) if target is not None else set(g.nodes)
    shown = {n for n in shown if g.nodes[n].get("kind") != "skill"}
    creds = {n for n in shown if graph.is_credential(n)}
    overlay = _overlay(catalog, graph, record, creds, target, day) if record else None
    title = catalog.doc.catalog.name or catalog.id
    heading = f"{title} {catalog.version}" + (f" — pathway to {target}" if target else "")
    if record is not None:
        heading += f" — {record.learner} as of {day.isoformat()}"
        if overlay is not None and target is not None:
            if overlay.plan_total is None:
                heading += " — goal out of reach"
            elif overlay.plan:
                heading += f" — plan total ${_num(overlay.plan_total)}"
    lines = [
        "digraph pathway {",
        f"  graph {attrs({**style.GRAPH, 'label': heading})};",
        f"  node {attrs({'fontname': style.FONT, 'fontsize': '10', 'margin': '0.12,0.05'})};",
        f"  edge {attrs({'fontname': style.FONT, 'fontsize': '9'})};",
    ]
    clusters = _clusters(catalog, graph, creds)
    placed = {c for members in clusters.values() for c in members}
    for owner in sorted(clusters):
        name = catalog.credentials[owner].name or owner
        lines.append(f"  subgraph {quote('cluster_' + owner)} {{")
        lines.append(f"    graph {attrs({**style.CLUSTER, 'label': 'stacks into ' + name})};")
        for cid in members_sorted(clusters[owner]):
            lines.append(f"    {quote(cid)} {attrs(_node_attrs(catalog, cid, overlay))};")
        lines.append("  }")
    for node in sorted(shown):
        if node in placed:
            continue
        if graph.is_credential(node):
            lines.append(f"  {quote(node)} {attrs(_node_attrs(catalog, node, overlay))};")
        else:
            data = g.nodes[node]
            text = _wrap(str(data.get("label", data.get("op", ""))), 22)
            lines.append(f"  {quote(node)} {attrs({**style.RULE, 'label': text})};")
    lines += _edges(graph, shown, overlay)
    if overlay is not None:
        lines += _legend(overlay)
    lines.append("}")
    return "\n".join(lines) + "\n"


def members_sorted(members: list[str]) -> list[str]:
    """Cluster members in id order."""
    return sorted(members)


def _node_attrs(catalog: Catalog, cid: str, overlay: _Overlay | None) -> dict[str, str]:
    stacked = catalog.credentials[cid].requires is not None
    out = dict(style.STACKED if stacked else style.CREDENTIAL)
    out["label"] = _label(catalog, cid, overlay)
    if overlay is not None:
        state = overlay.states.get(cid)
        if state:
            out.update(style.STATE[state][1])
        if cid in overlay.plan:
            out.update(style.PLAN)
    return out


def _edges(graph: PathwayGraph, shown: set[str], overlay: _Overlay | None) -> list[str]:
    out: list[tuple[str, str, str, dict[str, str]]] = []
    plan = set(overlay.plan) if overlay else set()
    for u, v, data in graph.graph.edges(data=True):
        if u not in shown or v not in shown:
            continue
        kind = data.get("kind")
        if kind == PREREQUISITE:
            values = dict(style.EDGE["prerequisite"])
            if data.get("via") == "select":
                values["style"] = "solid"
                values["color"] = "#a0a0a0"
        elif kind == STACKS:
            values = dict(style.EDGE["stacks" if data.get("via") == "direct" else "select"])
        elif kind == SAME_AS:
            values = dict(style.EDGE["same_as"])
            values["label"] = "same as"
        elif kind == TRANSFER:
            values = dict(style.EDGE["transfer"])
            credits = data.get("credits")
            values["label"] = f"transfer {_num(credits)} cr" if credits is not None else "transfer"
        else:
            continue
        if u in plan and (v in plan or not graph.is_credential(v) or kind == STACKS):
            values.update(style.EDGE["plan"])
        out.append((u, v, str(kind), values))
    out.sort(key=lambda e: (e[0], e[1], e[2]))
    return [f"  {quote(u)} -> {quote(v)} {attrs(values)};" for u, v, _, values in out]


def _legend(overlay: _Overlay) -> list[str]:
    lines = [
        f"  subgraph {quote('cluster_legend')} {{",
        f"    graph {attrs({**style.LEGEND, 'label': 'Legend'})};",
    ]
    for state in style.LEGEND_ORDER:
        tag, values = style.STATE[state]
        node = {**style.CREDENTIAL, **values, "label": tag}
        lines.append(f"    {quote('legend_' + state)} {attrs(node)};")
    plan = {**style.CREDENTIAL, **style.PLAN, "label": "plan step (red border)"}
    lines.append(f"    {quote('legend_plan')} {attrs(plan)};")
    edges = [
        ("prerequisite", "prerequisite (solid)"),
        ("stacks", "stacks into (dashed)"),
        ("same_as", "equivalent (dotted)"),
    ]
    for kind, text in edges:
        a, b = f"legend_{kind}_a", f"legend_{kind}_b"
        point = {"shape": "point", "width": "0.05"}
        lines.append(f"    {quote(a)} {attrs(point)};")
        lines.append(f"    {quote(b)} {attrs(point)};")
        lines.append(f"    {quote(a)} -> {quote(b)} {attrs({**style.EDGE[kind], 'label': text})};")
    lines.append("  }")
    return lines


def to_svg(dot: str) -> bytes:
    """Render DOT text to SVG with the ``dot`` binary."""
    return bytes(graphviz.Source(dot).pipe(format="svg"))


def to_png(dot: str) -> bytes:
    """Render DOT text to PNG with the ``dot`` binary."""
    return bytes(graphviz.Source(dot).pipe(format="png"))
