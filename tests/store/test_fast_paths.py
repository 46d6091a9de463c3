"""What the decision path's shortcuts must not change: group commit, caches, the write lock."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, func, select

from pathways.catalog import canonical_json
from pathways.record import EarnedItem
from store import catalogs, decisions, demo, group_commit, keys, learners, open_store
from store.db import write_connection, write_lock
from store.group_commit import GroupCommit, GroupCommitError
from store.settings import StoreSettings
from store.tables import DecisionLog
from tests.api.helpers import fresh_postgres_database, postgres_reachable

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
DAY = dt.date(2026, 11, 28)


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    """A fresh embedded store with the demo loaded."""
    engine = open_store(StoreSettings(data_dir=tmp_path, database_url=None))
    demo.seed(engine, EXAMPLES)
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A fresh store with the demo loaded: embedded SQLite, and PostgreSQL when reachable."""
    if request.param == "sqlite":
        yield request.getfixturevalue("sqlite_engine")
        return
    reason = postgres_reachable()
    if reason:
        pytest.skip(reason)
    with fresh_postgres_database() as url:
        engine = open_store(StoreSettings(data_dir=tmp_path, database_url=url))
        demo.seed(engine, EXAMPLES)
        yield engine
        engine.dispose()


def _count(engine: Engine) -> int:
    with Session(engine) as session:
        return int(session.exec(select(func.count()).select_from(DecisionLog)).one())


def _insert(n: int) -> object:
    def work(connection: Connection) -> int:
        connection.execute(
            text(
                "INSERT INTO learners (id, created_at, updated_at, updated_by, revision) "
                "VALUES (:id, '2026-01-01', '2026-01-01', 't', 'r')"
            ),
            {"id": f"g-{n}"},
        )
        return n

    return work


