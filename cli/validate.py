"""``stackwise validate CATALOG``."""

from __future__ import annotations

from pathlib import Path

import typer

from cli.app import app
from pathways.loader import load_catalog


@app.command()
def validate(
    catalog: Path = typer.Argument(..., help="Catalog file (YAML/JSON) or folder of files."),
) -> None:
    """Validate a catalog: every problem is listed with file and line; exit 2 if any."""
    loaded = load_catalog(catalog)
    creds = loaded.credentials
    stacked = len(loaded.stacked)
    counts = ", ".join(
        _count(n, what)
        for n, what in [
            (len(loaded.skills), "skill"),
            (len(loaded.doc.transfer_values), "transfer value"),
        ]
    )
    typer.echo(
        f"ok: {loaded.id} {loaded.version} — {_count(len(creds), 'credential')} "
        f"({stacked} stacked), {counts}"
    )
    typer.echo(f"hash: {loaded.hash}")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
