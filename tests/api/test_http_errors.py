"""problem+json everywhere (404/405/422 of the framework too), 401 without a key, 413."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi.testclient import TestClient

from tests.api.helpers import assert_problem, auth


def test_health_needs_no_key_and_every_other_route_does(client: TestClient) -> None:
    assert client.get("/v1/health").json()["status"] == "ok"
    schema = client.get("/v1/openapi.json").json()
    for path, operations in schema["paths"].items():
        for method in operations:
            if path == "/v1/health":
                continue
            url = path.replace("{", "").replace("}", "")
            response = client.request(method, url)
            assert_problem(response, 401, "API key")
            assert response.headers["www-authenticate"] == "Bearer"


def test_a_wrong_or_revoked_key_is_401(client: TestClient, keys: dict[str, str]) -> None:
    assert_problem(client.get("/v1/catalogs", headers=auth("sw_nope_nope")), 401, "unknown")
    made = client.post("/v1/keys", json={"role": "designer"}, headers=auth(keys["admin"])).json()
    assert client.get("/v1/catalogs", headers=auth(made["key"])).status_code == 200
    client.delete(f"/v1/keys/{made['id']}", headers=auth(keys["admin"]))
    assert_problem(client.get("/v1/catalogs", headers=auth(made["key"])), 401, "revoked")


def test_framework_errors_are_problems(client: TestClient, keys: dict[str, str]) -> None:
    h = auth(keys["admin"])
    assert_problem(client.get("/v1/nothing-here", headers=h), 404, "/v1/nothing-here")
    assert_problem(client.delete("/v1/health"), 405, "DELETE")
    assert_problem(
        client.post(
            "/v1/keys", content=b"{not json", headers={**h, "content-type": "application/json"}
        ),
        422,
        "/body",
    )
    assert_problem(client.post("/v1/keys", json={"role": "king"}, headers=h), 422, "/body/role")


def test_bodies_over_the_limit_are_413(client: TestClient, keys: dict[str, str]) -> None:
    h = auth(keys["designer"])
    big = b"x" * 300_000
    assert_problem(client.post("/v1/catalogs", content=big, headers=h), 413, "larger than")

    def chunks() -> Iterator[bytes]:
        for _ in range(30):
            yield b"y" * 10_000

    assert_problem(client.post("/v1/catalogs", content=chunks(), headers=h), 413, "larger than")


def test_keys_and_roles_are_admin_only(client: TestClient, keys: dict[str, str]) -> None:
    assert_problem(client.get("/v1/keys", headers=auth(keys["designer"])), 403, "designer")
    roles = client.get("/v1/roles", headers=auth(keys["admin"])).json()
    assert {r["role"] for r in roles} == {"designer", "learner", "auditor", "admin"}
    listed = client.get("/v1/keys", headers=auth(keys["admin"])).json()
    assert (
        listed["total"] == 4
        and "secret_hash" not in str(listed)
        and "key" not in listed["items"][0]
    )
    bad = client.post("/v1/keys", json={"role": "learner"}, headers=auth(keys["admin"]))
    assert_problem(bad, 422, "learner id")


def test_openapi_is_tagged_per_user_group(client: TestClient) -> None:
    schema = client.get("/v1/openapi.json").json()
    tags = {t for ops in schema["paths"].values() for op in ops.values() for t in op["tags"]}
    assert {"designers", "staff", "learners", "audit systems", "admin", "health"} <= tags
