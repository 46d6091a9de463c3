"""Credit units and their conversion.

1 semester hour = 1.5 quarter hours = 2 ECTS. CEUs and clock hours are not academic credit:
they never convert into another unit (they count 0 there, and decisions say so).
"""

from __future__ import annotations

from typing import Literal

CreditUnit = Literal["semester_hour", "quarter_hour", "ects", "ceu", "clock_hour"]
ACADEMIC: dict[str, float] = {"semester_hour": 1.0, "quarter_hour": 1.5, "ects": 2.0}


def convert(value: float, unit: str, into: str) -> float | None:
    """``value`` credits of ``unit`` expressed in ``into``; ``None`` when they do not convert.

    >>> convert(6, "ects", "semester_hour")
    3.0
    """
    if unit == into:
        return float(value)
    if unit in ACADEMIC and into in ACADEMIC:
        return float(value) / ACADEMIC[unit] * ACADEMIC[into]
    return None
