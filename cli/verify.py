"""``stackwise verify``: is this badge (OB 2.0 / OB 3.0 / CLR 2.0) a credential we trust?

Exit status 0 only for a trusted credential; 2 for a refused one (the rules broken are named
on stderr and in the output) and for input that is not a badge at all. Both are reported by
raising a :class:`~pathways.errors.StackwiseError`, which cli.main turns into exit 2 with
the message on stderr (``typer.Exit`` is not used: with ``standalone_mode=False`` click
returns its code instead of raising it, and cli.main would report success).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import typer

from cli.app import app
from interop.badges import Verdict, verify_file
from pathways.errors import StackwiseError, UsageError


class CredentialRefused(StackwiseError):
    """The badge was read and verified, and is not trusted (the verdict is already printed)."""

    title = "Credential refused"


def parse_issuers(value: str | None) -> list[str] | None:
    """``--issuers``: a file (one issuer id a line, # comments) or a comma-separated list."""
    if value is None:
        return None
    path = Path(value)
    if path.is_file():
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"--issuers {value}: cannot read ({exc})") from exc
        found = [ln.split("#", 1)[0].strip() for ln in lines]
    else:
        found = [part.strip() for part in value.split(",")]
    issuers = [i for i in found if i]
    if not issuers:
        raise UsageError(f"--issuers {value!r} names no issuer")
    return issuers


def parse_now(value: str | None) -> datetime | None:
    """``--now``: an ISO 8601 date or date-time (naive means UTC)."""
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError as exc:
        raise UsageError(f"--now {value!r} is not an ISO 8601 date-time") from exc


def render_text(verdict: Verdict, indent: str = "") -> list[str]:
    """A human-readable report of a verdict (and its nested ones)."""
    head = "TRUSTED" if verdict.trusted else "REFUSED"
    lines = [
        f"{indent}{head} ({verdict.status}) {verdict.kind} "
        f"[{verdict.spec}, {verdict.format} in {verdict.container}]"
    ]
    fields = [
        ("credential", verdict.credential_id),
        ("issuer", _named(verdict.issuer_id, verdict.issuer_name)),
        ("achievement", _named(verdict.achievement_id, verdict.achievement_name)),
        ("recipient", verdict.recipient),
        ("issued", verdict.issued.isoformat() if verdict.issued else None),
        ("expires", verdict.expires.isoformat() if verdict.expires else None),
    ]
    lines += [f"{indent}  {k}: {v}" for k, v in fields if v]
    lines += [
        f"{indent}  {c.result:<8} {c.check:<13} {c.rule + ': ' if c.rule else ''}{c.detail}"
        for c in verdict.checks
    ]
    for inner in verdict.nested:
        lines += render_text(inner, indent + "    ")
    return lines


def _named(ident: str | None, name: str | None) -> str | None:
    return f"{ident} ({name})" if name else ident


@app.command("verify")
def verify(
    badge_file: Path = typer.Argument(..., help="OB 2.0/3.0 or CLR 2.0: JSON, JWT, PNG or SVG."),
    output: str = typer.Option("text", "--format", help="json | text"),
    issuers: str | None = typer.Option(
        None, "--issuers", help="Trusted issuer ids: a file (one a line) or a comma list."
    ),
    recipient: str | None = typer.Option(None, "--recipient", help="Learner identity to match."),
    now: str | None = typer.Option(None, "--now", help="Verify as of this ISO date-time."),
) -> None:
    """Verify a badge offline; exit 0 only if it is trusted, 2 if refused or unreadable."""
    if output not in ("json", "text"):
        raise UsageError(f"--format must be json or text, not {output!r}")
    verdict = verify_file(
        badge_file, now=parse_now(now), issuers=parse_issuers(issuers), recipient=recipient
    )
    if output == "json":
        typer.echo(verdict.model_dump_json(indent=2))
    else:
        typer.echo("\n".join(render_text(verdict)))
    if not verdict.trusted:
        raise CredentialRefused("credential refused: " + "; ".join(verdict.reasons))