def _wait_for(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline, "the group never formed"
        time.sleep(0.001)


def _learner_ids(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT id FROM learners WHERE id LIKE 'g-%'"))
        return {r[0] for r in rows}


def test_group_commit_writes_what_queued_in_one_transaction_and_isolates_a_failure(
    engine: Engine,
) -> None:
    committer = GroupCommit(engine)
    release = threading.Event()
    results: dict[int, object] = {}

    def leader(connection: Connection) -> str:
        release.wait(10)  # hold the transaction open while the others queue up
        return "leader"

    def duplicate(connection: Connection) -> None:
        connection.execute(
            text(
                "INSERT INTO learners (id, created_at, updated_at, updated_by, revision) "
                "VALUES ('ben', '2026-01-01', '2026-01-01', 't', 'r')"
            )
        )

    def run(n: int, work: object) -> None:
        try:
            results[n] = committer.run(work)  # type: ignore[arg-type]
        except Exception as exc:
            results[n] = exc

    first = threading.Thread(target=run, args=(-1, leader))
    first.start()
    _wait_for(lambda: committer._writing)
    others = [threading.Thread(target=run, args=(n, _insert(n))) for n in range(5)]
    others.append(threading.Thread(target=run, args=(99, duplicate)))
    for thread in others:
        thread.start()
    _wait_for(lambda: len(committer._queue) == len(others))
    release.set()
    for thread in [first, *others]:
        thread.join(10)
    assert results[-1] == "leader"
    assert [results[n] for n in range(5)] == list(range(5))
    assert isinstance(results[99], IntegrityError)  # only the failing append is undone
    assert _learner_ids(engine) == {f"g-{n}" for n in range(5)}


def test_when_the_shared_commit_fails_nothing_of_the_group_is_written(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    committer = GroupCommit(engine)
    work = [_insert(n) for n in range(3)]
    real = write_connection

    @contextmanager
    def commit_fails(engine: Engine) -> Iterator[Connection]:
        with real(engine) as connection:
            yield connection
            raise OSError("disk full at COMMIT")

    monkeypatch.setattr(group_commit, "write_connection", commit_fails)
    # Three appends in one group, as if they had queued behind a writer; then COMMIT fails.
    entries = [group_commit._Entry(w) for w in work]  # type: ignore[arg-type,var-annotated]
    committer._write(entries)
    assert all(isinstance(e.error, GroupCommitError) for e in entries)
    assert all(e.done for e in entries)
    assert _learner_ids(engine) == set()
    # A lone append gets the error itself.
    with pytest.raises(OSError, match="disk full"):
        committer.run(work[0])  # type: ignore[arg-type]
    monkeypatch.undo()
    assert committer.run(work[0]) == 0  # type: ignore[arg-type]
    assert _learner_ids(engine) == {"g-0"}


def test_decisions_from_many_threads_are_all_logged(engine: Engine) -> None:
    asks = [
        decisions.DecisionRequest("stackwise-demo", target, who, as_of=DAY)
        for who in ("ana", "ben", "carla")
        for target in ("mc-prog", "prog-cert")
    ]
    ids: list[str] = []
    lock = threading.Lock()

    def ask(n: int) -> None:
        with Session(engine) as session:
            rows, created = decisions.decide(session, [asks[n % len(asks)]], "k", f"idem-{n}")
        assert created
        with lock:
            ids.extend(r.id for r in rows)

    threads = [threading.Thread(target=ask, args=(n,)) for n in range(24)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(set(ids)) == 24 and _count(engine) == 24
    with Session(engine) as session:  # the shared cached records were not changed
        for who in ("ana", "ben", "carla"):
            stored = learners.current_record(session, who)
            assert stored.canonical == learners.record_json(stored.record)
            assert stored.record == learners.get_record(session, who)
    with Session(engine) as session:
        for decision_id in ids[:3]:
            assert decisions.replay(session, decision_id).same


def test_logged_inputs_are_the_canonical_json_of_the_inputs(engine: Engine) -> None:
    with Session(engine) as session:
        catalog = catalogs.load(session, "stackwise-demo")
        stored = learners.current_record(session, "ben")
    spliced = decisions._inputs_json(catalog, stored.canonical, "prog-cert", DAY)
    assert spliced == canonical_json(decisions._inputs(catalog, stored.record, "prog-cert", DAY))


def test_the_answer_is_the_logged_decision_plus_its_id(engine: Engine) -> None:
    ask = decisions.DecisionRequest("stackwise-demo", "prog-cert", "ben", as_of=DAY)
    with Session(engine) as session:
        (logged,), _ = decisions.decide(session, [ask], "k")
        row = decisions.get(session, logged.id)
    answer = json.loads(decisions.body_json(logged))
    assert answer == decisions.body(row)
    assert list(answer) == list(decisions.body(row))  # same key order too
    assert answer["decision_id"] == logged.id


def test_a_cached_record_follows_every_change(engine: Engine) -> None:
    with Session(engine) as session:
        before = learners.current_record(session, "ben")
        assert learners.current_record(session, "ben") is before  # parsed once
        learners.add_items(session, "ben", [EarnedItem(credential="x-1", earned_on=DAY)], "staff")
        after = learners.current_record(session, "ben")
        assert [i.credential for i in after.record.earned][-1] == "x-1"
        assert after.record == learners.get_record(session, "ben")
        record = after.record.model_copy(update={"earned": []})
        learners.erase(session, "ben")
        learners.put_record(session, record, "staff")  # the same id, stored anew
        assert learners.current_record(session, "ben").record.earned == []


def test_a_revoked_key_is_forgotten_at_once_and_entries_expire(engine: Engine) -> None:
    with Session(engine) as session:
        row, token = keys.create_key(session, "auditor")
        assert keys.authenticate_cached(session, token, 60) is not None
        assert keys.principals.get(token, 60) is not None
        assert keys.principals.get(token, 0) is None  # 0 turns the cache off
        keys.revoke_key(session, row.id)
        assert keys.principals.get(token, 60) is None
        assert keys.authenticate_cached(session, token, 60) is None


def test_a_lookup_that_raced_a_revocation_is_not_cached(engine: Engine) -> None:
    with Session(engine) as session:
        row, token = keys.create_key(session, "auditor")
        principal = keys.authenticate(session, token)
    assert principal is not None
    generation = keys.principals.generation
    keys.forget_keys([row.id])  # revoked between the lookup and putting it in the cache
    keys.principals.put(token, principal, generation)
    assert keys.principals.get(token, 60) is None


def test_synchronous_is_a_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert StoreSettings(database_url=None).sqlite_synchronous == "FULL"
    monkeypatch.setenv("STACKWISE_SQLITE_SYNCHRONOUS", "normal")
    settings = StoreSettings(data_dir=tmp_path, database_url=None)
    assert settings.sqlite_synchronous == "NORMAL"
    engine = open_store(settings)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
    engine.dispose()
    monkeypatch.delenv("STACKWISE_SQLITE_SYNCHRONOUS")
    engine = open_store(StoreSettings(data_dir=tmp_path, database_url=None))
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    engine.dispose()


def test_the_write_lock_is_let_go_after_commit_rollback_and_errors(sqlite_engine: Engine) -> None:
    engine = sqlite_engine
    lock = write_lock(str(engine.url.database))
    with write_connection(engine) as connection:
        connection.execute(text("UPDATE learners SET name = 'B' WHERE id = 'ben'"))
        assert lock._threads.locked()
    assert not lock._threads.locked()
    with pytest.raises(RuntimeError), write_connection(engine):
        raise RuntimeError("undo")
    assert not lock._threads.locked()
    with Session(engine) as session:
        learners.put_record(session, learners.get_record(session, "ana"), "staff")
    assert not lock._threads.locked()
    # A second engine on the same file (another part of the program) queues on the same lock.
    other = open_store(StoreSettings(data_dir=Path(str(engine.url.database)).parent))
    assert write_lock(str(other.url.database)) is lock
    other.dispose()
