"""The durable store: catalogs, learners, API keys and the append-only decision log.

SQLModel tables, alembic migrations shipped in ``store/migrations`` and run programmatically,
embedded SQLite (WAL) by default and PostgreSQL when ``STACKWISE_DATABASE_URL`` says so.
Used by the HTTP API and by CLI commands (``keys create``, ``replay``).
"""

from __future__ import annotations

from sqlalchemy import Engine

from store.db import make_engine
from store.migrate import upgrade
from store.settings import StoreSettings


def open_store(settings: StoreSettings | None = None) -> Engine:
    """An engine on an up-to-date schema (migrations are run on first use)."""
    engine = make_engine(settings)
    upgrade(engine)
    return engine


__all__ = ["StoreSettings", "make_engine", "open_store", "upgrade"]
