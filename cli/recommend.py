"""``stackwise recommend``: the cheapest way to a goal, or the goals a learner is nearest to."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from cli.app import app
from cli.common import SOLVER_BUDGET_HELP, Format, check_budget, emit, parse_day
from pathways.loader import load_catalog
from pathways.plan import check_measure
from pathways.recommend import recommend as recommend_goal
from pathways.record import load_record
from rules.linear import solver_budget


def _money(by: str, value: float | None) -> str:
    if value is None:
        return "-"
    text = str(int(value)) if float(value).is_integer() else f"{value:g}"
    return {"cost": f"${text}", "hours": f"{text} hours", "credits": f"{text} credits"}[by]


def goal_text(out: dict[str, Any]) -> str:
    """A short answer a learner reads."""
    name = out.get("goal_name") or out["goal"]
    lines = [f"Goal: {name} ({out['goal']}) — {out['learner']}, as of {out['as_of']}"]
    if out["plan"] is None:
        lines.append(f"Not reachable: {out.get('reason', '')}")
    elif not out["plan"]:
        lines.append(
            "Nothing left to earn: "
            + (
                "you have met this goal."
                if out["status"] == "met"
                else "it will be met when your courses in progress are completed."
            )
        )
    else:
        lines.append(
            f"Cheapest plan by {out['by']}: {len(out['plan'])} credential(s), "
            f"total {_money(out['by'], out['plan_total'])}"
        )
        for n, step in enumerate(out["steps"], 1):
            lines.append(f"  {n}. {step['credential']} — {step['name']} ({step['why']})")
        if out["next"]:
            lines.append("You can start now: " + ", ".join(s["credential"] for s in out["next"]))
    for gap in out.get("skill_gap", []):
        teachers = ", ".join(gap["taught_by"]) or "no credential in this catalog"
        lines.append(f"Skill to build: {gap['name']} (level {gap['level']}) — taught by {teachers}")
    return "\n".join(lines) + "\n"


def goals_text(out: dict[str, Any]) -> str:
    """The nearest goals as a short list."""
    lines = [f"Goals nearest for {out['learner']} as of {out['as_of']} (by {out['by']}):"]
    for n, goal in enumerate(out["goals"], 1):
        steps = ", ".join(s["credential"] for s in goal["next"]) or "-"
        total = (
            _money(out["by"], goal["plan_total"]) if goal["plan"] is not None else "out of reach"
        )
        lines.append(
            f"  {n}. {goal['goal']} — {round(goal['progress'] * 100)}% done, "
            f"{total} to go; start with: {steps}"
        )
    return "\n".join(lines) + "\n"


@app.command()
def recommend(
    catalog: Path = typer.Option(..., "--catalog", help="Catalog file or folder."),
    learner: Path = typer.Option(..., "--learner", help="Learner record (JSON)."),
    goal: str | None = typer.Option(None, "--goal", help="Credential id to plan for."),
    by: str = typer.Option("cost", "--by", help="cost, hours or credits."),
    as_of: str | None = typer.Option(None, "--as-of", help="Decision date (default today)."),
    limit: int = typer.Option(10, "--limit", help="How many goals without --goal."),
    fmt: Format = typer.Option(Format.json, "--format", help="json or text."),
    budget: float | None = typer.Option(
        None, "--solver-budget", envvar="STACKWISE_SOLVER_BUDGET", help=SOLVER_BUDGET_HELP
    ),
) -> None:
    """The cheapest plan to a goal; without --goal, the goals you are nearest to."""
    measure = check_measure(by)
    seconds = check_budget(budget)
    day = parse_day(as_of)
    loaded = load_catalog(catalog)
    record = load_record(learner)
    with solver_budget(seconds):
        out = recommend_goal(loaded, record, goal, by=measure, as_of=day, limit=limit)
    if fmt is Format.json:
        emit(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
    else:
        emit(goal_text(out) if goal is not None else goals_text(out))
