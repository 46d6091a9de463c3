"""Decisions and their append-only log: decide, log in one transaction, fetch, replay.

Each logged decision records the catalog id, version and hash, a hash of the inputs (the
learner record as used, the target and the date), the engine version, the caller and the
time, plus the inputs and the decision themselves so that it can be replayed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import Connection, insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from pathways.catalog import Catalog, canonical_json, content_hash
from pathways.evaluate import evaluate
from pathways.lru import LRU
from pathways.record import LearnerRecord, parse_record
from pathways.version import ENGINE_VERSION
from store import catalogs, learners
from store.errors import GoneError, IdempotencyError, NotFoundError
from store.group_commit import committer
from store.tables import DecisionLog, IdempotencyRecord, utcnow


@dataclass(frozen=True)
class DecisionRequest:
    """One question: ``learner`` is a stored learner's id or a record (contract section 3)."""

    catalog: str
    target: str
    learner: str | dict[str, Any]
    version: str | None = None
    as_of: dt.date | None = None

    def canonical(self) -> dict[str, Any]:
        """The request as plain data (for the idempotency hash)."""
        return {
            "catalog": self.catalog,
            "version": self.version,
            "target": self.target,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "learner": self.learner,
        }


def learner_hash(learner_id: str) -> str:
    """The hash the log keeps in place of a learner id once the learner is erased."""
    return "sha256:" + hashlib.sha256(learner_id.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Logged:
    """A decision just logged: its id and the decision as the engine gave it (JSON text)."""

    id: str
    decision: str


class LoggedDecision(Protocol):
    """What answering needs of a logged decision: a :class:`Logged` or a log row."""

    @property
    def id(self) -> str:
        """The decision id."""
        ...

    @property
    def decision(self) -> str | None:
        """The decision as JSON text (None once its learner is erased)."""
        ...


@dataclass(frozen=True)
class _Answer:
    """A decision and what the log keeps of it, derived once."""

    text: str
    status: str
    engine_version: str
    decision_hash: str


# Decisions are deterministic in (catalog hash, inputs, engine version), so a repeated
# question (nightly audits re-ask the same ones) can be answered from memory. Every answer
# is still logged.
_memo: LRU[tuple[str, str], _Answer] = LRU(4096)


def _answer(
    catalog: Catalog, record: LearnerRecord, target: str, day: dt.date, inputs_hash: str
) -> _Answer:
    key = (inputs_hash, ENGINE_VERSION)
    hit = _memo.get(key)
    if hit is not None:
        return hit
    # Field order as the engine gives it (readable); hashes use canonical JSON anyway.
    text = evaluate(catalog, record, target, day).model_dump_json()
    decision = json.loads(text)
    answer = _Answer(text, decision["status"], decision["engine_version"], content_hash(decision))
    return _memo.put(key, answer)


def _inputs(catalog: Catalog, record: LearnerRecord, target: str, day: dt.date) -> dict[str, Any]:
    return {
        "catalog": catalog.ref(),
        "target": target,
        "as_of": day.isoformat(),
        "record": record.model_dump(mode="json", by_alias=True, exclude_none=True),
    }


def _inputs_json(catalog: Catalog, record_json: str, target: str, day: dt.date) -> str:
    # canonical_json(_inputs(...)) put together from the record's canonical JSON, which a
    # stored learner's cache keeps, instead of dumping and sorting the record again: the
    # four keys in sorted order, each value canonical (a test holds the two equal).
    return "".join(
        (
            '{"as_of":',
            canonical_json(day.isoformat()),
            ',"catalog":',
            canonical_json(catalog.ref()),
            ',"record":',
            record_json,
            ',"target":',
            canonical_json(target),
            "}",
        )
    )


def _resolve(session: Session, request: DecisionRequest) -> tuple[Catalog, learners.StoredRecord]:
    catalog = catalogs.load(session, request.catalog, request.version)
    if isinstance(request.learner, str):
        return catalog, learners.current_record(session, request.learner)
    record = parse_record(request.learner, "learner")
    return catalog, learners.StoredRecord(record, learners.record_json(record))


def _log_row(
    catalog: Catalog,
    stored: learners.StoredRecord,
    target: str,
    day: dt.date,
    caller: str,
    now: dt.datetime,
) -> dict[str, Any]:
    inputs = _inputs_json(catalog, stored.canonical, target, day)
    inputs_hash = "sha256:" + hashlib.sha256(inputs.encode("utf-8")).hexdigest()
    answer = _answer(catalog, stored.record, target, day, inputs_hash)
    learner_id = stored.record.learner
    return {
        "id": uuid.uuid4().hex,
        "created_at": now,
        "caller": caller,
        "catalog_id": catalog.id,
        "catalog_version": catalog.version,
        "catalog_hash": catalog.hash,
        "target": target,
        "as_of": day.isoformat(),
        "status": answer.status,
        "engine_version": answer.engine_version,
        "learner_id": learner_id,
        "learner_hash": learner_hash(learner_id),
        "inputs_hash": inputs_hash,
        "decision_hash": answer.decision_hash,
        "inputs": inputs,
        "decision": answer.text,
        "erased_at": None,
    }


# Built once: building a statement costs several times what running it does.
_INSERT_LOG = insert(DecisionLog)
_INSERT_IDEMPOTENCY = insert(IdempotencyRecord)


def decide(
    session: Session,
    requests: list[DecisionRequest],
    caller: str,
    idempotency_key: str | None = None,
    *,
    batch: bool = False,
    today: dt.date | None = None,
) -> tuple[list[LoggedDecision], bool]:
    """Decide and log every request in ONE transaction: all are logged, or none is.

    Returns the logged decisions and whether they are new. With ``idempotency_key``, a retry
    of the same request returns the rows logged the first time (``False``); the same key
    with another request raises :class:`IdempotencyError`.
    """
    request_hash = ""
    if idempotency_key is not None:
        request_hash = content_hash({"batch": batch, "requests": [r.canonical() for r in requests]})
        replayed = _idempotent(session, caller, idempotency_key, request_hash, batch)
        if replayed is not None:
            return list(replayed), False
    day_default = today or dt.date.today()
    now = utcnow()
    rows = []
    for request in requests:
        catalog, stored = _resolve(session, request)
        day = request.as_of or day_default
        rows.append(_log_row(catalog, stored, request.target, day, caller, now))
    # Evaluation (the slow part) ran above under a read snapshot, which ends here: the rows
    # are appended by the group committer (store.group_commit), in a write transaction that
    # may carry other requests' rows too, so that one sync to disk serves many decisions.
    session.commit()
    idempotency = None
    if idempotency_key is not None:
        idempotency = {
            "caller": caller,
            "key": idempotency_key,
            "request_hash": request_hash,
            "decision_ids": json.dumps([r["id"] for r in rows]),
            "batch": batch,
            "created_at": now,
        }

    def append(connection: Connection) -> None:
        # Plain INSERTs (no ORM unit of work): the rows are final, nothing is read back.
        connection.execute(_INSERT_LOG, rows)
        if idempotency is not None:
            connection.execute(_INSERT_IDEMPOTENCY, idempotency)

    try:
        committer(session.get_bind().engine).run(append)
    except IntegrityError:
        # A concurrent retry with the same key won the race: answer as it did.
        if idempotency_key is None:
            raise
        replayed = _idempotent(session, caller, idempotency_key, request_hash, batch)
        if replayed is None:
            raise
        return list(replayed), False
    return [Logged(r["id"], r["decision"]) for r in rows], True


def _idempotent(
    session: Session, caller: str, key: str, request_hash: str, batch: bool
) -> list[DecisionLog] | None:
    record = session.exec(
        select(IdempotencyRecord).where(
            IdempotencyRecord.caller == caller, IdempotencyRecord.key == key
        )
    ).first()
    if record is None:
        return None
    if record.request_hash != request_hash:
        raise IdempotencyError(
            f"Idempotency-Key {key!r} was first used with another request body; "
            "use a new key for a new request"
        )
    return [get(session, decision_id) for decision_id in json.loads(record.decision_ids)]


def get(session: Session, decision_id: str) -> DecisionLog:
    """A logged decision (404 unknown, 410 erased)."""
    row = session.exec(select(DecisionLog).where(DecisionLog.id == decision_id)).first()
    if row is None:
        raise NotFoundError(f"no decision {decision_id!r}")
    if row.erased_at is not None:
        raise GoneError(
            f"decision {decision_id!r} was erased on {row.erased_at:%Y-%m-%d} with its learner; "
            f"the log keeps only its hashes (inputs {row.inputs_hash}, "
            f"decision {row.decision_hash})"
        )
    return row


def find(session: Session, decision_id: str) -> DecisionLog | None:
    """A log row by id, erased or not (None when unknown)."""
    return session.exec(select(DecisionLog).where(DecisionLog.id == decision_id)).first()


def list_log(
    session: Session, learner_id: str | None, limit: int, offset: int
) -> tuple[list[DecisionLog], int]:
    """One page of the log, newest first, optionally of one learner."""
    query = select(DecisionLog)
    count = select(func.count()).select_from(DecisionLog)
    if learner_id is not None:
        query = query.where(DecisionLog.learner_id == learner_id)
        count = count.where(DecisionLog.learner_id == learner_id)
    rows = session.exec(query.order_by(col(DecisionLog.pk).desc()).offset(offset).limit(limit))
    return list(rows.all()), int(session.exec(count).one())


def body(row: LoggedDecision) -> dict[str, Any]:
    """The decision as answered: the decision (contract section 4) plus its ``decision_id``."""
    if row.decision is None:
        raise GoneError(f"decision {row.id!r} was erased with its learner")
    return {**json.loads(row.decision), "decision_id": row.id}


def body_json(row: LoggedDecision) -> str:
    """:func:`body` as JSON text, spliced from the logged text instead of parsed and dumped.

    The logged decision is a JSON object as the engine wrote it; ``decision_id`` goes in as
    its last member, exactly where :func:`body` puts it.
    """
    if row.decision is None:
        raise GoneError(f"decision {row.id!r} was erased with its learner")
    text = row.decision.rstrip()
    if not text.endswith("}") or text.endswith("{}"):  # pragma: no cover - never logged
        return json.dumps(body(row))
    return f'{text[:-1]},"decision_id":{json.dumps(row.id)}}}'


@dataclass(frozen=True)
class Replay:
    """The outcome of recomputing a logged decision."""

    decision_id: str
    same: bool
    differences: list[str]
    logged_hash: str
    recomputed_hash: str


def replay(session: Session, decision_id: str) -> Replay:
    """Recompute a logged decision from its logged inputs and compare, field by field."""
    row = get(session, decision_id)
    if row.inputs is None or row.decision is None:  # pragma: no cover - erased rows raise above
        raise GoneError(f"decision {decision_id!r} was erased")
    inputs = json.loads(row.inputs)
    differences: list[str] = []
    stored = catalogs.get_version(session, row.catalog_id, row.catalog_version)
    if stored.hash != row.catalog_hash:  # pragma: no cover - versions are immutable
        differences.append(f"catalog hash: logged {row.catalog_hash}, stored now {stored.hash}")
    catalog = catalogs.loaded(stored)
    record = parse_record(inputs["record"], f"decision {decision_id} inputs")
    if content_hash(inputs) != row.inputs_hash:
        differences.append("inputs: their hash no longer matches the logged inputs hash")
    recomputed = evaluate(catalog, record, row.target, dt.date.fromisoformat(row.as_of))
    again = recomputed.model_dump(mode="json")
    logged = json.loads(row.decision)
    for key in sorted(logged.keys() | again.keys()):
        if canonical_json(logged.get(key)) != canonical_json(again.get(key)):
            differences.append(
                f"{key}: logged {canonical_json(logged.get(key))[:200]}, "
                f"recomputed {canonical_json(again.get(key))[:200]}"
            )
    return Replay(
        decision_id=decision_id,
        same=not differences,
        differences=differences,
        logged_hash=row.decision_hash,
        recomputed_hash=content_hash(again),
    )
