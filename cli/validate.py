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
    typer.echo(
        f"ok: {loaded.id} {loaded.version} — {len(creds)} credentials ({stacked} stacked), "
        f"{len(loaded.skills)} skills, {len(loaded.doc.transfer_values)} transfer values"
    )
    typer.echo(f"hash: {loaded.hash}")
