"""Learners, their earned items and exceptions, and erasure (FERPA/GDPR).

Each earned item and exception is a row of its own, so concurrent adds to one learner never
overwrite each other (no read-modify-write of a whole record).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, delete, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from pathways.catalog import canonical_json
from pathways.lru import LRU
from pathways.record import EarnedItem, Exception_, LearnerRecord, parse_record
from store.db import begin_write
from store.errors import NotFoundError
from store.keys import forget_keys
from store.tables import (
    ApiKey,
    DecisionLog,
    EarnedItemRow,
    ExceptionRow,
    Learner,
    WebSession,
    new_revision,
    utcnow,
)


def _dump(model: EarnedItem | Exception_) -> str:
    return canonical_json(model.model_dump(mode="json", by_alias=True, exclude_none=True))


def put_record(session: Session, record: LearnerRecord, by: str) -> tuple[Learner, bool]:
    """Store ``record`` whole (replacing any earlier one); returns the learner and if it is new."""
    begin_write(session)
    learner = session.get(Learner, record.learner)
    created = learner is None
    now = utcnow()
    if learner is None:
        learner = Learner(id=record.learner, name=record.name, updated_by=by)
    else:
        learner.name = record.name
        learner.updated_at = now
        learner.updated_by = by
        learner.revision = new_revision()
        session.exec(delete(EarnedItemRow).where(col(EarnedItemRow.learner_id) == record.learner))
        session.exec(delete(ExceptionRow).where(col(ExceptionRow.learner_id) == record.learner))
    session.add(learner)
    session.flush()
    for item in record.earned:
        session.add(EarnedItemRow(learner_id=record.learner, data=_dump(item), added_by=by))
    for exc in record.exceptions:
        session.add(
            ExceptionRow(learner_id=record.learner, data=_dump(exc), reason=exc.reason, added_by=by)
        )
    session.commit()
    return learner, created


def add_items(session: Session, learner_id: str, items: list[EarnedItem], by: str) -> int:
    """Append earned items to a stored learner; returns how many the learner now has."""
    begin_write(session)
    _touch(session, learner_id, by)
    for item in items:
        session.add(EarnedItemRow(learner_id=learner_id, data=_dump(item), added_by=by))
    try:
        session.flush()
    except IntegrityError:  # the learner was erased meanwhile
        session.rollback()
        raise NotFoundError(f"no learner {learner_id!r}") from None
    count = session.exec(
        select(func.count())
        .select_from(EarnedItemRow)
        .where(EarnedItemRow.learner_id == learner_id)
    ).one()
    session.commit()
    return int(count)


def add_exception(session: Session, learner_id: str, exception: Exception_, by: str) -> None:
    """Record a registrar exception (who: ``by``, when: now, why: its ``reason``)."""
    begin_write(session)
    _touch(session, learner_id, by)
    session.add(
        ExceptionRow(
            learner_id=learner_id, data=_dump(exception), reason=exception.reason, added_by=by
        )
    )
    session.commit()


def _touch(session: Session, learner_id: str, by: str) -> None:
    result = session.exec(
        update(Learner)
        .where(col(Learner.id) == learner_id)
        .values(updated_at=utcnow(), updated_by=by, revision=new_revision())
    )
    if result.rowcount == 0:
        raise NotFoundError(f"no learner {learner_id!r}")


def get_learner(session: Session, learner_id: str) -> Learner:
    """A stored learner (404 when unknown)."""
    learner = session.get(Learner, learner_id)
    if learner is None:
        raise NotFoundError(f"no learner {learner_id!r}")
    return learner


def get_record(session: Session, learner_id: str) -> LearnerRecord:
    """The learner's record as contract section 3 describes it, items in the order added."""
    learner = get_learner(session, learner_id)
    items = session.exec(
        select(EarnedItemRow.data)
        .where(EarnedItemRow.learner_id == learner_id)
        .order_by(col(EarnedItemRow.pk))
    ).all()
    exceptions = session.exec(
        select(ExceptionRow.data)
        .where(ExceptionRow.learner_id == learner_id)
        .order_by(col(ExceptionRow.pk))
    ).all()
    data: dict[str, Any] = {
        "learner": learner.id,
        "earned": [json.loads(i) for i in items],
        "exceptions": [json.loads(e) for e in exceptions],
    }
    if learner.name is not None:
        data["name"] = learner.name
    return parse_record(data, f"stored learner {learner_id!r}")


