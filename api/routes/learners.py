"""Staff store learners and add items and exceptions; a learner reads their own data."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Body, Response

from api.deps import Admin, LearnerIdDep, PageDep, SessionDep, Staff
from api.parsing import items_from_body
from api.schemas import (
    Erased,
    ExceptionCreate,
    ExceptionPublic,
    ItemsAdded,
    LearnerPublic,
    LearnerSummary,
    Page,
)
from pathways.errors import RecordError
from pathways.record import parse_record
from store import learners

staff = APIRouter(prefix="/learners", tags=["staff"])
own = APIRouter(prefix="/learners", tags=["learners"])


def _public(session: SessionDep, learner_id: str) -> LearnerPublic:
    learner = learners.get_learner(session, learner_id)
    record = learners.get_record(session, learner_id)
    return LearnerPublic(
        id=learner.id,
        name=learner.name,
        created_at=learner.created_at,
        updated_at=learner.updated_at,
        updated_by=learner.updated_by,
        record=record.model_dump(mode="json", by_alias=True, exclude_none=True),
    )


@staff.put("/{learner_id}", status_code=201, responses={200: {"description": "Replaced."}})
def put_learner(
    learner_id: str,
    session: SessionDep,
    caller: Staff,
    response: Response,
    record: dict[str, Any] = Body(description="A learner record (contract section 3)."),
) -> LearnerPublic:
    """Store a learner's record whole (201 new, 200 replaced)."""
    named = record.get("learner", learner_id)
    if named != learner_id:
        raise RecordError(
            f"learner = {named!r} does not match the id in the path {learner_id!r}",
            location="record (at /learner)",
        )
    parsed = parse_record({**record, "learner": learner_id}, "record")
    _, created = learners.put_record(session, parsed, by=caller.key_id)
    if not created:
        response.status_code = 200
    return _public(session, learner_id)


@staff.post("/{learner_id}/items", status_code=201)
def add_items(
    learner_id: str,
    session: SessionDep,
    caller: Staff,
    items: dict[str, Any] | list[Any] = Body(description="An earned item, or a list of them."),
) -> ItemsAdded:
    """Append earned items to a stored learner (never overwrites concurrent additions)."""
    parsed = items_from_body(items)
    total = learners.add_items(session, learner_id, parsed, by=caller.key_id)
    return ItemsAdded(learner=learner_id, added=len(parsed), total_items=total)


@staff.post("/{learner_id}/exceptions", status_code=201)
def add_exception(
    learner_id: str, body: ExceptionCreate, session: SessionDep, caller: Staff
) -> ExceptionPublic:
    """Record a registrar exception with who (``by``, default the caller), when and why."""
    data = body.model_dump(mode="json", by_alias=True, exclude_none=True)
    data.setdefault("by", caller.key_id)
    record = parse_record({"learner": learner_id, "exceptions": [data]}, "exception")
    exception = record.exceptions[0]
    learners.add_exception(session, learner_id, exception, by=caller.key_id)
    row = learners.exception_rows(session, learner_id)[-1]
    return ExceptionPublic(
        exception=json.loads(row.data),
        reason=row.reason,
        added_at=row.added_at,
        added_by=row.added_by,
    )


@staff.get("")
def list_learners(session: SessionDep, caller: Staff, page: PageDep) -> Page[LearnerSummary]:
    """Stored learners by id."""
    rows, total = learners.list_learners(session, page.limit, page.offset)
    summaries = [LearnerSummary(id=r.id, name=r.name, updated_at=r.updated_at) for r in rows]
    return Page(items=summaries, total=total, **page.__dict__)


@staff.delete("/{learner_id}", tags=["admin"])
def erase_learner(learner_id: str, session: SessionDep, caller: Admin) -> Erased:
    """Erase a learner (FERPA/GDPR): records and personal data go; the log keeps hashes."""
    erased = learners.erase(session, learner_id)
    return Erased(**erased.__dict__)


@own.get("/{learner_id}")
def get_learner(learner_id: LearnerIdDep, session: SessionDep) -> LearnerPublic:
    """A learner's record (their own key, or staff)."""
    return _public(session, learner_id)


@own.get("/{learner_id}/exceptions")
def list_exceptions(learner_id: LearnerIdDep, session: SessionDep) -> list[ExceptionPublic]:
    """A learner's exceptions with who recorded each, when and why."""
    return [
        ExceptionPublic(
            exception=json.loads(r.data), reason=r.reason, added_at=r.added_at, added_by=r.added_by
        )
        for r in learners.exception_rows(session, learner_id)
    ]
