"""Issue 5 over HTTP: verify a badge, import a learner's wallet, CTDL in and out."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from store.keys import create_key
from tests.api.helpers import Answer, assert_problem, auth

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "interop"
OB = SHARED / "openbadges"
CATALOG = {
    "catalog": {"id": "badges-demo", "version": "1"},
    "credentials": [
        {"id": "teamwork", "name": "Teamwork", "type": "badge"},
        {"id": "team-cert", "type": "certificate", "requires": {"all": ["teamwork"]}},
    ],
}


def _post_badge(client: TestClient, url: str, key: str, file: Path, **params: str) -> Answer:
    return client.post(
        url, content=file.read_bytes(), headers=auth(key), params={"filename": file.name, **params}
    )


def test_verify_returns_the_verdict_trusted_or_not(
    client: TestClient, keys: dict[str, str]
) -> None:
    ok = _post_badge(client, "/v1/badges/verify", keys["learner"], OB / "ob30" / "simple.json")
    assert ok.status_code == 200 and ok.json()["trusted"] is True
    expired = client.post(
        "/v1/badges/verify",
        headers=auth(keys["learner"]),
        content=(OB / "ob30" / "simple-err-expired.json").read_bytes(),
    )
    assert expired.status_code == 200
    assert expired.json()["trusted"] is False and "expired" in expired.json()["rules_broken"]


def test_verify_refuses_garbage_and_callers_without_a_key(
    client: TestClient, keys: dict[str, str]
) -> None:
    assert_problem(
        client.post(
            "/v1/badges/verify",
            headers=auth(keys["auditor"]),
            content=b"\x00\x01 not a badge",
            params={"filename": "x.bin"},
        ),
        422,
    )
    assert_problem(
        client.post("/v1/badges/verify", headers=auth(keys["auditor"]), content=b""), 422, "empty"
    )
    assert_problem(client.post("/v1/badges/verify", content=b"{}"), 401)


def test_a_wallet_badge_reaches_the_record_only_when_trusted(
    app: FastAPI, client: TestClient, keys: dict[str, str]
) -> None:
    designer, staff = auth(keys["designer"]), auth(keys["admin"])
    assert client.post("/v1/catalogs", json=CATALOG, headers=designer).status_code == 201
    assert client.put("/v1/learners/sam", json={"learner": "sam"}, headers=staff).status_code == 201
    with Session(app.state.engine) as session:
        sam = create_key(session, "learner", "sam")[1]
    url = "/v1/learners/sam/wallet"
    added = _post_badge(client, url, sam, OB / "ob30" / "simple.json", catalog="badges-demo")
    assert added.status_code == 200, added.text
    assert added.json()["added"] == ["teamwork"]
    expired = OB / "ob30" / "simple-err-expired.json"
    refused = _post_badge(client, url, sam, expired, catalog="badges-demo").json()
    assert refused["added"] == [] and refused["refused"][0]["rules"] == ["expired"]
    record = client.get("/v1/learners/sam", headers=auth(sam)).json()
    assert [i["credential"] for i in record["record"]["earned"]] == ["teamwork"]
    decision = client.post(
        "/v1/decisions",
        headers=auth(keys["auditor"]),
        json={"catalog": "badges-demo", "target": "team-cert", "learner": "sam"},
    )
    assert decision.json()["status"] == "met"
    evidence = decision.json()["applied"][0]["evidence"]  # the verdict travels to the decision
    assert evidence["status"] == "valid" and evidence["checked_at"]
    assert {"check": "proof", "result": "passed"} in evidence["checks"]
    other = _post_badge(
        client, url, keys["learner"], OB / "ob30" / "simple.json", catalog="badges-demo"
    )
    assert_problem(other, 404, "sam")


def test_ctdl_import_and_export(client: TestClient, keys: dict[str, str]) -> None:
    designer = auth(keys["designer"])
    text = (SHARED / "ctdl" / "badgr" / "ctdl-french-ba.json").read_bytes()
    imported = client.post("/v1/ctdl/import", content=text, headers=designer)
    assert imported.status_code == 200, imported.text
    body = imported.json()
    assert body["catalog"]["credentials"] and "warnings" in body["report"]
    assert client.post("/v1/catalogs", json=body["catalog"], headers=designer).status_code == 201
    assert_problem(client.post("/v1/ctdl/import", content=text, headers=auth(keys["learner"])), 403)
    kansas = (SHARED / "ctdl" / "kansas" / "HutchinsonWeldingAAS.json").read_bytes()
    assert_problem(client.post("/v1/ctdl/import", content=kansas, headers=designer), 422, ":21:1")
    exported = client.get("/v1/catalogs/stackwise-demo/ctdl", headers=auth(keys["learner"]))
    assert exported.status_code == 200 and "@context" in exported.json()
    assert_problem(client.get("/v1/catalogs/nope/ctdl", headers=designer), 404, "nope")