@dataclass(frozen=True)
class StoredRecord:
    """A stored learner's record as parsed, with its canonical JSON (the decision inputs)."""

    record: LearnerRecord
    canonical: str


def record_json(record: LearnerRecord) -> str:
    """The canonical JSON of a record as decisions log it among their inputs."""
    return canonical_json(record.model_dump(mode="json", by_alias=True, exclude_none=True))


# Parsed records by (learner id, revision). The revision is a random token that every change
# replaces in the same transaction, so an entry can never be served once the record changed
# (or was erased and stored again); checking it is one small read instead of three reads and
# a validation. Bounded, so that erased learners' records do not linger.
_records: LRU[tuple[str, str], StoredRecord] = LRU(1024)


# Built once: building a statement costs several times what running it does.
_REVISION = select(Learner.revision).where(Learner.id == bindparam("learner_id"))


def current_record(session: Session, learner_id: str) -> StoredRecord:
    """The stored learner's record as :func:`get_record` gives it, parsed once per revision."""
    found = session.connection().execute(_REVISION, {"learner_id": learner_id})
    revision = found.scalar()
    if revision is None:
        raise NotFoundError(f"no learner {learner_id!r}")
    key = (learner_id, revision)
    hit = _records.get(key)
    if hit is not None:
        return hit
    record = get_record(session, learner_id)
    # Read after the revision, so never older than it: at worst newer data sits under a
    # revision that is no longer current and will not be asked for again.
    stored = StoredRecord(record, record_json(record))
    return _records.put(key, stored)


def _forget_records(learner_id: str) -> None:
    _records.discard(lambda key: key[0] == learner_id)


def exception_rows(session: Session, learner_id: str) -> list[ExceptionRow]:
    """The learner's exceptions with who added them and when."""
    get_learner(session, learner_id)
    rows = session.exec(
        select(ExceptionRow)
        .where(ExceptionRow.learner_id == learner_id)
        .order_by(col(ExceptionRow.pk))
    ).all()
    return list(rows)


def list_learners(session: Session, limit: int, offset: int) -> tuple[list[Learner], int]:
    """One page of learners by id, and the total."""
    total = session.exec(select(func.count()).select_from(Learner)).one()
    rows = session.exec(select(Learner).order_by(col(Learner.id)).offset(offset).limit(limit))
    return list(rows.all()), int(total)


@dataclass(frozen=True)
class Erasure:
    """What erasing a learner removed."""

    learner: str
    items: int
    exceptions: int
    decisions_redacted: int
    keys_removed: int


def erase(session: Session, learner_id: str) -> Erasure:
    """Remove a learner's records and personal data, in one transaction.

    Items, exceptions, the learner row and keys bound to the learner go; in the decision log
    the inputs, the decision and the learner id are removed while ids and hashes stay, and
    each entry says when it was erased.
    """
    begin_write(session)
    get_learner(session, learner_id)
    items = session.exec(
        delete(EarnedItemRow).where(col(EarnedItemRow.learner_id) == learner_id)
    ).rowcount
    exceptions = session.exec(
        delete(ExceptionRow).where(col(ExceptionRow.learner_id) == learner_id)
    ).rowcount
    # Idempotency records keep only decision ids: a retry after erasure gets 410 Gone.
    redacted = session.exec(
        update(DecisionLog)
        .where(col(DecisionLog.learner_id) == learner_id)
        .values(learner_id=None, inputs=None, decision=None, status="erased", erased_at=utcnow())
    ).rowcount
    key_ids = session.exec(select(ApiKey.id).where(ApiKey.learner_id == learner_id)).all()
    if key_ids:
        session.exec(delete(WebSession).where(col(WebSession.key_id).in_(key_ids)))
        session.exec(delete(ApiKey).where(col(ApiKey.id).in_(key_ids)))
    session.exec(delete(Learner).where(col(Learner.id) == learner_id))
    session.commit()
    # Personal data leaves this process's memory too (other processes can no longer reach
    # their copies: the learner row is gone, and they age out of the bounded cache).
    _forget_records(learner_id)
    forget_keys(key_ids)
    return Erasure(learner_id, items, exceptions, redacted, len(key_ids))
