"""``stackwise keys create``: issue an API key (printed once, as the last line)."""

from __future__ import annotations

import typer

from cli.app import app

keys_app = typer.Typer(help="API keys of the HTTP service.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")


@keys_app.command("create")
def create(
    role: str = typer.Option(..., "--role", help="designer, learner, auditor or admin."),
    learner: str | None = typer.Option(None, "--learner", help="Learner id (learner keys)."),
    label: str | None = typer.Option(None, "--label", help="A note on who holds the key."),
) -> None:
    """Create an API key in the store; the key is printed as the last line, only once."""
    # Imported here so that the other commands do not pay for the database layer.
    from sqlmodel import Session

    from store import open_store
    from store.keys import create_key

    engine = open_store()
    with Session(engine, expire_on_commit=False) as session:
        row, token = create_key(session, role, learner, label)
    engine.dispose()
    bound = f" for learner {row.learner_id}" if row.learner_id else ""
    typer.echo(f"created {row.role} key {row.id}{bound} (store it now: it is not kept in clear)")
    typer.echo(token)
