"""A decision's explanation tree (contract section 4) as Graphviz DOT."""

from __future__ import annotations

from typing import Any

from pathways.decision import Decision
from visualizations.maps import attrs, quote
from visualizations.style import FONT

#: Status -> (tag, DOT attributes); shapes and borders differ too, for grey-scale prints.
STATUS: dict[str, tuple[str, dict[str, str]]] = {
    "met": ("✔ met", {"fillcolor": "#a6dba0", "color": "#1b7837", "penwidth": "2"}),
    "waived": ("✔ waived", {"fillcolor": "#d9f0d3", "color": "#1b7837", "style": "filled,dashed"}),
    "not_met": (
        "✘ not met",
        {"fillcolor": "#f4f4f4", "color": "#b2182b", "style": "filled,dotted", "penwidth": "2"},
    ),
}


def explanation_dot(decision: Decision) -> str:
    """DOT text of ``decision.explanation``: one box per rule node, children below."""
    title = f"{decision.target_name or decision.target}: {decision.status.replace('_', ' ')}"
    lines = [
        "digraph explanation {",
        f"  graph {attrs({'rankdir': 'TB', 'fontname': FONT, 'label': title, 'labelloc': 't'})};",
        f"  node {attrs({'fontname': FONT, 'fontsize': '10', 'shape': 'box', 'style': 'filled'})};",
    ]
    _node(decision.explanation, lines, None)
    lines.append("}")
    return "\n".join(lines) + "\n"


def _node(entry: dict[str, Any], lines: list[str], parent: str | None) -> None:
    if not entry:
        return
    ident = str(entry["rule"])
    tag, look = STATUS.get(str(entry["status"]), STATUS["not_met"])
    name = entry.get("name") or entry.get("id") or entry.get("credential") or ident
    label = f"{name}\n{tag} · {round(float(entry['progress']) * 100)}%\n{entry.get('why', '')}"
    shape = "box" if entry["kind"] in ("credential", "select", "skill") else "ellipse"
    lines.append(
        f"  {quote(ident)} {attrs({'shape': shape, 'style': 'filled', **look, 'label': label})};"
    )
    if parent is not None:
        lines.append(f"  {quote(parent)} -> {quote(ident)};")
    for child in entry.get("children", []):
        _node(child, lines, ident)
    if "derived" in entry:
        _node(entry["derived"], lines, ident)
    for inner in entry.get("derived_items", []):
        _node(inner, lines, ident)
