"""Readable text forms of decisions, as a registrar would print them."""

from __future__ import annotations

from typing import Any

from pathways.decision import Decision

MARK = {"met": "✔", "waived": "✔", "not_met": "✘"}


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def decision_text(decision: Decision) -> str:
    """A decision as an indented requirement tree with check marks and what is missing."""
    title = decision.target_name or decision.target
    status = decision.status.replace("_", " ").upper()
    lines = [
        f"{title} ({decision.target}) for {decision.learner or 'learner'} as of {decision.as_of}",
        f"Status: {status}   progress {round(decision.progress * 100)}%   "
        f"credits applied {_num(decision.credits_applied)}"
        + (f"   GPA {decision.gpa:.2f}" if decision.gpa is not None else ""),
        "",
    ]
    _tree(decision.explanation, 0, lines)
    if decision.missing:
        lines += ["", "Still needed:"]
        lines += [f"  - {m.requirement}: {m.need}" for m in decision.missing]
    for label, values in (
        ("Not used", decision.unused),
        ("In progress", decision.in_progress_items),
        ("Lapsed", decision.lapsed),
        ("Not in this catalog", decision.unrecognized),
    ):
        if values:
            lines.append(f"{label}: {', '.join(values)}")
    for exc in decision.exceptions_used:
        kind = next(k for k in ("waive", "substitute", "apply") if k in exc)
        lines.append(
            f"Exception used: {kind} {exc[kind]}"
            + (f" — {exc['reason']}" if exc.get("reason") else "")
        )
    for note in decision.notes:
        lines.append(f"Note: {note}")
    lines.append(
        f"Catalog {decision.catalog.id} {decision.catalog.version} "
        f"({decision.catalog.hash[:19]}…), engine {decision.engine_version}"
    )
    return "\n".join(lines) + "\n"


def _tree(node: dict[str, Any], depth: int, lines: list[str]) -> None:
    mark = MARK.get(node["status"], "?")
    label = (
        node.get("name")
        or node.get("id")
        or node.get("credential")
        or node["rule"].rsplit("/", 1)[-1]
    )
    text = f"{'  ' * depth}{mark} {label}"
    compound = node["kind"] in ("all", "any", "at_least", "select")
    if compound or node["status"] != "met" or node.get("applied"):
        text += f" — {node['why']}"
    if node["status"] == "not_met" and node["progress"] > 0:
        text += f" ({round(node['progress'] * 100)}%)"
    lines.append(text)
    if node["kind"] == "select" and node.get("applied"):
        lines.append(f"{'  ' * (depth + 1)}applied: {', '.join(node['applied'])}")
    for child in node.get("children", []):
        _tree(child, depth + 1, lines)
    if "derived" in node:
        _tree(node["derived"], depth + 1, lines)
    for inner in node.get("derived_items", []):
        _tree(inner, depth + 1, lines)


def worth_table(decisions: list[Decision]) -> str:
    """'What is my stack worth': one row per stacked credential."""
    width = max([len(d.target) for d in decisions] + [10])
    lines = [f"{'credential':<{width}}  {'status':<11}  {'progress':>8}  {'credits':>7}"]
    for d in decisions:
        lines.append(
            f"{d.target:<{width}}  {d.status:<11}  {round(d.progress * 100):>7}%  "
            f"{_num(d.credits_applied):>7}"
        )
    return "\n".join(lines) + "\n"
