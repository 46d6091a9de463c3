"""50 concurrent clients adding items to one learner lose nothing (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from sqlmodel import Session

from api.app import create_app
from api.settings import ApiSettings
from store import learners
from store.keys import create_key
from tests.api.helpers import auth, fresh_postgres_database, live_server, postgres_reachable

CLIENTS = 50


@pytest.fixture
def sqlite_settings(tmp_path: Path) -> ApiSettings:
    """A fresh embedded store."""
    return ApiSettings(data_dir=tmp_path, database_url=None)


@pytest.fixture
def postgres_settings(tmp_path: Path) -> Iterator[ApiSettings]:
    """A fresh PostgreSQL database for this run (skips, saying why, when unreachable)."""
    reason = postgres_reachable()
    if reason:
        pytest.skip(reason)
    with fresh_postgres_database() as url:
        yield ApiSettings(data_dir=tmp_path, database_url=url)


def _hammer(settings: ApiSettings) -> None:
    app = create_app(settings)
    with Session(app.state.engine) as session:
        key = create_key(session, "auditor")[1]
    with live_server(app) as base:
        created = httpx.put(f"{base}/v1/learners/pat", json={"earned": []}, headers=auth(key))
        assert created.status_code == 201

        def add(n: int) -> int:
            item = {"credential": f"c-{n}", "earned_on": "2025-01-01", "note": str(n)}
            with httpx.Client(timeout=60) as client:
                response = client.post(
                    f"{base}/v1/learners/pat/items", json=item, headers=auth(key)
                )
            return response.status_code

        with ThreadPoolExecutor(CLIENTS) as pool:
            statuses = list(pool.map(add, range(CLIENTS)))
    assert statuses == [201] * CLIENTS
    with Session(app.state.engine) as session:
        record = learners.get_record(session, "pat")
    assert sorted(i.credential for i in record.earned) == sorted(f"c-{n}" for n in range(CLIENTS))
    app.state.engine.dispose()


def test_concurrent_adds_lose_nothing_on_sqlite(sqlite_settings: ApiSettings) -> None:
    _hammer(sqlite_settings)


@pytest.mark.postgres
def test_concurrent_adds_lose_nothing_on_postgres(postgres_settings: ApiSettings) -> None:
    _hammer(postgres_settings)
