"""A time budget for each decision a request makes: an ASGI middleware.

The routes run in anyio's worker threads, which start from a copy of the request's context,
so a budget set here (a context variable of :mod:`rules.linear`) reaches every decision the
request makes, and no other request's.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from rules.linear import solver_budget


class SolverBudget:
    """Give each decision made while answering a request at most ``seconds``."""

    def __init__(self, app: ASGIApp, seconds: float) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on with the budget set."""
        with solver_budget(self.seconds):
            await self.app(scope, receive, send)
