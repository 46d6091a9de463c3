"""``stackwise replay DECISION_ID``: recompute a logged decision and compare."""

from __future__ import annotations

import typer

from cli.app import app


@app.command()
def replay(decision_id: str = typer.Argument(..., help="A decision_id from the log.")) -> None:
    """Recompute a logged decision from its logged inputs: exit 0 same, 1 differs, 2 unknown."""
    from sqlmodel import Session

    from store import open_store
    from store.decisions import replay as replay_decision

    engine = open_store()
    try:
        with Session(engine) as session:
            result = replay_decision(session, decision_id)
    finally:
        engine.dispose()
    if result.same:
        typer.echo(f"same: decision {decision_id} recomputes identically ({result.logged_hash})")
        return
    typer.echo(f"differs: decision {decision_id}")
    typer.echo(f"  logged     {result.logged_hash}")
    typer.echo(f"  recomputed {result.recomputed_hash}")
    for line in result.differences:
        typer.echo(f"  - {line}")
    raise typer.Exit(1)
