"""``GET /v1/health``: the one route that needs no key."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import text

from api.deps import SessionDep
from api.schemas import Health
from pathways.version import ENGINE_VERSION

router = APIRouter(tags=["health"])


@router.get("/health")
def health(session: SessionDep) -> Health:
    """The service is up and its database answers."""
    session.connection().execute(text("SELECT 1"))
    return Health(
        status="ok", engine_version=ENGINE_VERSION, database=session.get_bind().dialect.name
    )
