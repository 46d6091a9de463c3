"""Helpers the command modules share: options parsing and output."""

from __future__ import annotations

import datetime as dt
import enum

import typer

from pathways.errors import UsageError


class Format(enum.StrEnum):
    """Output formats of the reading commands."""

    json = "json"
    text = "text"


def parse_day(value: str | None) -> dt.date | None:
    """``--as-of`` as a date (``None`` means today)."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--as-of {value!r} is not a date such as 2026-11-28") from None


#: ``--solver-budget``: the same option on every command that decides.
SOLVER_BUDGET_HELP = (
    "Seconds one decision may take before the command gives up (exit 1); default: no "
    "budget beyond the solver's own limit of 60 s a stage."
)


def check_budget(seconds: float | None) -> float | None:
    """``--solver-budget`` as given, refused unless more than 0 seconds."""
    if seconds is not None and not seconds > 0:
        raise UsageError(f"--solver-budget {seconds:g} is not more than 0 seconds")
    return seconds


def emit(text: str) -> None:
    """Write ``text`` to stdout without adding a blank line at the end."""
    typer.echo(text, nl=not text.endswith("\n"))
