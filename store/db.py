"""Engines and sessions: embedded SQLite (WAL) by default, PostgreSQL by URL."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlmodel import Session

from store.settings import StoreSettings


def make_engine(settings: StoreSettings | None = None) -> Engine:
    """An engine for ``settings`` (default: read from the environment)."""
    settings = settings or StoreSettings()
    url = settings.url
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=40)
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself (see _sqlite_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # FULL: a decision answered 201 is on disk even if the machine loses power.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


_write_intent = threading.local()


def _sqlite_begin(connection: Any) -> None:
    # A deferred transaction that reads and then writes fails with SQLITE_BUSY at once when
    # another writer committed in between (the busy timeout does not apply), so a unit of
    # work that writes takes the write lock up front and concurrent writers queue instead.
    # Reads stay deferred: in WAL mode they take no lock, so a request that holds a read
    # transaction while waiting for a worker thread can never block a writer.
    immediate = getattr(_write_intent, "pending", False)
    _write_intent.pending = False
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def begin_write(session: Session) -> None:
    """Start the session's next transaction as a writer (SQLite: BEGIN IMMEDIATE).

    Any read transaction still open is ended first, so that the write sees fresh data.
    Every store function that writes calls this before its first statement.
    """
    if session.in_transaction():
        session.commit()
    _write_intent.pending = True
    try:
        session.connection()
    finally:
        _write_intent.pending = False


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session committed on success and rolled back on any error (one transaction)."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
