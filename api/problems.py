"""RFC 9457 problem details (``application/problem+json``) for every error the app returns."""

from __future__ import annotations

import logging
import re
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from pathways.errors import CatalogError, StackwiseError
from rules.linear import SolverFailure

MEDIA_TYPE = "application/problem+json"
log = logging.getLogger("stackwise.api")

#: What a route that decides answers when no decision could be made (OpenAPI responses).
NO_ANSWER: dict[int | str, dict[str, Any]] = {
    503: {
        "description": "No decision could be made: the solver budget of a decision "
        "(STACKWISE_SOLVER_BUDGET) ran out, or HiGHS gave no answer. Nothing was logged; "
        "the same request may succeed later, on a less busy server.",
        "content": {MEDIA_TYPE: {}},
    }
}


def problem(
    status: int,
    detail: str,
    *,
    title: str | None = None,
    instance: str | None = None,
    headers: dict[str, str] | None = None,
    **extensions: Any,
) -> JSONResponse:
    """A problem+json response; ``title`` defaults to the status phrase."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    body.update(extensions)
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


# pydantic names the branch of a union body in `loc` ("DecisionCreate", "list[...]"); our
# field names are lower case, so a segment starting upper case (or a generic) is a type tag.
_TYPE_TAG = re.compile(r"^([A-Z]\w*|\w+\[.*\])$")
_SHAPE_ERRORS = {"list_type", "dict_type", "model_type", "model_attributes_type"}


def _pointer(loc: tuple[Any, ...] | list[Any]) -> str:
    return "/" + "/".join(str(p) for p in loc if not (isinstance(p, str) and _TYPE_TAG.match(p)))


def _useful(errors: list[Any]) -> list[Any]:
    # With a union body, "should be a list" next to a real error in the object is noise.
    specific = [e for e in errors if e.get("type") not in _SHAPE_ERRORS]
    return specific or errors


async def _stackwise(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StackwiseError)
    extra: dict[str, Any] = {}
    if isinstance(exc, CatalogError):
        extra["errors"] = exc.errors
    return problem(exc.http_status, str(exc), title=exc.title, instance=request.url.path, **extra)


async def _http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
    if exc.status_code == 404 and detail == "Not Found":
        detail = f"no such resource: {request.url.path}"
    if exc.status_code == 405:
        detail = f"{request.method} is not allowed on {request.url.path}"
    return problem(
        exc.status_code, detail, instance=request.url.path, headers=dict(exc.headers or {})
    )


async def _validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"pointer": _pointer(e.get("loc", ())), "message": str(e.get("msg", "")), "type": e["type"]}
        for e in _useful(list(exc.errors()))
    ]
    first = errors[0] if errors else {"pointer": "/", "message": "invalid request"}
    detail = f"{first['pointer']}: {first['message']}"
    if len(errors) > 1:
        detail += f" (and {len(errors) - 1} more)"
    return problem(422, detail, title="Invalid request", instance=request.url.path, errors=errors)


async def _no_answer(request: Request, exc: Exception) -> JSONResponse:
    # Not the request's fault and not a bug of ours: HiGHS stopped without an answer (its
    # time limit, on a huge program or a starved host). Nothing was logged: a decision is
    # logged only once made.
    log.warning("no decision on %s %s: %s", request.method, request.url.path, exc)
    return problem(
        503,
        f"no decision could be made: {exc}; nothing was logged",
        title="Solver gave no answer",
        instance=request.url.path,
    )


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return problem(500, "internal error; it has been logged", instance=request.url.path)


def install(app: FastAPI) -> None:
    """Route every error the app can raise to a problem+json response."""
    app.add_exception_handler(StackwiseError, _stackwise)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(SolverFailure, _no_answer)
    app.add_exception_handler(Exception, _unexpected)
