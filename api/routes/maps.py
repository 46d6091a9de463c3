"""A catalog's pathway map as SVG (any caller)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from api.deps import CallerDep, SessionDep
from api.extras import module
from api.lookup import catalog_for

router = APIRouter(prefix="/catalogs", tags=["designers"])
SVG: dict[int | str, dict[str, Any]] = {
    200: {"content": {"image/svg+xml": {}}, "description": "An SVG image."}
}


@router.get("/{catalog_id}/map.svg", response_class=Response, responses=SVG)
def catalog_map(
    catalog_id: str,
    session: SessionDep,
    caller: CallerDep,
    version: Annotated[str | None, Query()] = None,
    target: Annotated[str | None, Query(description="Show only what leads to this goal.")] = None,
) -> Response:
    """The catalog's pathway map: prerequisites, stacking and equivalences."""
    loaded = catalog_for(session, catalog_id, version)
    maps = module("visualizations.maps", "pathway maps")
    return Response(
        maps.to_svg(maps.catalog_map(loaded, target=target)), media_type="image/svg+xml"
    )
