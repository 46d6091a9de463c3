"""Staff store learners; a learner key sees only its learner (404 otherwise); erasure."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.helpers import assert_problem, auth

ITEM = {"credential": "cs-101", "earned_on": "2025-05-09", "grade": "A"}


def test_put_creates_201_then_replaces_200(client: TestClient, keys: dict[str, str]) -> None:
    h = auth(keys["auditor"])
    first = client.put("/v1/learners/zoe", json={"earned": [ITEM]}, headers=h)
    assert first.status_code == 201
    assert first.json()["record"]["earned"][0]["credential"] == "cs-101"
    again = client.put("/v1/learners/zoe", json={"learner": "zoe", "earned": []}, headers=h)
    assert again.status_code == 200 and again.json()["record"]["earned"] == []


def test_put_names_the_culprit(client: TestClient, keys: dict[str, str]) -> None:
    h = auth(keys["designer"])
    assert_problem(
        client.put("/v1/learners/zoe", json={"learner": "max"}, headers=h), 422, "/learner", "max"
    )
    bad = {"earned": [{**ITEM, "grdae": "A"}]}
    assert_problem(client.put("/v1/learners/zoe", json=bad, headers=h), 422, "/earned/0", "grdae")
    assert_problem(client.put("/v1/learners/zoe", json=[1], headers=h), 422, "/body")
    assert_problem(client.put("/v1/learners/zoe", json={}, headers=auth(keys["learner"])), 403)


def test_adding_items_appends_and_names_bad_items(client: TestClient, keys: dict[str, str]) -> None:
    h = auth(keys["auditor"])
    added = client.post("/v1/learners/ben/items", json=ITEM, headers=h)
    assert added.status_code == 201 and added.json() == {
        "learner": "ben",
        "added": 1,
        "total_items": 6,
    }
    two = client.post("/v1/learners/ben/items", json=[ITEM, ITEM], headers=h).json()
    assert two["total_items"] == 8
    bad = [ITEM, {"credential": "cs-101", "earned_on": "yesterday"}]
    assert_problem(client.post("/v1/learners/ben/items", json=bad, headers=h), 422, "/1/earned_on")
    assert_problem(client.post("/v1/learners/ben/items", json=[], headers=h), 422, "empty")
    assert_problem(client.post("/v1/learners/nobody/items", json=ITEM, headers=h), 404, "nobody")


def test_exceptions_record_who_when_and_why(client: TestClient, keys: dict[str, str]) -> None:
    h = auth(keys["auditor"])
    body = {"waive": "cs-220", "reason": "approved by dean", "by": "registrar"}
    made = client.post("/v1/learners/ben/exceptions", json=body, headers=h)
    assert made.status_code == 201
    assert made.json()["reason"] == "approved by dean" and made.json()["added_at"]
    listed = client.get("/v1/learners/ben/exceptions", headers=auth(keys["learner"])).json()
    assert listed[0]["exception"]["by"] == "registrar"
    no_reason = {"waive": "cs-220"}
    assert_problem(
        client.post("/v1/learners/ben/exceptions", json=no_reason, headers=h), 422, "reason"
    )
    both = {"waive": "x", "apply": "y", "reason": "r"}
    assert_problem(client.post("/v1/learners/ben/exceptions", json=both, headers=h), 422)


def test_a_learner_key_sees_only_its_learner(client: TestClient, keys: dict[str, str]) -> None:
    mine = auth(keys["learner"])
    assert client.get("/v1/learners/ben", headers=mine).json()["id"] == "ben"
    for path in ("", "/progress", "/recommendations", "/exceptions", "/decisions"):
        assert_problem(client.get(f"/v1/learners/carla{path}", headers=mine), 404, "carla")
    assert_problem(client.get("/v1/learners", headers=mine), 403, "learner")
    progress = client.get("/v1/learners/ben/progress", params={"as_of": "2026-11-28"}, headers=mine)
    goals = {d["target"]: d["status"] for d in progress.json()}
    assert goals["mc-prog"] == "met" and goals["mc-web"] == "in_progress"
    advice = client.get(
        "/v1/learners/ben/recommendations",
        params={"goal": "mc-data", "by": "cost", "as_of": "2026-11-28"},
        headers=mine,
    )
    assert advice.status_code == 200 and advice.json()["plan"] == ["cs-225"]


def test_staff_list_learners_with_pagination(client: TestClient, keys: dict[str, str]) -> None:
    page = client.get("/v1/learners", params={"limit": 2}, headers=auth(keys["auditor"])).json()
    assert page["total"] == 6 and len(page["items"]) == 2 and page["items"][0]["id"] == "ana"


def test_erasing_a_learner_keeps_only_hashes_in_the_log(
    client: TestClient, keys: dict[str, str]
) -> None:
    made = client.post(
        "/v1/decisions",
        json={"catalog": "stackwise-demo", "target": "prog-cert", "learner": "ben"},
        headers=auth(keys["auditor"]),
    ).json()
    assert_problem(client.delete("/v1/learners/ben", headers=auth(keys["auditor"])), 403)
    erased = client.delete("/v1/learners/ben", headers=auth(keys["admin"])).json()
    assert erased == {
        "learner": "ben",
        "items": 5,
        "exceptions": 0,
        "decisions_redacted": 1,
        "keys_removed": 1,
    }
    h = auth(keys["auditor"])
    assert_problem(client.get("/v1/learners/ben", headers=h), 404, "ben")
    assert_problem(client.get(f"/v1/decisions/{made['decision_id']}", headers=h), 410, "erased")
    entry = client.get(f"/v1/decisions/{made['decision_id']}/log", headers=h).json()
    assert entry["status"] == "erased" and entry["erased_at"]
    assert entry["decision_hash"].startswith("sha256:")
    assert "ben" not in str(entry)
    assert_problem(client.get("/v1/learners/ben", headers=auth(keys["learner"])), 401)
