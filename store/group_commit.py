"""Group commit: appends from many threads share one transaction, so one durable commit.

A durable commit costs a sync of the log to disk (``fsync`` of SQLite's write-ahead log with
``synchronous=FULL``; PostgreSQL's WAL flush), from a fraction of a millisecond to several on
a busy disk, and SQLite lets one writer in at a time across all processes. With a
transaction per decision the log could therefore never take more decisions per second than
the disk takes syncs. Here a writer that finds another one committing waits; when that
commit is done, the first waiter becomes the next *leader* and writes everything that
queued up meanwhile in one transaction. Nobody waits for a timer: a lone writer commits at
once, and under load each sync carries many appends.

Every guarantee of a transaction per append holds:

- each append runs inside its own SAVEPOINT, so one that fails (an Idempotency-Key taken a
  moment earlier) is undone alone and its owner gets the error;
- nothing is reported written before the shared COMMIT has returned; if the COMMIT fails (or
  the process dies) none of the group is written and every owner gets an error, so an
  append is written whole or not at all, and never answered as written when it is not.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import Generic, TypeVar

from sqlalchemy import Connection, Engine

from store.db import write_connection

T = TypeVar("T")


class GroupCommitError(RuntimeError):
    """The shared commit of a group failed: none of its appends was written."""


class _Entry(Generic[T]):
    __slots__ = ("done", "error", "result", "work")

    def __init__(self, work: Callable[[Connection], T]) -> None:
        self.work = work
        self.done = False
        self.result: T | None = None
        self.error: BaseException | None = None


class GroupCommit:
    """The appends of one engine in this process, committed in groups (see the module)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._turn = threading.Condition()
        self._queue: list[_Entry[object]] = []
        self._writing = False

    def run(self, work: Callable[[Connection], T]) -> T:
        """Run ``work`` on a connection inside a write transaction shared with other
        appends; returns its result once the transaction has committed.

        Raises what ``work`` raised (nothing of it is written), or
        :class:`GroupCommitError` when the commit failed (nothing of the group is written).
        """
        entry: _Entry[T] = _Entry(work)
        with self._turn:
            self._queue.append(entry)  # type: ignore[arg-type]
            while self._writing and not entry.done:
                self._turn.wait()
            if not entry.done:
                # Nobody is writing: lead, taking everything queued so far (ours included).
                self._writing = True
                group, self._queue = self._queue, []
        if not entry.done:
            try:
                self._write(group)
            finally:
                with self._turn:
                    self._writing = False
                    self._turn.notify_all()
        if entry.error is not None:
            raise entry.error
        return entry.result  # type: ignore[return-value]

    def _write(self, group: list[_Entry[object]]) -> None:
        alone = len(group) == 1
        try:
            with write_connection(self._engine) as connection:
                for entry in group:
                    if alone:
                        entry.result = entry.work(connection)
                        continue
                    try:
                        with connection.begin_nested():
                            entry.result = entry.work(connection)
                    except Exception as exc:  # its owner gets it; the others go on
                        entry.error = exc
        except BaseException as exc:
            for entry in group:
                if alone:
                    entry.error = exc
                elif entry.error is None:
                    failed = GroupCommitError(f"the log could not be written: {exc}")
                    failed.__cause__ = exc
                    entry.error = failed
        finally:
            for entry in group:
                entry.done = True


_committers: weakref.WeakKeyDictionary[Engine, GroupCommit] = weakref.WeakKeyDictionary()
_committers_lock = threading.Lock()


def committer(engine: Engine) -> GroupCommit:
    """The group committer of ``engine`` in this process."""
    with _committers_lock:
        found = _committers.get(engine)
        if found is None:
            found = _committers[engine] = GroupCommit(engine)
        return found
