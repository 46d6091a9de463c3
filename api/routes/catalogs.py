"""Designers: upload, validate, diff, publish and list catalogs; any caller may read them."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from api.bodies import CATALOG_BODY, RawBody, parse_catalog
from api.deps import CallerDep, Designer, PageDep, SessionDep
from api.schemas import CatalogContent, CatalogPublic, CatalogPublished, CatalogValid, Page
from store import catalogs
from store.diff import diff_catalogs
from store.errors import NotFoundError
from store.tables import CatalogVersion

router = APIRouter(prefix="/catalogs", tags=["designers"])


def _public(row: CatalogVersion) -> CatalogPublic:
    return CatalogPublic(
        id=row.catalog_id,
        version=row.version,
        hash=row.hash,
        published_at=row.published_at,
        published_by=row.published_by,
    )


@router.post(
    "",
    status_code=201,
    openapi_extra=CATALOG_BODY,
    responses={200: {"description": "Identical content was already published."}},
)
def publish_catalog(
    body: RawBody, session: SessionDep, caller: Designer, response: Response
) -> CatalogPublished:
    """Validate and publish a catalog as an immutable version.

    201 when new; 200 with the same body when identical content is already published; 409
    when the same id and version hold other content; 422 with located errors.
    """
    published = catalogs.publish(session, parse_catalog(body), by=caller.key_id)
    if not published.created:
        response.status_code = 200
    return CatalogPublished(id=published.id, version=published.version, hash=published.hash)


@router.post("/validate", openapi_extra=CATALOG_BODY)
def validate_catalog(body: RawBody, caller: Designer) -> CatalogValid:
    """Validate a draft without storing it (422 with located errors when invalid)."""
    catalog = parse_catalog(body)
    return CatalogValid(
        valid=True,
        id=catalog.id,
        version=catalog.version,
        hash=catalog.hash,
        credentials=len(catalog.credentials),
        stacked=catalog.stacked,
    )


@router.post("/diff", openapi_extra=CATALOG_BODY)
def diff_catalog(body: RawBody, session: SessionDep, caller: Designer) -> dict[str, Any]:
    """What a draft changes against the latest published version of the same catalog id."""
    draft = parse_catalog(body)
    try:
        current = catalogs.load(session, draft.id)
    except NotFoundError:
        current = None
    return diff_catalogs(current, draft)


@router.get("")
def list_catalogs(
    session: SessionDep,
    caller: CallerDep,
    page: PageDep,
    catalog: Annotated[str | None, Query(description="Only versions of this id.")] = None,
) -> Page[CatalogPublic]:
    """Published versions, newest first."""
    rows, total = catalogs.list_versions(session, catalog, page.limit, page.offset)
    return Page(items=[_public(r) for r in rows], total=total, **page.__dict__)


def _content(row: CatalogVersion) -> CatalogContent:
    return CatalogContent(**_public(row).model_dump(), content=json.loads(row.content))


@router.get("/{catalog_id}")
def get_catalog(catalog_id: str, session: SessionDep, caller: CallerDep) -> CatalogContent:
    """The latest published version of a catalog, with its content."""
    return _content(catalogs.get_version(session, catalog_id))


@router.get("/{catalog_id}/versions/{version}")
def get_catalog_version(
    catalog_id: str, version: str, session: SessionDep, caller: CallerDep
) -> CatalogContent:
    """One published version with its content."""
    return _content(catalogs.get_version(session, catalog_id, version))
