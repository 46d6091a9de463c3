"""Fixtures of the API tests: an app on a fresh embedded store with the demo loaded."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from api.app import create_app
from api.settings import ApiSettings
from store import demo
from store.keys import create_key
from tests.api.helpers import EXAMPLES


@pytest.fixture
def settings(tmp_path: Path) -> ApiSettings:
    """Settings of a fresh embedded store in a temporary folder."""
    return ApiSettings(data_dir=tmp_path, database_url=None, max_body_bytes=200_000)


@pytest.fixture
def app(settings: ApiSettings) -> Iterator[FastAPI]:
    """The app with the demo catalog and learners loaded."""
    app = create_app(settings)
    demo.seed(app.state.engine, EXAMPLES)
    yield app
    app.state.engine.dispose()


@pytest.fixture
def keys(app: FastAPI) -> dict[str, str]:
    """A key per role; the learner key is bound to ``ben``."""
    out = {}
    with Session(app.state.engine) as session:
        for role in ("admin", "designer", "auditor"):
            out[role] = create_key(session, role)[1]
        out["learner"] = create_key(session, "learner", "ben")[1]
    return out


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """A test client of the app."""
    with TestClient(app) as client:
        yield client
