"""Dependencies shared by the routes: the DB session, the caller, roles, pagination."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Coroutine
from dataclasses import dataclass
from typing import Annotated, Any

import anyio
from fastapi import Depends, HTTPException, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from api.settings import ApiSettings
from store.errors import NotFoundError
from store.keys import Principal, authenticate_cached, principals

# Dependencies that do no I/O are ``async def``: FastAPI runs a plain ``def`` dependency in
# the thread pool, and a thread hop per dependency cost more than the work of most of them.
# The handlers themselves stay sync (they do the blocking work, in one hop).


async def get_db(request: Request) -> AsyncIterator[Session]:
    """A session per request; store functions commit their own unit of work.

    Opening a session does no I/O (it connects on first use). Closing one that is still in
    a transaction rolls back on the database, so that is done in the thread pool, shielded
    from cancellation so that the connection always goes back to the pool.
    """
    session = Session(request.app.state.engine, expire_on_commit=False)
    try:
        yield session
    finally:
        if session.in_transaction():
            with anyio.CancelScope(shield=True):
                await run_in_threadpool(session.close)
        else:
            session.close()


SessionDep = Annotated[Session, Depends(get_db)]


def engine_of(request: Request) -> Engine:
    """The store's engine, for a handler that opens its session itself (in its thread)."""
    engine: Engine = request.app.state.engine
    return engine


def settings_of(request: Request) -> ApiSettings:
    """The settings the app was created with."""
    settings: ApiSettings = request.app.state.settings
    return settings


async def get_settings(request: Request) -> ApiSettings:
    """The settings the app was created with (as a dependency)."""
    return settings_of(request)


SettingsDep = Annotated[ApiSettings, Depends(get_settings)]

_bearer = HTTPBearer(auto_error=False, description="An API key: `Authorization: Bearer sw_...`")


def _look_up(engine: Engine, token: str, max_age: float) -> Principal | None:
    with Session(engine, expire_on_commit=False) as session:
        return authenticate_cached(session, token, max_age)


async def get_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The caller, from ``Authorization: Bearer <api key>`` (401 without a valid key).

    A key authenticated less than ``key_cache_seconds`` ago is not looked up again (see
    :class:`store.keys.PrincipalCache` for how revocation is honoured); a lookup uses a
    session of its own, so that a route needs none just to know its caller.
    """
    challenge = {"WWW-Authenticate": "Bearer"}
    if credentials is None:
        raise HTTPException(401, "an API key is required: Authorization: Bearer <key>", challenge)
    # Settings and engine straight from the app rather than as sub-dependencies: every
    # dependency FastAPI resolves per request costs more than these two lookups.
    token, max_age = credentials.credentials, settings_of(request).key_cache_seconds
    principal = principals.get(token, max_age)
    if principal is None:
        principal = await run_in_threadpool(_look_up, engine_of(request), token, max_age)
    if principal is None:
        raise HTTPException(401, "the API key is unknown or revoked", challenge)
    return principal


CallerDep = Annotated[Principal, Depends(get_principal)]

STAFF = ("designer", "auditor", "admin")


def require(*roles: str) -> Callable[[Principal], Coroutine[Any, Any, Principal]]:
    """A dependency admitting only ``roles`` (admin is always admitted); others get 403."""
    allowed = {*roles, "admin"}

    async def check(principal: CallerDep) -> Principal:
        if principal.role not in allowed:
            raise HTTPException(
                403, f"a {principal.role} key may not do this (needs: {', '.join(sorted(allowed))})"
            )
        return principal

    return check


Designer = Annotated[Principal, Depends(require("designer"))]
Auditor = Annotated[Principal, Depends(require("auditor"))]
Staff = Annotated[Principal, Depends(require(*STAFF))]
Admin = Annotated[Principal, Depends(require("admin"))]


def can_see(principal: Principal, learner_id: str) -> bool:
    """Whether ``principal`` may read ``learner_id``'s data (staff: all; a learner: self)."""
    return principal.role != "learner" or principal.learner_id == learner_id


async def visible_learner(learner_id: str, principal: CallerDep) -> str:
    """The path's learner id when the caller may see it; 404 (not 403) otherwise.

    A learner key asking about someone else learns nothing, not even that they exist.
    """
    if not can_see(principal, learner_id):
        raise NotFoundError(f"no learner {learner_id!r}")
    return learner_id


LearnerIdDep = Annotated[str, Depends(visible_learner)]


@dataclass(frozen=True)
class PageParams:
    """``limit`` and ``offset`` of a list route."""

    limit: int
    offset: int


async def page_params(
    limit: Annotated[int, Query(ge=1, le=500, description="Page size.")] = 50,
    offset: Annotated[int, Query(ge=0, le=10**9, description="Items to skip.")] = 0,
) -> PageParams:
    """Pagination parameters of list routes."""
    return PageParams(limit, offset)


PageDep = Annotated[PageParams, Depends(page_params)]
