"""The store: migrations, immutable catalogs, one-transaction decisions, replay."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine
from sqlmodel import Session, func, select

from pathways.loader import load_catalog
from store import decisions, demo, group_commit, open_store, upgrade
from store.db import write_connection
from store.settings import StoreSettings
from store.tables import DecisionLog

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
DAY = dt.date(2026, 11, 28)


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    """A fresh embedded store with the demo loaded."""
    engine = open_store(StoreSettings(data_dir=tmp_path, database_url=None))
    demo.seed(engine, EXAMPLES)
    return engine


def _count(engine: Engine) -> int:
    with Session(engine, expire_on_commit=False) as session:
        return int(session.exec(select(func.count()).select_from(DecisionLog)).one())


def test_the_embedded_store_is_a_wal_file_and_migrating_again_is_a_no_op(
    engine: Engine, tmp_path: Path
) -> None:
    assert (tmp_path / "stackwise.db").is_file()
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == "0002"
    upgrade(engine)


def test_a_stored_catalog_loads_back_with_the_same_hash(engine: Engine) -> None:
    from store import catalogs

    original = load_catalog(EXAMPLES / "catalog")
    with Session(engine, expire_on_commit=False) as session:
        stored = catalogs.get_version(session, original.id)
        assert stored.hash == original.hash
        assert catalogs.loaded(stored).hash == original.hash


def test_a_decision_is_fully_logged_or_not_at_all(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    ask = decisions.DecisionRequest("stackwise-demo", "mc-prog", "ben", as_of=DAY)
    real = decisions._log_row
    calls = {"n": 0}

    def crash_on_second(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("power cut")
        return real(*args, **kwargs)

    monkeypatch.setattr(decisions, "_log_row", crash_on_second)
    with Session(engine) as session, pytest.raises(RuntimeError):
        decisions.decide(session, [ask, ask], "k", batch=True)
    assert _count(engine) == 0

    # The rows are written, then the process "dies" before COMMIT: the transaction that
    # carries them (see store.group_commit) is rolled back, and the caller gets an error.
    @contextmanager
    def crash_at_commit(engine: Engine) -> Iterator[Connection]:
        with real_write(engine) as connection:
            yield connection
            assert connection.exec_driver_sql("SELECT count(*) FROM decision_log").scalar()
            raise RuntimeError("crash while committing")

    real_write = write_connection
    monkeypatch.setattr(decisions, "_log_row", real)
    monkeypatch.setattr(group_commit, "write_connection", crash_at_commit)
    with Session(engine) as session, pytest.raises(RuntimeError):
        decisions.decide(session, [ask], "k", "idem")
    monkeypatch.undo()
    assert _count(engine) == 0
    with Session(engine, expire_on_commit=False) as session:
        _, created = decisions.decide(session, [ask], "k", "idem")
    assert created and _count(engine) == 1


def test_replay_reports_a_tampered_decision(engine: Engine) -> None:
    ask = decisions.DecisionRequest("stackwise-demo", "mc-prog", "ben", as_of=DAY)
    with Session(engine, expire_on_commit=False) as session:
        (logged,), _ = decisions.decide(session, [ask], "k")
        assert decisions.replay(session, logged.id).same
        row = decisions.get(session, logged.id)
        row.decision = row.decision.replace('"met"', '"not_met"') if row.decision else None
        session.add(row)
        session.commit()
        result = decisions.replay(session, row.id)
    assert not result.same and any(d.startswith("status:") for d in result.differences)
