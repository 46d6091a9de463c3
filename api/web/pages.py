"""The web page: sign in with a key once, then browse catalogs, maps and a learner's progress.

Server-rendered Jinja templates (no build step). The key is exchanged for an HTTP-only,
SameSite=Strict session cookie; the key itself is never kept in the browser.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Form, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from api.deps import SessionDep, SettingsDep, can_see
from api.extras import available, module
from api.lookup import catalog_for, day
from pathways.errors import StackwiseError
from pathways.evaluate import evaluate_all
from pathways.recommend import recommend
from store import catalogs, learners, sessions
from store.errors import NotFoundError
from store.keys import Principal, authenticate

HERE = Path(__file__).parent
COOKIE = "stackwise_session"
templates = Jinja2Templates(directory=HERE / "templates")
router = APIRouter(prefix="/web", include_in_schema=False)
MAPS = "visualizations.maps"


class _SignIn(Exception):
    """Raised by :func:`web_principal` to send the browser to the sign-in page."""


def web_principal(request: Request, session: SessionDep) -> Principal:
    """The signed-in caller, from the session cookie."""
    token = request.cookies.get(COOKIE)
    principal = sessions.principal_for(session, token) if token else None
    if principal is None:
        raise _SignIn
    return principal


WebCaller = Annotated[Principal, Depends(web_principal)]


def _page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context, status_code=status)


def _error(request: Request, exc: StackwiseError, who: Principal | None) -> HTMLResponse:
    return _page(request, "error.html", exc.http_status, who=who, title=exc.title, detail=str(exc))


@router.get("/signin")
def signin_form(request: Request) -> HTMLResponse:
    """The sign-in form."""
    return _page(request, "signin.html", who=None, message=None)


@router.post("/signin")
def signin(
    request: Request, session: SessionDep, settings: SettingsDep, key: Annotated[str, Form()] = ""
) -> Response:
    """Exchange an API key for a session cookie."""
    principal = authenticate(session, key.strip())
    if principal is None:
        return _page(
            request, "signin.html", 401, who=None, message="That key is unknown or revoked."
        )
    token = sessions.open_session(session, principal.key_id, settings.session_hours)
    response = RedirectResponse("/web", status_code=303)
    response.set_cookie(
        COOKIE,
        token,
        max_age=settings.session_hours * 3600,
        httponly=True,
        samesite="strict",
        secure=settings.cookie_secure,
        path="/",
    )
    return response


@router.post("/signout")
def signout(request: Request, session: SessionDep) -> Response:
    """End the session and forget the cookie."""
    token = request.cookies.get(COOKIE)
    if token:
        sessions.close_session(session, token)
    response = RedirectResponse("/web/signin", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


@router.get("")
def home(request: Request, session: SessionDep, who: WebCaller) -> Response:
    """A learner goes to their own page; staff see catalogs and learners."""
    if who.role == "learner" and who.learner_id:
        return RedirectResponse(f"/web/learners/{who.learner_id}", status_code=303)
    versions, _ = catalogs.list_versions(session, None, 50, 0)
    people, total = learners.list_learners(session, 100, 0)
    return _page(
        request, "home.html", who=who, versions=versions, learners=people, learner_total=total
    )


@router.get("/catalogs/{catalog_id}")
def catalog_page(
    request: Request,
    catalog_id: str,
    session: SessionDep,
    who: WebCaller,
    version: Annotated[str | None, Query()] = None,
) -> HTMLResponse:
    """A catalog's pathway map and its credentials."""
    try:
        catalog = catalog_for(session, catalog_id, version)
    except StackwiseError as exc:
        return _error(request, exc, who)
    return _page(request, "catalog.html", who=who, catalog=catalog, maps=available(MAPS))


@router.get("/catalogs/{catalog_id}/map.svg")
def catalog_svg(catalog_id: str, session: SessionDep, who: WebCaller) -> Response:
    """The catalog map as SVG (for the page's <img>)."""
    maps = module(MAPS, "pathway maps")
    dot = maps.catalog_map(catalog_for(session, catalog_id))
    return Response(maps.to_svg(dot), media_type="image/svg+xml")


@router.get("/learners/{learner_id}")
def learner_page(
    request: Request,
    learner_id: str,
    session: SessionDep,
    who: WebCaller,
    catalog: Annotated[str | None, Query()] = None,
    as_of: Annotated[dt.date | None, Query()] = None,
) -> HTMLResponse:
    """A learner's progress per goal, recommended next steps and map."""
    if not can_see(who, learner_id):
        return _error(request, NotFoundError(f"no learner {learner_id!r}"), who)
    try:
        loaded = catalog_for(session, catalog)
        record = learners.get_record(session, learner_id)
        decisions = evaluate_all(loaded, record, day(as_of))
        advice = recommend(loaded, record, None, as_of=day(as_of), limit=5)
    except StackwiseError as exc:
        return _error(request, exc, who)
    order = {"met": 0, "in_progress": 1, "not_met": 2}
    decisions.sort(key=lambda d: (order[d.status], -d.progress, d.target))
    return _page(
        request,
        "learner.html",
        who=who,
        learner=learners.get_learner(session, learner_id),
        record=record,
        catalog=loaded,
        decisions=decisions,
        advice=advice,
        as_of=day(as_of),
        maps=available(MAPS),
    )


@router.get("/learners/{learner_id}/map.svg")
def learner_svg(
    learner_id: str,
    session: SessionDep,
    who: WebCaller,
    catalog: Annotated[str | None, Query()] = None,
) -> Response:
    """The learner's map as SVG (for the page's <img>)."""
    if not can_see(who, learner_id):
        return Response(status_code=404)
    maps = module(MAPS, "pathway maps")
    loaded = catalog_for(session, catalog)
    record = learners.get_record(session, learner_id)
    dot = maps.catalog_map(loaded, record=record, as_of=dt.date.today())
    return Response(maps.to_svg(dot), media_type="image/svg+xml")


def mount(app: FastAPI) -> None:
    """Add the web page's routes, static files and the sign-in redirect to ``app``."""

    async def to_signin(request: Request, exc: Exception) -> Response:
        return RedirectResponse("/web/signin", status_code=303)

    app.add_exception_handler(_SignIn, to_signin)
    app.include_router(router)
    app.mount("/web/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/web", status_code=303)
