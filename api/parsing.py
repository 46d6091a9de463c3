"""Validate request parts with the core's models, naming the culprit by JSON pointer."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from pathways.errors import RecordError
from pathways.record import EarnedItem


def items_from_body(body: dict[str, Any] | list[Any]) -> list[EarnedItem]:
    """One earned item or a list of them; errors name ``/index/key`` in the body."""
    raw = body if isinstance(body, list) else [body]
    if not raw:
        raise RecordError("the list of items is empty", location="body")
    if len(raw) > 1000:
        raise RecordError(f"{len(raw)} items in one request; send at most 1000", location="body")
    items: list[EarnedItem] = []
    problems: list[str] = []
    for index, entry in enumerate(raw):
        try:
            items.append(EarnedItem.model_validate(entry))
        except ValidationError as exc:
            for err in exc.errors()[:3]:
                loc = [p for p in err["loc"] if p not in ("float", "Credits")]
                prefix = [index] if isinstance(body, list) else []
                pointer = "/" + "/".join(str(p) for p in [*prefix, *loc])
                message = str(err["msg"]).removeprefix("Value error, ")
                if err["type"] == "extra_forbidden":
                    message = f"unknown key {loc[-1]!r}"
                elif err["type"] == "missing":
                    message = f"missing required key {loc[-1]!r}"
                problems.append(f"item (at {pointer}): {message}")
    if problems:
        raise RecordError("; ".join(problems[:5]))
    return items
