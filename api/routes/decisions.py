"""Audit systems: decisions, logged append-only, idempotent, replayable."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request, Response
from sqlmodel import Session

from api.deps import Auditor, PageDep, SessionDep, engine_of, settings_of
from api.problems import NO_ANSWER
from api.schemas import DecisionCreate, DecisionLogPublic, Page, ReplayPublic
from pathways.errors import UsageError
from store import decisions
from store.tables import DecisionLog

router = APIRouter(prefix="/decisions", tags=["audit systems"])

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=200,
        description="A retry with the same key returns the stored decision (200).",
    ),
]


def _request(body: DecisionCreate) -> decisions.DecisionRequest:
    return decisions.DecisionRequest(
        catalog=body.catalog,
        version=body.version,
        target=body.target,
        as_of=body.as_of,
        learner=body.learner,
    )


@router.post(
    "",
    status_code=201,
    responses={200: {"description": "A retry with the same Idempotency-Key."}, **NO_ANSWER},
)
def decide(
    body: DecisionCreate | list[DecisionCreate],
    request: Request,
    caller: Auditor,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Decide one request, or a batch (a JSON list): each answer is the decision plus its
    ``decision_id``. A batch is logged whole or not at all."""
    settings = settings_of(request)
    batch = isinstance(body, list)
    requests = [_request(b) for b in body] if isinstance(body, list) else [_request(body)]
    if not requests:
        raise UsageError("the batch is empty", location="body")
    if len(requests) > settings.max_batch:
        raise UsageError(
            f"{len(requests)} decisions in one batch; send at most {settings.max_batch}",
            location="body",
        )
    # The session is opened and closed here, in the handler's thread, rather than by a
    # generator dependency: on the busiest route that machinery cost more than the lookups.
    with Session(engine_of(request), expire_on_commit=False) as session:
        rows, created = decisions.decide(
            session, requests, caller.key_id, idempotency_key, batch=batch
        )
    # The logged JSON goes out as it is (with its id spliced in): parsing it only to have
    # FastAPI encode it again was a good part of a logged decision's cost.
    answers = [decisions.body_json(r) for r in rows]
    return Response(
        "[" + ",".join(answers) + "]" if batch else answers[0],
        status_code=201 if created else 200,
        media_type="application/json",
    )


def _log_public(row: DecisionLog) -> DecisionLogPublic:
    return DecisionLogPublic(
        decision_id=row.id,
        created_at=row.created_at,
        caller=row.caller,
        catalog={"id": row.catalog_id, "version": row.catalog_version, "hash": row.catalog_hash},
        target=row.target,
        as_of=row.as_of,
        status=row.status,
        engine_version=row.engine_version,
        inputs_hash=row.inputs_hash,
        decision_hash=row.decision_hash,
        erased_at=row.erased_at,
    )


@router.get("")
def list_decisions(
    session: SessionDep,
    caller: Auditor,
    page: PageDep,
    learner: Annotated[str | None, Query(description="Only this learner's decisions.")] = None,
) -> Page[DecisionLogPublic]:
    """The decision log, newest first (ids and hashes; erased entries say so)."""
    rows, total = decisions.list_log(session, learner, page.limit, page.offset)
    return Page(items=[_log_public(r) for r in rows], total=total, **page.__dict__)


@router.get("/{decision_id}")
def get_decision(decision_id: str, session: SessionDep, caller: Auditor) -> dict[str, Any]:
    """A logged decision as it was answered (410 once its learner is erased)."""
    return decisions.body(decisions.get(session, decision_id))


@router.get("/{decision_id}/log")
def get_log_entry(decision_id: str, session: SessionDep, caller: Auditor) -> DecisionLogPublic:
    """A log entry's ids and hashes (also for an erased decision)."""
    row = decisions.find(session, decision_id)
    if row is None:
        return _log_public(decisions.get(session, decision_id))  # raises 404
    return _log_public(row)


@router.post("/{decision_id}/replay", responses=NO_ANSWER)
def replay_decision(decision_id: str, session: SessionDep, caller: Auditor) -> ReplayPublic:
    """Recompute a logged decision from its logged inputs and report any difference."""
    result = decisions.replay(session, decision_id)
    return ReplayPublic(**result.__dict__)
