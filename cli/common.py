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


def emit(text: str) -> None:
    """Write ``text`` to stdout without adding a blank line at the end."""
    typer.echo(text, nl=not text.endswith("\n"))
