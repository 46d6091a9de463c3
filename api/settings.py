"""Service settings (pydantic-settings, ``STACKWISE_*`` environment variables)."""

from __future__ import annotations

from pydantic import Field

from store.settings import StoreSettings


class ApiSettings(StoreSettings):
    """Where the store is (inherited) and the service's limits."""

    #: Largest request body accepted (bytes); larger is 413.
    max_body_bytes: int = 2_000_000
    #: Most decisions in one batch request.
    max_batch: int = 200
    #: How long a web sign-in lasts.
    session_hours: int = 12
    #: Send the session cookie only over HTTPS (turn on behind TLS).
    cookie_secure: bool = False
    #: How long (seconds) an authenticated API key is trusted without looking it up again.
    #: Revoking a key through this process takes effect at once; another worker process of
    #: the same service may accept a revoked key for at most this long. 0 looks every
    #: request up.
    key_cache_seconds: float = 5.0
    #: Synchronous requests one worker process runs at once (anyio's thread limiter, whose
    #: own default is 40); more wait their turn. Few threads let each request finish before
    #: the next takes the interpreter lock from it: on 2 cores, 4 cut the p99 of decisions
    #: at 500/s by a third against 40 (docs/performance.md, session 6). A long request (a
    #: batch, a big degree) holds its thread meanwhile: raise it for such workloads.
    request_threads: int = Field(default=4, ge=1, le=1000)
    #: Seconds one decision (or one recommendation) may take before the request gives up
    #: with 503 and logs nothing. It bounds how long a huge program can hold a worker's
    #: thread; a typical degree takes milliseconds (docs/performance.md). Checked by the
    #: solver between and during its stages, so an answer may overrun it by milliseconds.
    solver_budget: float = Field(default=60.0, gt=0)
