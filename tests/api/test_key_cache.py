"""Authenticated keys are cached for ``key_cache_seconds``; revocation is honoured."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlmodel import Session

from api.app import create_app
from api.settings import ApiSettings
from store import demo
from store.keys import create_key
from store.tables import ApiKey, utcnow
from tests.api.helpers import EXAMPLES, assert_problem, auth


def _revoke_elsewhere(session: Session, key_id: str) -> None:
    # As another worker process would: straight in the store, this process is not told.
    session.exec(update(ApiKey).where(ApiKey.id == key_id).values(revoked_at=utcnow()))  # type: ignore[arg-type]
    session.commit()


@pytest.mark.parametrize("seconds", [60.0, 0.0])
def test_a_key_revoked_by_another_process_works_at_most_key_cache_seconds(
    tmp_path: Path, seconds: float
) -> None:
    settings = ApiSettings(data_dir=tmp_path, database_url=None, key_cache_seconds=seconds)
    app = create_app(settings)
    demo.seed(app.state.engine, EXAMPLES)
    with Session(app.state.engine) as session, TestClient(app) as client:
        row, key = create_key(session, "auditor")
        assert client.get("/v1/decisions", headers=auth(key)).status_code == 200
        _revoke_elsewhere(session, row.id)
        again = client.get("/v1/decisions", headers=auth(key))
        if seconds:
            assert again.status_code == 200  # still trusted: within the documented bound
        else:
            assert_problem(again, 401, "revoked")
    app.state.engine.dispose()


def test_the_cache_setting_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STACKWISE_KEY_CACHE_SECONDS", "2.5")
    assert ApiSettings().key_cache_seconds == 2.5
