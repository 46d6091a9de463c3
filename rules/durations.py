"""ISO 8601 durations and calendar arithmetic on dates.

Adding ``P1Y`` to 29 February gives 28 February: months and years clamp to the last day of
the target month, as registrars count them.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

_DURATION = re.compile(r"^P(?!$)(?:(?P<y>\d+)Y)?(?:(?P<m>\d+)M)?(?:(?P<w>\d+)W)?(?:(?P<d>\d+)D)?$")


@dataclass(frozen=True, order=True)
class Duration:
    """A calendar duration: whole years, months and days (weeks fold into days)."""

    years: int = 0
    months: int = 0
    days: int = 0
    text: str = ""

    def __str__(self) -> str:
        return self.text or f"P{self.years}Y{self.months}M{self.days}D"

    def add_to(self, day: date) -> date:
        """Return ``day`` moved forward by this duration (month ends clamp)."""
        return _shift(day, self.years * 12 + self.months) + timedelta(days=self.days)

    def subtract_from(self, day: date) -> date:
        """Return ``day`` moved back by this duration (month ends clamp)."""
        return _shift(day, -(self.years * 12 + self.months)) - timedelta(days=self.days)


def parse_duration(text: str) -> Duration:
    """Parse an ISO 8601 date duration such as ``P3Y``, ``P18M`` or ``P2Y6M``.

    Raises ``ValueError`` for anything else (time parts, fractions, empty ``P``).

    >>> parse_duration("P1Y6M").months
    6
    """
    match = _DURATION.match(text.strip()) if isinstance(text, str) else None
    if match is None:
        raise ValueError(f"{text!r} is not an ISO 8601 duration such as P3Y, P18M or P90D")
    years, months, weeks, days = (int(match.group(k) or 0) for k in "ymwd")
    return Duration(years=years, months=months, days=weeks * 7 + days, text=text.strip())


def _shift(day: date, months: int) -> date:
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))
