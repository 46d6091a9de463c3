"""Admin: API keys and the roles they carry."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import Admin, PageDep, SessionDep
from api.schemas import KeyCreate, KeyCreated, KeyPublic, Page, RolePublic
from store import keys
from store.tables import ApiKey

router = APIRouter(tags=["admin"])

ROLE_RIGHTS = {
    "designer": ["upload, validate, diff and publish catalogs", "store learners (staff)"],
    "learner": ["read their own record, progress, recommendations and map (one learner)"],
    "auditor": ["request and replay decisions, read the log", "store learners (staff)"],
    "admin": ["everything, plus API keys and erasing learners"],
}


def _public(row: ApiKey) -> KeyPublic:
    return KeyPublic(
        id=row.id,
        role=row.role,
        learner=row.learner_id,
        label=row.label,
        created_at=row.created_at,
        revoked_at=row.revoked_at,
    )


@router.post("/keys", status_code=201)
def create_key(body: KeyCreate, session: SessionDep, caller: Admin) -> KeyCreated:
    """Create a key; the response holds the secret, shown once."""
    row, token = keys.create_key(session, body.role, body.learner, body.label)
    return KeyCreated(**_public(row).model_dump(), key=token)


@router.get("/keys")
def list_keys(session: SessionDep, caller: Admin, page: PageDep) -> Page[KeyPublic]:
    """Keys, oldest first (never their secrets)."""
    rows, total = keys.list_keys(session, page.limit, page.offset)
    return Page(items=[_public(r) for r in rows], total=total, **page.__dict__)


@router.delete("/keys/{key_id}")
def revoke_key(key_id: str, session: SessionDep, caller: Admin) -> KeyPublic:
    """Revoke a key: it stays listed but no longer authenticates."""
    return _public(keys.revoke_key(session, key_id))


@router.get("/roles")
def list_roles(caller: Admin) -> list[RolePublic]:
    """The roles a key can carry and what each may do."""
    return [RolePublic(role=r, may=m) for r, m in ROLE_RIGHTS.items()]
