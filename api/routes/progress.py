"""Learners: progress toward every goal, recommendations and their pathway map."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response

from api.deps import LearnerIdDep, PageDep, SessionDep
from api.extras import module
from api.lookup import catalog_for, day
from api.problems import NO_ANSWER
from api.routes.decisions import _log_public
from api.schemas import DecisionLogPublic, Page
from pathways.evaluate import evaluate_all
from pathways.recommend import recommend
from store import decisions, learners

router = APIRouter(prefix="/learners", tags=["learners"])

CatalogQ = Annotated[str | None, Query(description="Catalog id (default: the latest published).")]
VersionQ = Annotated[str | None, Query(description="Catalog version (default: the latest).")]
AsOfQ = Annotated[dt.date | None, Query(description="Decision date (default today).")]
SVG: dict[int | str, dict[str, Any]] = {
    200: {"content": {"image/svg+xml": {}}, "description": "An SVG image."}
}


@router.get("/{learner_id}/progress", responses=NO_ANSWER)
def progress(
    learner_id: LearnerIdDep,
    session: SessionDep,
    catalog: CatalogQ = None,
    version: VersionQ = None,
    as_of: AsOfQ = None,
) -> list[dict[str, Any]]:
    """A decision for every goal (credential with a ``requires`` rule): what the stack is worth.

    These are views, not audit decisions: they are not logged.
    """
    loaded = catalog_for(session, catalog, version)
    record = learners.get_record(session, learner_id)
    return [d.model_dump(mode="json") for d in evaluate_all(loaded, record, day(as_of))]


@router.get("/{learner_id}/recommendations", responses=NO_ANSWER)
def recommendations(
    learner_id: LearnerIdDep,
    session: SessionDep,
    catalog: CatalogQ = None,
    goal: Annotated[str | None, Query(description="A goal credential id (default: all).")] = None,
    by: Annotated[Literal["cost", "hours", "credits"], Query()] = "cost",
    as_of: AsOfQ = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> dict[str, Any]:
    """The cheapest next steps toward a goal, or toward every unmet goal (contract section 5)."""
    loaded = catalog_for(session, catalog)
    record = learners.get_record(session, learner_id)
    return recommend(loaded, record, goal, by=by, as_of=day(as_of), limit=limit)


@router.get("/{learner_id}/map.svg", response_class=Response, responses={**SVG, **NO_ANSWER})
def learner_map(
    learner_id: LearnerIdDep,
    session: SessionDep,
    catalog: CatalogQ = None,
    target: Annotated[str | None, Query(description="Highlight this goal.")] = None,
    as_of: AsOfQ = None,
) -> Response:
    """The learner's pathway map: what they hold, what is in progress, what is next."""
    loaded = catalog_for(session, catalog)
    record = learners.get_record(session, learner_id)
    maps = module("visualizations.maps", "pathway maps")
    dot = maps.catalog_map(loaded, record=record, target=target, as_of=day(as_of))
    return Response(maps.to_svg(dot), media_type="image/svg+xml")


@router.get("/{learner_id}/decisions")
def learner_decisions(
    learner_id: LearnerIdDep, session: SessionDep, page: PageDep
) -> Page[DecisionLogPublic]:
    """The audit decisions logged about this learner, newest first."""
    learners.get_learner(session, learner_id)
    rows, total = decisions.list_log(session, learner_id, page.limit, page.offset)
    return Page(items=[_log_public(r) for r in rows], total=total, **page.__dict__)
