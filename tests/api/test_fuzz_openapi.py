"""No malformed request gets a 500: hypothesis drives every operation of the OpenAPI schema.

Bodies are arbitrary JSON (often shaped like the operation's schema, with its property names
and wrong values), raw bytes, or YAML-ish text; path and query parameters are arbitrary text.
Every answer must be below 500, and every error a problem+json.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api.helpers import auth
from tests.properties import examples

scalars = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)


def _operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, op) for path, ops in schema["paths"].items() for method, op in ops.items()
    ]


def _properties(schema: dict[str, Any], op: dict[str, Any]) -> list[str]:
    names: set[str] = {"catalog", "target", "learner", "earned", "credential", "as_of", "role"}
    content = op.get("requestBody", {}).get("content", {})
    for media in content.values():
        text = json.dumps(media.get("schema", {}))
        for ref in [p.split('"')[0] for p in text.split('"$ref": "#/components/schemas/')[1:]]:
            names |= set(schema["components"]["schemas"].get(ref, {}).get("properties", {}))
    return sorted(names)


def _body(names: list[str]) -> st.SearchStrategy[tuple[str, bytes]]:
    shaped = st.dictionaries(st.sampled_from(names), json_values, max_size=6)
    as_json = (json_values | shaped | st.lists(shaped, max_size=3)).map(
        lambda v: ("application/json", json.dumps(v).encode())
    )
    raw = st.binary(max_size=200).map(lambda b: ("application/json", b))
    text = st.text(max_size=200).map(lambda t: ("application/yaml", t.encode("utf-8", "replace")))
    return as_json | raw | text


@pytest.fixture
def schema(client: TestClient) -> dict[str, Any]:
    """The app's OpenAPI document."""
    document: dict[str, Any] = client.get("/v1/openapi.json").json()
    return document


def test_no_operation_answers_500_to_malformed_input(
    client: TestClient, keys: dict[str, str], schema: dict[str, Any]
) -> None:
    operations = _operations(schema)
    assert len(operations) > 20
    seen_statuses: set[int] = set()

    @settings(
        max_examples=examples(400),
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        database=None,
    )
    @given(
        index=st.integers(0, len(operations) - 1),
        data=st.data(),
        path_value=st.sampled_from(["ben", "stackwise-demo", "2026.2"]) | st.text(max_size=12),
        query=st.dictionaries(
            st.sampled_from(["limit", "offset", "as_of", "by", "goal", "catalog", "version"]),
            st.text(st.characters(min_codepoint=32, max_codepoint=0x2FF), max_size=8),
            max_size=3,
        ),
    )
    def check(index: int, data: st.DataObject, path_value: str, query: dict[str, str]) -> None:
        method, path, op = operations[index]
        url = path
        for param in op.get("parameters", []):
            if param["in"] == "path":
                url = url.replace("{" + param["name"] + "}", quote(path_value, safe="") or "x")
        headers = auth(keys["admin"])
        content = None
        if "requestBody" in op:
            media, content = data.draw(_body(_properties(schema, op)))
            headers["content-type"] = media
        if data.draw(st.booleans()):
            headers["Idempotency-Key"] = data.draw(st.text("abc", min_size=1, max_size=3))
        response = client.request(method, url, params=query, content=content, headers=headers)
        seen_statuses.add(response.status_code)
        assert response.status_code < 500, (method, url, content, response.text)
        if response.status_code >= 400:
            assert response.headers["content-type"].startswith("application/problem+json")

    check()
    assert {200, 404, 422} <= seen_statuses  # the generator reaches past validation
