"""``stackwise evaluate``: a learner's decision against a target, or against every goal."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from cli.app import app
from cli.common import SOLVER_BUDGET_HELP, Format, check_budget, emit, parse_day
from cli.text import decision_text, worth_table
from pathways.evaluate import evaluate as evaluate_target
from pathways.evaluate import evaluate_all
from pathways.loader import load_catalog
from pathways.record import load_record
from rules.linear import solver_budget


@app.command()
def evaluate(
    catalog: Path = typer.Option(..., "--catalog", help="Catalog file or folder."),
    learner: Path = typer.Option(..., "--learner", help="Learner record (JSON)."),
    target: str | None = typer.Option(None, "--target", help="Credential id to decide."),
    as_of: str | None = typer.Option(None, "--as-of", help="Decision date (default today)."),
    fmt: Format = typer.Option(Format.json, "--format", help="json or text."),
    budget: float | None = typer.Option(
        None, "--solver-budget", envvar="STACKWISE_SOLVER_BUDGET", help=SOLVER_BUDGET_HELP
    ),
) -> None:
    """Decide a learner against a target; without --target, what the whole stack is worth."""
    day = parse_day(as_of)
    seconds = check_budget(budget)
    loaded = load_catalog(catalog)
    record = load_record(learner)
    if target is not None:
        with solver_budget(seconds):
            decision = evaluate_target(loaded, record, target, day)
        emit(decision.to_json() if fmt is Format.json else decision_text(decision))
        return
    with solver_budget(seconds):
        decisions = evaluate_all(loaded, record, day)
    if fmt is Format.json:
        emit(json.dumps([d.model_dump(mode="json") for d in decisions], indent=2) + "\n")
    else:
        emit(worth_table(decisions))
