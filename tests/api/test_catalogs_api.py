"""Designers publish catalogs: 201, identical 200, conflict 409, located 422 (contract 7)."""

from __future__ import annotations

import json
from collections.abc import Mapping

import yaml
from fastapi.testclient import TestClient

from tests.api.helpers import assert_problem, auth

SMALL = {
    "catalog": {"id": "tiny-u", "version": "1"},
    "credentials": [
        {"id": "a", "name": "A", "type": "course", "credits": 3},
        {"id": "b", "name": "B", "type": "course", "credits": 3},
        {"id": "cert", "name": "Cert", "type": "certificate", "requires": {"all": ["a", "b"]}},
    ],
}


def _post(client: TestClient, key: str, body: Mapping[str, object], as_yaml: bool = False):  # type: ignore[no-untyped-def]
    if as_yaml:
        return client.post(
            "/v1/catalogs",
            content=yaml.safe_dump(body),
            headers={**auth(key), "content-type": "application/yaml"},
        )
    return client.post("/v1/catalogs", json=body, headers=auth(key))


def test_publish_is_201_then_identical_content_is_200_with_the_same_body(
    client: TestClient, keys: dict[str, str]
) -> None:
    first = _post(client, keys["designer"], SMALL)
    assert first.status_code == 201
    assert set(first.json()) == {"id", "version", "hash"}
    assert first.json()["id"] == "tiny-u" and first.json()["hash"].startswith("sha256:")
    again = _post(client, keys["designer"], SMALL, as_yaml=True)
    assert again.status_code == 200
    assert again.json() == first.json()


def test_same_id_and_version_with_other_content_is_409(
    client: TestClient, keys: dict[str, str]
) -> None:
    assert _post(client, keys["designer"], SMALL).status_code == 201
    changed = json.loads(json.dumps(SMALL))
    changed["credentials"][0]["credits"] = 4
    assert_problem(_post(client, keys["designer"], changed), 409, "tiny-u", "'1'")


def test_located_errors_are_422_naming_line_key_and_id(
    client: TestClient, keys: dict[str, str]
) -> None:
    bad = json.loads(json.dumps(SMALL))
    bad["credentials"][1]["cerdits"] = 3
    body = assert_problem(_post(client, keys["designer"], bad, as_yaml=True), 422, "cerdits")
    assert "catalog.yaml:" in body["errors"][0]
    unknown = json.loads(json.dumps(SMALL))
    unknown["credentials"][2]["requires"] = {"all": ["a", "zz"]}
    assert_problem(_post(client, keys["designer"], unknown), 422, "zz")


def test_unparseable_bodies_are_422_not_500(client: TestClient, keys: dict[str, str]) -> None:
    h = {**auth(keys["designer"])}
    assert_problem(client.post("/v1/catalogs", content=b"", headers=h), 422, "empty")
    assert_problem(client.post("/v1/catalogs", content=b"\xff\xfe", headers=h), 422, "not UTF-8")
    assert_problem(
        client.post(
            "/v1/catalogs",
            content=b'{"catalog": ',
            headers={**h, "content-type": "application/json"},
        ),
        422,
        "not valid JSON",
    )
    assert_problem(client.post("/v1/catalogs", content=b"a: [b", headers=h), 422, "YAML")


def test_a_yaml_alias_bomb_is_refused(client: TestClient, keys: dict[str, str]) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join(['*a' + str(i - 1)] * 10)}]" for i in range(1, 12)]
    response = client.post("/v1/catalogs", content="\n".join(lines), headers=auth(keys["designer"]))
    assert_problem(response, 422, "aliases")


def test_only_designers_and_admins_publish(client: TestClient, keys: dict[str, str]) -> None:
    assert_problem(_post(client, keys["auditor"], SMALL), 403, "auditor")
    assert_problem(_post(client, keys["learner"], SMALL), 403, "learner")
    assert_problem(client.post("/v1/catalogs", json=SMALL), 401, "API key")
    assert _post(client, keys["admin"], SMALL).status_code == 201


def test_validate_and_diff_a_draft_against_the_last_version(
    client: TestClient, keys: dict[str, str]
) -> None:
    h = auth(keys["designer"])
    assert _post(client, keys["designer"], SMALL).status_code == 201
    draft = json.loads(json.dumps(SMALL))
    draft["catalog"]["version"] = "2"
    draft["credentials"][0]["credits"] = 4
    draft["credentials"].append({"id": "c", "name": "C", "type": "course"})
    valid = client.post("/v1/catalogs/validate", json=draft, headers=h)
    assert valid.status_code == 200 and valid.json()["stacked"] == ["cert"]
    diff = client.post("/v1/catalogs/diff", json=draft, headers=h).json()
    assert diff["against"]["version"] == "1"
    assert diff["credentials"]["added"] == ["c"]
    assert diff["credentials"]["changed"] == {"a": ["credits"]}
    listed = client.get("/v1/catalogs", params={"catalog": "tiny-u"}, headers=h).json()
    assert listed["total"] == 1  # validate and diff store nothing


def test_list_is_paginated_and_versions_are_readable(
    client: TestClient, keys: dict[str, str]
) -> None:
    h = auth(keys["designer"])
    for version in ("1", "2", "3"):
        body = {**SMALL, "catalog": {"id": "tiny-u", "version": version}}
        assert _post(client, keys["designer"], body).status_code == 201
    page = client.get("/v1/catalogs", params={"limit": 2, "offset": 1}, headers=h).json()
    assert page["total"] == 4 and [i["version"] for i in page["items"]] == ["2", "1"]
    latest = client.get("/v1/catalogs/tiny-u", headers=auth(keys["learner"])).json()
    assert latest["version"] == "3" and latest["content"]["credentials"][0]["id"] == "a"
    assert_problem(client.get("/v1/catalogs/tiny-u/versions/9", headers=h), 404, "'9'")
    assert_problem(client.get("/v1/catalogs", params={"limit": 0}, headers=h), 422, "limit")
