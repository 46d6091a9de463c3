"""Pydantic validation errors in the words Stackwise uses: key, value, what is wrong."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

Loc = tuple[str | int, ...]


def clean_loc(loc: Loc, noise: Collection[str] = ()) -> Loc:
    """Drop pydantic's union-member tags (``rule:all``, ``float``...) from an error location."""
    return tuple(
        p for p in loc if not (isinstance(p, str) and (p.startswith("rule:") or p in noise))
    )


def describe(err: Any, loc: Loc) -> str:
    """One error as "unknown key 'x'", "missing required key 'x'" or "key = value: why"."""
    key = loc[-1] if loc and isinstance(loc[-1], str) else ""
    message = str(err["msg"]).removeprefix("Value error, ")
    if err.get("type") == "extra_forbidden" and key:
        return f"unknown key {key!r}"
    if err.get("type") == "missing":
        return f"missing required key {key!r}"
    value = err.get("input")
    if key and not isinstance(value, dict | list):
        return f"{key} = {value!r}: {message}"
    return message
