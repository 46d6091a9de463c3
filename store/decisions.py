"""Decisions and their append-only log: decide, log in one transaction, fetch, replay.

Each logged decision records the catalog id, version and hash, a hash of the inputs (the
learner record as used, the target and the date), the engine version, the caller and the
time, plus the inputs and the decision themselves so that it can be replayed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from pathways.catalog import Catalog, canonical_json, content_hash
from pathways.evaluate import evaluate
from pathways.record import LearnerRecord, parse_record
from pathways.version import ENGINE_VERSION
from store import catalogs, learners
from store.db import begin_write
from store.errors import GoneError, IdempotencyError, NotFoundError
from store.tables import DecisionLog, IdempotencyRecord


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


# Decisions are deterministic in (catalog hash, inputs, engine version), so a repeated
# question (nightly audits re-ask the same ones) can be answered from memory. Every answer
# is still logged.
_MEMO_SIZE = 4096
_memo: OrderedDict[tuple[str, str], str] = OrderedDict()
_memo_lock = threading.Lock()


def _evaluate(catalog: Catalog, record: LearnerRecord, target: str, day: dt.date) -> str:
    inputs = _inputs(catalog, record, target, day)
    key = (content_hash(inputs), ENGINE_VERSION)
    with _memo_lock:
        hit = _memo.get(key)
        if hit is not None:
            _memo.move_to_end(key)
            return hit
    # Field order as the engine gives it (readable); hashes use canonical JSON anyway.
    text = evaluate(catalog, record, target, day).model_dump_json()
    with _memo_lock:
        _memo[key] = text
        while len(_memo) > _MEMO_SIZE:
            _memo.popitem(last=False)
    return text


def _inputs(catalog: Catalog, record: LearnerRecord, target: str, day: dt.date) -> dict[str, Any]:
    return {
        "catalog": catalog.ref(),
        "target": target,
        "as_of": day.isoformat(),
        "record": record.model_dump(mode="json", by_alias=True, exclude_none=True),
    }


def _resolve(session: Session, request: DecisionRequest) -> tuple[Catalog, LearnerRecord]:
    catalog = catalogs.load(session, request.catalog, request.version)
    if isinstance(request.learner, str):
        record = learners.get_record(session, request.learner)
    else:
        record = parse_record(request.learner, "learner")
    return catalog, record


def _log_row(
    catalog: Catalog, record: LearnerRecord, target: str, day: dt.date, caller: str
) -> DecisionLog:
    decision_text = _evaluate(catalog, record, target, day)
    decision = json.loads(decision_text)
    inputs = _inputs(catalog, record, target, day)
    return DecisionLog(
        id=uuid.uuid4().hex,
        caller=caller,
        catalog_id=catalog.id,
        catalog_version=catalog.version,
        catalog_hash=catalog.hash,
        target=target,
        as_of=day.isoformat(),
        status=decision["status"],
        engine_version=decision["engine_version"],
        learner_id=record.learner,
        learner_hash=learner_hash(record.learner),
        inputs_hash=content_hash(inputs),
        decision_hash=content_hash(decision),
        inputs=canonical_json(inputs),
        decision=decision_text,
    )


def decide(
    session: Session,
    requests: list[DecisionRequest],
    caller: str,
    idempotency_key: str | None = None,
    *,
    batch: bool = False,
    today: dt.date | None = None,
) -> tuple[list[DecisionLog], bool]:
    """Decide and log every request in ONE transaction: all are logged, or none is.

    Returns the log rows and whether they are new. With ``idempotency_key``, a retry of the
    same request returns the rows logged the first time (``False``); the same key with
    another request raises :class:`IdempotencyError`.
    """
    request_hash = content_hash({"batch": batch, "requests": [r.canonical() for r in requests]})
    if idempotency_key is not None:
        replayed = _idempotent(session, caller, idempotency_key, request_hash, batch)
        if replayed is not None:
            return replayed, False
    day_default = today or dt.date.today()
    rows = []
    for request in requests:
        catalog, record = _resolve(session, request)
        rows.append(_log_row(catalog, record, request.target, request.as_of or day_default, caller))
    # Evaluation (the slow part) ran above under a read snapshot; take the write lock only
    # to append the rows, so that writers queue for milliseconds, not for solver time.
    begin_write(session)
    session.add_all(rows)
    if idempotency_key is not None:
        session.add(
            IdempotencyRecord(
                caller=caller,
                key=idempotency_key,
                request_hash=request_hash,
                decision_ids=json.dumps([r.id for r in rows]),
                batch=batch,
            )
        )
    try:
        session.commit()
    except IntegrityError:
        # A concurrent retry with the same key won the race: answer as it did.
        session.rollback()
        if idempotency_key is None:
            raise
        replayed = _idempotent(session, caller, idempotency_key, request_hash, batch)
        if replayed is None:
            raise
        return replayed, False
    return rows, True


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


def body(row: DecisionLog) -> dict[str, Any]:
    """The decision as answered: the decision (contract section 4) plus its ``decision_id``."""
    if row.decision is None:
        raise GoneError(f"decision {row.id!r} was erased with its learner")
    return {**json.loads(row.decision), "decision_id": row.id}


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
