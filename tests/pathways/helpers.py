"""Small helpers to write engine tests with inline YAML."""

from __future__ import annotations

import datetime as dt
import textwrap
from typing import Any

from pathways.catalog import Catalog
from pathways.decision import Decision
from pathways.evaluate import evaluate
from pathways.loader import load_catalog_text
from pathways.record import parse_record

AS_OF = dt.date(2026, 11, 28)


def catalog(body: str, header: str = 'catalog: {id: t, version: "1"}\n') -> Catalog:
    """A catalog from a YAML body (credentials, skills, transfer_values)."""
    return load_catalog_text(header + textwrap.dedent(body))


def record(*earned: dict[str, Any], exceptions: list[dict[str, Any]] | None = None) -> Any:
    """A learner record; items default to completed on 2024-01-01."""
    items = [{"earned_on": "2024-01-01", **e} for e in earned]
    return parse_record({"learner": "pat", "earned": items, "exceptions": exceptions or []})


def decide(
    cat: Catalog,
    target: str,
    *earned: dict[str, Any],
    exceptions: list[dict[str, Any]] | None = None,
    as_of: dt.date = AS_OF,
) -> Decision:
    """Evaluate a learner with ``earned`` items against ``target``."""
    return evaluate(cat, record(*earned, exceptions=exceptions), target, as_of)


def applied(decision: Decision) -> list[tuple[str, str]]:
    """(rule path, credential) pairs applied."""
    return [(a.rule, a.credential) for a in decision.applied]
