"""Seed an empty store with the demo catalog and learners (``stackwise serve``'s first start)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session

from pathways.loader import load_catalog
from pathways.record import load_record
from store import catalogs, learners


def seed(engine: Engine, examples: Path) -> tuple[str, int]:
    """Publish ``examples/catalog`` and store ``examples/learners/*.json``.

    Returns the catalog reference (``id@version``) and how many learners were stored.
    """
    catalog = load_catalog(examples / "catalog")
    records = [load_record(p) for p in sorted((examples / "learners").glob("*.json"))]
    with Session(engine, expire_on_commit=False) as session:
        catalogs.publish(session, catalog, by="demo")
        for record in records:
            learners.put_record(session, record, by="demo")
    return f"{catalog.id}@{catalog.version}", len(records)


def is_empty(engine: Engine) -> bool:
    """True when no catalog has been published yet."""
    with Session(engine, expire_on_commit=False) as session:
        return catalogs.latest(session) is None
