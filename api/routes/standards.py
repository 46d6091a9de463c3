"""Open Badges / CLR verification, a learner's wallet, and CTDL in and out (issue 5 over HTTP).

Thin routes over :mod:`interop`: the same checks and mappings as ``stackwise verify``,
``import badges``, ``import ctdl`` and ``export ctdl``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.bodies import RawBody
from api.deps import CallerDep, Designer, LearnerIdDep, SessionDep
from interop.badges import verify_bytes
from interop.ctdl import export_ctdl, import_ctdl
from interop.wallet import import_badges
from pathways.errors import UsageError
from pathways.record import EarnedItem
from store import catalogs, learners

router = APIRouter()

_BADGE_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "One credential: OB 2.0/3.0 or CLR 2.0 JSON, a VC-JWT, or a baked "
        "PNG/SVG image, as the raw body.",
        "content": {
            "application/json": {"schema": {"type": "object"}},
            "application/jwt": {"schema": {"type": "string"}},
            "image/png": {"schema": {"type": "string", "format": "binary"}},
            "image/svg+xml": {"schema": {"type": "string"}},
        },
    }
}

Issuers = Annotated[
    str | None, Query(description="Comma-separated issuer allow-list; an unlisted one is refused.")
]
FileName = Annotated[
    str | None, Query(description="The file's name, a hint for the format (e.g. badge.png).")
]


def _issuers(value: str | None) -> list[str] | None:
    return [i.strip() for i in value.split(",") if i.strip()] if value else None


def _data(body: tuple[bytes, str]) -> bytes:
    data, _ = body
    if not data.strip():
        raise UsageError("the request body is empty; send one credential (JSON, JWT, PNG, SVG)")
    return data


@router.post("/badges/verify", tags=["learners"], openapi_extra=_BADGE_BODY)
def verify_badge(
    body: RawBody,
    caller: CallerDep,
    issuers: Issuers = None,
    recipient: Annotated[str | None, Query(description="The learner it must name.")] = None,
    filename: FileName = None,
) -> dict[str, Any]:
    """Verify a credential (shape, proof, dates, status, recipient, issuer).

    200 with the verdict either way: ``trusted`` says whether it may reach a decision and
    ``checks`` says what was checked. Input that is no credential at all is a 422.
    """
    verdict = verify_bytes(
        _data(body), filename=filename, issuers=_issuers(issuers), recipient=recipient
    )
    return {
        **verdict.model_dump(mode="json"),
        "rules_broken": verdict.rules_broken,
        "reasons": verdict.reasons,
    }


@router.post("/learners/{learner_id}/wallet", tags=["learners"], openapi_extra=_BADGE_BODY)
def import_wallet_badge(
    learner_id: LearnerIdDep,
    body: RawBody,
    session: SessionDep,
    caller: CallerDep,
    catalog: Annotated[str, Query(description="Catalog id whose credentials it maps to.")],
    version: Annotated[str | None, Query(description="Default: the latest.")] = None,
    issuers: Issuers = None,
    filename: FileName = None,
) -> dict[str, Any]:
    """Verify a credential from the learner's wallet and add what it proves to their record.

    Only trusted credentials that map to a catalog credential are added (each item keeps its
    verdict in ``evidence``); the refused ones come back with their reasons.
    """
    loaded = catalogs.load(session, catalog, version)
    record, refused = import_badges(
        [(_data(body), filename or "credential")],
        loaded,
        learner_id,
        issuers=_issuers(issuers),
    )
    items = [EarnedItem.model_validate(item) for item in record["earned"]]
    total = learners.add_items(session, learner_id, items, by=caller.key_id) if items else None
    return {
        "learner": learner_id,
        "added": [item.credential for item in items],
        "refused": refused,
        "total_items": total,
    }


@router.post("/ctdl/import", tags=["designers"])
def import_ctdl_pathway(body: RawBody, caller: Designer) -> dict[str, Any]:
    """Turn a CTDL pathway (compact or expanded JSON-LD) into a catalog, with a report.

    Nothing is stored: publish the returned catalog with ``POST /v1/catalogs``.
    """
    catalog, report = import_ctdl(_data(body), source="request body")
    return {"catalog": catalog, "report": report.to_dict()}


@router.get("/catalogs/{catalog_id}/ctdl", tags=["designers"])
def export_catalog_ctdl(
    catalog_id: str,
    session: SessionDep,
    caller: CallerDep,
    version: Annotated[str | None, Query(description="Default: the latest.")] = None,
) -> dict[str, Any]:
    """A published catalog as CTDL JSON-LD (what CTDL cannot say in ``stackwise:`` terms)."""
    return export_ctdl(catalogs.load(session, catalog_id, version))
