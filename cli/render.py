"""``stackwise render``: a pathway map (or a decision's explanation tree) as SVG or DOT."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from cli.app import app
from cli.common import parse_day
from pathways.errors import UsageError
from pathways.evaluate import evaluate, target_rule
from pathways.loader import load_catalog
from pathways.record import load_record
from visualizations.explain_tree import explanation_dot
from visualizations.maps import catalog_map, to_png, to_svg


@app.command()
def render(
    catalog: Path = typer.Option(..., "--catalog", help="Catalog file or folder."),
    out: Path = typer.Option(..., "--out", help="File to write (.svg, .dot or .png)."),
    learner: Path | None = typer.Option(None, "--learner", help="Overlay a learner's state."),
    target: str | None = typer.Option(None, "--target", help="Only this goal's pathway."),
    as_of: str | None = typer.Option(None, "--as-of", help="Decision date (default today)."),
    fmt: str | None = typer.Option(None, "--format", help="svg, dot or png (default: --out's)."),
    decision: bool = typer.Option(
        False,
        "--decision",
        help="Draw the decision's explanation tree (needs --learner, --target).",
    ),
) -> None:
    """Write the pathway map of a catalog or of one goal, optionally for a learner."""
    kind = (fmt or out.suffix.lstrip(".") or "svg").lower()
    if kind not in ("svg", "dot", "png"):
        raise UsageError(f"--format {kind!r} is not one of: svg, dot, png")
    day = parse_day(as_of) or dt.date.today()
    loaded = load_catalog(catalog)
    record = load_record(learner) if learner is not None else None
    if decision:
        if record is None or target is None:
            raise UsageError("--decision needs --learner and --target")
        dot = explanation_dot(evaluate(loaded, record, target, day))
    else:
        if target is not None:
            target_rule(loaded, target)  # refuses an unknown target, naming it
        dot = catalog_map(loaded, record=record, target=target, as_of=day)
    data = dot.encode("utf-8") if kind == "dot" else to_svg(dot) if kind == "svg" else to_png(dot)
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise UsageError(f"--out {out}: cannot write ({exc.strerror})") from None
    typer.echo(f"wrote {out} ({kind}, {len(data)} bytes)")
