"""``stackwise import ctdl|badges`` and ``stackwise export ctdl``.

Every output file is written whole or not at all: to a temporary file beside it, renamed
into place once everything succeeded. Bad input raises a StackwiseError (exit 2, message on
stderr, no traceback).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import typer
import yaml

from cli.app import app
from cli.verify import parse_issuers, parse_now
from interop.ctdl import export_ctdl, import_ctdl
from interop.ctdl.badgr import import_badgr, is_badgr
from interop.ctdl.errors import CtdlError
from interop.ctdl.jsonld import parse_json
from interop.wallet import import_badges
from pathways.errors import UsageError
from pathways.loader import load_catalog

import_app = typer.Typer(help="Bring outside documents in: CTDL pathways, verified badges.")
export_app = typer.Typer(help="Write a catalog in an outside format (CTDL JSON-LD).")
app.add_typer(import_app, name="import")
app.add_typer(export_app, name="export")


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename (no partial file)."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError(f"folder {folder} does not exist", location=str(path))
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise UsageError(f"cannot read: {exc.strerror or exc}", location=str(path)) from None
    except UnicodeDecodeError:
        raise CtdlError("not UTF-8 text", location=str(path)) from None


@import_app.command("ctdl")
def import_ctdl_command(
    files: list[Path] = typer.Argument(
        ..., help="CTDL JSON-LD (or a Badgr pathway); further files join the same graph."
    ),
    out: Path = typer.Option(..., "--out", help="The catalog to write (YAML, or JSON if .json)."),
    report: Path | None = typer.Option(None, "--report", help="Also write the report (JSON)."),
) -> None:
    """Import a CTDL pathway (or a Badgr native pathway) into a validated catalog."""
    first = files[0]
    data = parse_json(_read_text(first), str(first))
    if is_badgr(data):
        if len(files) > 1:
            raise UsageError("a Badgr pathway is one file; give it alone")
        catalog, rep = import_badgr(data, source=str(first))
    else:
        more = [(_read_text(f), str(f)) for f in files[1:]]
        catalog, rep = import_ctdl(data, source=str(first), more=more)
    if out.suffix == ".json":
        text = json.dumps(catalog, indent=2, ensure_ascii=False) + "\n"
    else:
        text = yaml.safe_dump(catalog, sort_keys=False, allow_unicode=True, width=100)
    if report is not None:
        write_atomic(report, json.dumps(rep.to_dict(), indent=2, ensure_ascii=False) + "\n")
    write_atomic(out, text)
    for line in rep.warnings:
        typer.echo(f"warning: {line}", err=True)
    for line in rep.skipped:
        typer.echo(f"skipped: {line}", err=True)
    stacked = sum(1 for c in catalog["credentials"] if "requires" in c)
    typer.echo(
        f"imported {len(catalog['credentials'])} credentials ({stacked} with requirements) "
        f"into {out}: {len(rep.warnings)} warnings, {len(rep.skipped)} parts skipped"
    )


@export_app.command("ctdl")
def export_ctdl_command(
    catalog: Path = typer.Argument(..., help="Catalog file or folder."),
    out: Path = typer.Option(..., "--out", help="The JSON-LD file to write."),
) -> None:
    """Export a catalog as CTDL JSON-LD (with stackwise: extension terms)."""
    document = export_ctdl(load_catalog(catalog))
    write_atomic(out, json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n")
    typer.echo(f"exported {len(document['@graph'])} nodes to {out}")


def _read_map(value: Path | None) -> dict[str, str]:
    if value is None:
        return {}
    data: Any = yaml.safe_load(_read_text(value)) if value.exists() else None
    if data is None and not value.exists():
        raise UsageError("cannot read: no such file", location=str(value))
    if isinstance(data, dict) and isinstance(data.get("map"), dict):
        data = data["map"]
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise UsageError(
            "a map is a mapping of achievement id, alignment or name -> credential id",
            location=str(value),
        )
    return dict(data)


@import_app.command("badges")
def import_badges_command(
    files: list[Path] = typer.Argument(
        ..., help="Badges: OB 2.0 / 3.0, CLR 2.0; JSON, JWT, PNG, SVG."
    ),
    catalog: Path = typer.Option(..., "--catalog", help="Catalog file or folder."),
    learner: str = typer.Option(..., "--learner", help="The learner id of the record."),
    out: Path = typer.Option(..., "--out", help="The learner record to write (JSON)."),
    issuers: str | None = typer.Option(
        None, "--issuers", help="Trusted issuer ids: a file (one a line) or a comma list."
    ),
    mapping: Path | None = typer.Option(
        None, "--map", help="YAML/JSON: achievement id, alignment or name -> credential id."
    ),
    now: str | None = typer.Option(None, "--now", "--as-of", help="Verify as of this date-time."),
    recipient: str | None = typer.Option(None, "--recipient", help="Learner identity to match."),
) -> None:
    """Verify badges and write the learner record of the trusted ones; list the refused."""
    if not learner.strip():
        raise UsageError("--learner must not be empty")
    cat = load_catalog(catalog)
    record, refused = import_badges(
        files,
        cat,
        learner,
        issuers=parse_issuers(issuers),
        mapping=_read_map(mapping),
        now=parse_now(now),
        recipient=recipient,
    )
    write_atomic(out, json.dumps(record, indent=2, ensure_ascii=False) + "\n")
    for r in refused:
        typer.echo(f"refused: {r['file']}: {'; '.join(r['reasons'])}", err=True)
    summary = {
        "learner": learner,
        "record": str(out),
        "imported": [
            {
                "file": i["evidence"]["file"],
                "credential": i["credential"],
                "achievement": i["evidence"]["achievement"],
                "matched_by": i["evidence"]["matched_by"],
            }
            for i in record["earned"]
        ],
        "refused": refused,
    }
    typer.echo(json.dumps(summary, indent=2, ensure_ascii=False))
