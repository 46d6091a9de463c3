"""Each worker runs at most ``request_threads`` synchronous handlers at once (api/app.py)."""

from __future__ import annotations

from pathlib import Path

from anyio import to_thread
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import ApiSettings


async def _tokens() -> float:
    return to_thread.current_default_thread_limiter().total_tokens


def test_the_thread_limit_is_the_setting_and_four_by_default(tmp_path: Path) -> None:
    for wanted, settings in [
        (4, ApiSettings(data_dir=tmp_path, database_url=None)),
        (7, ApiSettings(data_dir=tmp_path, database_url=None, request_threads=7)),
    ]:
        app = create_app(settings)
        with TestClient(app) as client:
            assert client.portal is not None
            assert client.portal.call(_tokens) == wanted
            assert client.get("/v1/health").status_code == 200
        app.state.engine.dispose()
