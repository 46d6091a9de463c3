"""Validity dates: not yet valid (issued in the future) and expired, relative to ``now``."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from interop.badges.verdict import Check


def parse_when(value: Any) -> datetime | None:
    """An aware datetime from an ISO 8601 string or a JWT NumericDate; naive means UTC."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        try:
            return datetime.fromtimestamp(value, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def check_validity(
    starts: tuple[str, Any] | None, ends: tuple[str, Any] | None, now: datetime
) -> Check:
    """The "validity" check from (field name, raw value) of the start and the end."""
    start = end = None
    if starts is not None:
        start = parse_when(starts[1])
        if start is None:
            return Check.fail("validity", "bad-date", f"{starts[0]} {starts[1]!r} is not a date")
        if start > now:
            return Check.fail(
                "validity", "not-yet-valid", f"{starts[0]} {starts[1]} is in the future"
            )
    if ends is not None:
        end = parse_when(ends[1])
        if end is None:
            return Check.fail("validity", "bad-date", f"{ends[0]} {ends[1]!r} is not a date")
        if end <= now:
            return Check.fail("validity", "expired", f"{ends[0]} {ends[1]} is past")
    if starts is not None and ends is not None and start and end and end < start:
        return Check.fail("validity", "expired", f"{ends[0]} is before {starts[0]}")
    if start is None and end is None:
        return Check.skip("validity", "no validity dates")
    return Check.ok("validity", f"valid at {now.isoformat()}")
