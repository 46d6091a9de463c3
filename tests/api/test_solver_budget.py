"""``STACKWISE_SOLVER_BUDGET``: a decision that runs out of time is 503 and logs nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from api.app import create_app
from api.settings import ApiSettings
from pathways.errors import UsageError
from store import demo
from store.keys import create_key
from store.settings import from_environment
from store.tables import DecisionLog
from tests.api.helpers import EXAMPLES, assert_problem, auth

ASK = {"catalog": "stackwise-demo", "as_of": "2026-11-28"}


@pytest.fixture
def hurried(tmp_path: Path) -> Iterator[tuple[FastAPI, TestClient, str]]:
    """An app whose decisions get a microsecond each, and an auditor's key."""
    settings = ApiSettings(data_dir=tmp_path, database_url=None, solver_budget=1e-6)
    app = create_app(settings)
    demo.seed(app.state.engine, EXAMPLES)
    with Session(app.state.engine) as session:
        key = create_key(session, "auditor")[1]
    with TestClient(app) as client:
        yield app, client, key
    app.state.engine.dispose()


def _logged(app: FastAPI) -> int:
    with Session(app.state.engine) as session:
        return int(session.exec(select(func.count()).select_from(DecisionLog)).one())


def test_a_decision_out_of_budget_is_503_and_logs_nothing(
    hurried: tuple[FastAPI, TestClient, str],
) -> None:
    app, client, key = hurried
    ask = {**ASK, "target": "bs-cs", "learner": "carla"}  # goes to the staged MILP
    response = client.post("/v1/decisions", json=ask, headers=auth(key))
    assert_problem(response, 503, "its solver budget of 1e-06 s ran out", "nothing was logged")
    assert _logged(app) == 0


def test_the_budget_bounds_solving_only(hurried: tuple[FastAPI, TestClient, str]) -> None:
    app, client, key = hurried
    # ben's microcredential needs no solver (the rule tree decides it): decided as ever
    ask = {**ASK, "target": "mc-prog", "learner": "ben"}
    response = client.post("/v1/decisions", json=ask, headers=auth(key))
    assert response.status_code == 201 and response.json()["status"] == "met"
    assert _logged(app) == 1


def test_the_default_budget_decides_a_degree(
    client: TestClient, keys: dict[str, str], settings: ApiSettings
) -> None:
    assert settings.solver_budget == 60.0
    ask = {**ASK, "target": "bs-cs", "learner": "carla"}
    response = client.post("/v1/decisions", json=ask, headers=auth(keys["auditor"]))
    assert response.status_code == 201 and response.json()["status"] == "not_met"


def test_the_budget_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STACKWISE_SOLVER_BUDGET", "2.5")
    assert ApiSettings().solver_budget == 2.5
    monkeypatch.setenv("STACKWISE_SOLVER_BUDGET", "0")
    with pytest.raises(UsageError, match="STACKWISE_SOLVER_BUDGET = '0'"):
        from_environment(ApiSettings)


def test_the_routes_that_decide_document_their_503(app: FastAPI) -> None:
    paths = app.openapi()["paths"]
    deciding = [
        ("post", "/v1/decisions"),
        ("post", "/v1/decisions/{decision_id}/replay"),
        ("get", "/v1/learners/{learner_id}/progress"),
        ("get", "/v1/learners/{learner_id}/recommendations"),
        ("get", "/v1/learners/{learner_id}/map.svg"),
    ]
    for method, path in deciding:
        answer = paths[path][method]["responses"]["503"]
        assert "STACKWISE_SOLVER_BUDGET" in answer["description"]
        assert list(answer["content"]) == ["application/problem+json"]
    assert "503" not in paths["/v1/catalogs"]["get"]["responses"]
