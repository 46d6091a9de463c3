"""Engines and sessions: embedded SQLite (WAL) by default, PostgreSQL by URL."""

from __future__ import annotations

import fcntl
import functools
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlmodel import Session

from store.settings import StoreSettings, from_environment

#: How long a writer waits for its turn (seconds), here and in SQLite's busy handler.
BUSY_SECONDS = 30


def make_engine(settings: StoreSettings | None = None) -> Engine:
    """An engine for ``settings`` (default: read from the environment)."""
    settings = settings or from_environment(StoreSettings)
    url = settings.url
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=40)
    connect_args: dict[str, Any] = {"check_same_thread": False, "timeout": BUSY_SECONDS}
    lock: WriteLock | None = None
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = write_lock(str(path))
        connect_args["factory"] = _LockingConnection
    engine = create_engine(url, connect_args=connect_args)
    event.listen(
        engine,
        "connect",
        functools.partial(_sqlite_connect, synchronous=settings.sqlite_synchronous, lock=lock),
    )
    event.listen(engine, "begin", _sqlite_begin)
    return engine


class WriteLock:
    """One SQLite database's writers, queued across threads and processes without polling.

    SQLite lets one writer in at a time and makes the others retry on a sleeping back-off
    (1, 2, 5, 10 ... 100 ms), so under load a writer can sleep far longer than the write it
    waits for takes; that is what made the tail latency of logged decisions hundreds of ms.
    Writers of this process queue on a thread lock, and the one at the head takes an
    ``flock`` on a file beside the database, which the kernel hands to the next process the
    moment it is released. The lock is only a queue: SQLite's own locking still guards the
    data, so a writer that gives up waiting here (after ``BUSY_SECONDS``) goes on unqueued.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self._threads = threading.Lock()
        self._fd: int | None = None
        self._pid = 0

    def acquire(self) -> bool:
        """Wait for this writer's turn; False when it waited too long (and holds nothing)."""
        if not self._threads.acquire(timeout=BUSY_SECONDS):
            return False
        try:
            fcntl.flock(self._file(), fcntl.LOCK_EX)
        except BaseException:
            self._threads.release()
            raise
        return True

    def release(self) -> None:
        """Let the next writer in."""
        try:
            if self._fd is not None:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._threads.release()

    def _file(self) -> int:
        # An flock belongs to an open file: a process forked with the descriptor would share
        # the lock instead of queueing for it, so each process opens its own.
        if self._fd is None or self._pid != os.getpid():
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            self._pid = os.getpid()
        return self._fd


_locks: dict[str, WriteLock] = {}
_locks_guard = threading.Lock()


def write_lock(database: str) -> WriteLock:
    """The write lock of a database file (one per file and process, shared by its engines)."""
    path = os.path.realpath(database) + "-writelock"
    with _locks_guard:
        return _locks.setdefault(path, WriteLock(path))


class _LockingConnection(sqlite3.Connection):
    """A connection that holds its database's :class:`WriteLock` while it writes."""

    write_lock: WriteLock | None = None
    holding = False

    def begin_immediate(self) -> None:
        """BEGIN IMMEDIATE, after queueing for the write lock."""
        if self.write_lock is not None and not self.holding:
            self.holding = self.write_lock.acquire()
        try:
            self.execute("BEGIN IMMEDIATE")
        except BaseException:
            self._release()
            raise

    def commit(self) -> None:
        """Commit, then let the next writer in."""
        try:
            super().commit()
        finally:
            self._release()

    def rollback(self) -> None:
        """Roll back, then let the next writer in."""
        try:
            super().rollback()
        finally:
            self._release()

    def close(self) -> None:
        """Close (a held lock is let go too)."""
        try:
            super().close()
        finally:
            self._release()

    def _release(self) -> None:
        if self.holding and self.write_lock is not None:
            self.holding = False
            self.write_lock.release()


def _sqlite_connect(
    dbapi_connection: Any, _record: Any, *, synchronous: str, lock: WriteLock | None
) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself (see _sqlite_begin).
    dbapi_connection.isolation_level = None
    if lock is not None and isinstance(dbapi_connection, _LockingConnection):
        dbapi_connection.write_lock = lock
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # See StoreSettings.sqlite_synchronous for what each level survives.
    cursor.execute(f"PRAGMA synchronous={synchronous}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_SECONDS * 1000}")
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
    dbapi = connection.connection.dbapi_connection
    if immediate and isinstance(dbapi, _LockingConnection):
        dbapi.begin_immediate()
        return
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
def write_connection(engine: Engine) -> Iterator[Connection]:
    """A connection in a write transaction (SQLite: BEGIN IMMEDIATE, queued on the
    :class:`WriteLock`), committed when the block ends and rolled back if it raises."""
    with engine.connect() as connection:
        _write_intent.pending = True
        try:
            transaction = connection.begin()
        finally:
            _write_intent.pending = False
        with transaction:
            yield connection


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
