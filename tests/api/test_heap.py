"""The app exempts what it holds from full collections while it runs (api/heap.py)."""

from __future__ import annotations

import gc

from fastapi import FastAPI
from fastapi.testclient import TestClient


def test_startup_objects_are_exempt_while_the_app_runs_and_handed_back_after(
    app: FastAPI,
) -> None:
    assert gc.get_freeze_count() == 0
    with TestClient(app) as client:
        # the app, its routes and every imported module: well over the few thousand
        # objects a bare interpreter holds
        assert gc.get_freeze_count() > 50_000
        assert client.get("/v1/health").status_code == 200
    assert gc.get_freeze_count() == 0  # collectable again once the app has shut down
