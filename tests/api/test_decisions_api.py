"""Audit systems: logged decisions, idempotency, batches, replay (contract section 7)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from store.tables import DecisionLog
from tests.api.helpers import EXAMPLES, assert_problem, auth

ASK = {"catalog": "stackwise-demo", "target": "mc-prog", "as_of": "2026-11-28", "learner": "ben"}


def _logged(app: FastAPI) -> int:
    with Session(app.state.engine) as session:
        return int(session.exec(select(func.count()).select_from(DecisionLog)).one())


def test_a_decision_is_201_with_its_id_and_catalog_ref(
    client: TestClient, keys: dict[str, str]
) -> None:
    response = client.post("/v1/decisions", json=ASK, headers=auth(keys["auditor"]))
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "met" and body["target"] == "mc-prog"
    assert body["catalog"]["id"] == "stackwise-demo" and body["catalog"]["version"] == "2026.2"
    assert body["decision_id"] and body["engine_version"]
    again = client.get(f"/v1/decisions/{body['decision_id']}", headers=auth(keys["auditor"]))
    assert again.json() == body


def test_an_inline_record_decides_like_the_stored_one(
    client: TestClient, keys: dict[str, str]
) -> None:
    record = json.loads(Path(EXAMPLES / "learners" / "ben-halfway.json").read_text())
    h = auth(keys["auditor"])
    stored = client.post("/v1/decisions", json=ASK, headers=h).json()
    inline = client.post("/v1/decisions", json={**ASK, "learner": record}, headers=h).json()
    assert stored.pop("decision_id") != inline.pop("decision_id")
    assert stored == inline


def test_idempotency_key_retry_is_200_and_reuse_with_another_body_is_422(
    app: FastAPI, client: TestClient, keys: dict[str, str]
) -> None:
    h = {**auth(keys["auditor"]), "Idempotency-Key": "req-1"}
    first = client.post("/v1/decisions", json=ASK, headers=h)
    retry = client.post("/v1/decisions", json=ASK, headers=h)
    assert (first.status_code, retry.status_code) == (201, 200)
    assert retry.json() == first.json()
    assert _logged(app) == 1
    other = client.post("/v1/decisions", json={**ASK, "target": "prog-cert"}, headers=h)
    assert_problem(other, 422, "req-1")
    assert _logged(app) == 1


def test_a_batch_is_logged_whole_or_not_at_all(
    app: FastAPI, client: TestClient, keys: dict[str, str]
) -> None:
    h = auth(keys["auditor"])
    batch = [ASK, {**ASK, "learner": "carla", "target": "prog-cert"}]
    answers = client.post("/v1/decisions", json=batch, headers=h)
    assert answers.status_code == 201
    assert [a["status"] for a in answers.json()] == ["met", "met"]
    assert _logged(app) == 2
    broken = [ASK, {**ASK, "learner": "nobody"}]
    assert_problem(client.post("/v1/decisions", json=broken, headers=h), 404, "nobody")
    assert _logged(app) == 2
    assert_problem(client.post("/v1/decisions", json=[], headers=h), 422, "empty")


def test_bad_requests_name_the_culprit(client: TestClient, keys: dict[str, str]) -> None:
    h = auth(keys["auditor"])
    assert_problem(client.post("/v1/decisions", json={**ASK, "target": "nope"}, headers=h), 404)
    missing = {k: v for k, v in ASK.items() if k != "target"}
    assert_problem(client.post("/v1/decisions", json=missing, headers=h), 422, "/body/target")
    bad_date = {**ASK, "as_of": "someday"}
    assert_problem(client.post("/v1/decisions", json=bad_date, headers=h), 422, "/body/as_of")
    record = {
        "learner": "x",
        "earned": [{"credential": "cs-101", "earned_on": "2025-01-01", "grade": "Q"}],
    }
    bad_grade = {**ASK, "learner": record}
    assert_problem(client.post("/v1/decisions", json=bad_grade, headers=h), 422, "/earned/0/grade")
    other = {**ASK, "catalog": "elsewhere"}
    assert_problem(client.post("/v1/decisions", json=other, headers=h), 404, "elsewhere")
    assert_problem(client.post("/v1/decisions", json=ASK, headers=auth(keys["designer"])), 403)


def test_replay_over_http_and_the_log_is_paginated(
    client: TestClient, keys: dict[str, str]
) -> None:
    h = auth(keys["auditor"])
    ids = [client.post("/v1/decisions", json=ASK, headers=h).json()["decision_id"] for _ in "abc"]
    replay = client.post(f"/v1/decisions/{ids[0]}/replay", headers=h).json()
    assert replay["same"] is True and replay["logged_hash"] == replay["recomputed_hash"]
    page = client.get("/v1/decisions", params={"limit": 2}, headers=h).json()
    assert page["total"] == 3 and [e["decision_id"] for e in page["items"]] == ids[:0:-1]
    assert_problem(client.post("/v1/decisions/nope/replay", headers=h), 404, "nope")


@pytest.mark.usefixtures("starved_solver")
def test_a_solver_without_an_answer_is_503_and_logs_nothing(
    app: FastAPI, client: TestClient, keys: dict[str, str]
) -> None:
    ask = {**ASK, "target": "bs-cs", "learner": "carla"}  # goes to the staged MILP
    response = client.post("/v1/decisions", json=ask, headers=auth(keys["auditor"]))
    assert_problem(response, 503, "Time limit reached", "nothing was logged")
    assert _logged(app) == 0
