"""The application factory: ``create_app(settings) -> FastAPI``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from anyio import to_thread
from fastapi import APIRouter, FastAPI

from api import heap, problems
from api.budget import SolverBudget
from api.limits import BodyLimit
from api.routes import catalogs, decisions, health, keys, learners, maps, progress, standards
from api.settings import ApiSettings
from api.tcp import nodelay_on_listeners
from pathways.version import ENGINE_VERSION
from store import open_store
from store.settings import from_environment

TAGS = [
    {"name": "designers", "description": "Curriculum designers: catalogs and their maps."},
    {"name": "staff", "description": "Registrars and advisers: learner records and exceptions."},
    {"name": "learners", "description": "A learner (or staff): record, progress, next steps."},
    {"name": "audit systems", "description": "Degree-audit systems: logged, replayable decisions."},
    {"name": "admin", "description": "API keys, roles and erasure."},
    {"name": "health", "description": "Liveness (no key needed)."},
]


def create_app(settings: ApiSettings | None = None) -> FastAPI:
    """Build the app; the store is opened (and migrated) once, at startup."""
    settings = settings or from_environment(ApiSettings)
    engine = open_store(settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        nodelay_on_listeners()  # see api/tcp.py: uvicorn --workers leaves Nagle on
        heap.settle()  # see api/heap.py: a full collection was the p99 latency
        # Every route is synchronous and runs in anyio's threads. With its default of 40,
        # a worker interleaves dozens of requests on one interpreter lock and each waits for
        # all of them; a few threads finish each one sooner (docs/performance.md, session 6).
        to_thread.current_default_thread_limiter().total_tokens = settings.request_threads
        try:
            yield
        finally:
            heap.release()
            engine.dispose()

    app = FastAPI(
        title="Stackwise",
        version=ENGINE_VERSION,
        summary="Exact, explainable credential stacking decisions over HTTP.",
        openapi_tags=TAGS,
        openapi_url="/v1/openapi.json",
        docs_url="/v1/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    problems.install(app)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(SolverBudget, seconds=settings.solver_budget)

    v1 = APIRouter(prefix="/v1")
    # Routes are matched in order: the busiest route (POST /v1/decisions) first. No path
    # of one router overlaps another's, so the order changes nothing else.
    v1.include_router(decisions.router)
    v1.include_router(health.router)
    v1.include_router(catalogs.router)
    v1.include_router(maps.router)
    v1.include_router(learners.staff)
    v1.include_router(learners.own)
    v1.include_router(progress.router)
    v1.include_router(keys.router)
    v1.include_router(standards.router)
    app.include_router(v1)

    from api.web.pages import mount

    mount(app)
    return app
