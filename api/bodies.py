"""Reading raw request bodies (catalogs arrive as JSON or YAML, not as a pydantic model)."""

from __future__ import annotations

from typing import Annotated, Any

import yaml
from fastapi import Depends, Request

from pathways.catalog import Catalog
from pathways.errors import CatalogError
from pathways.loader import load_catalog_text

#: YAML aliases allowed in an uploaded catalog: enough for sharing a rule, too few for a
#: "billion laughs" document that expands exponentially.
MAX_ALIASES = 100

#: The request body's OpenAPI description for routes that take a catalog.
CATALOG_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "A catalog (contract section 1) as JSON or YAML.",
        "content": {
            "application/json": {"schema": {"type": "object"}},
            "application/yaml": {"schema": {"type": "string"}},
        },
    }
}


async def raw_body(request: Request) -> tuple[bytes, str]:
    """The body bytes and content type (read here so that the handlers can stay sync)."""
    return await request.body(), request.headers.get("content-type", "")


RawBody = Annotated[tuple[bytes, str], Depends(raw_body)]


def parse_catalog(body: tuple[bytes, str]) -> Catalog:
    """Load an uploaded catalog; anything wrong is a :class:`CatalogError` (422) with locations."""
    data, content_type = body
    name = "catalog.json" if "json" in content_type.lower() else "catalog.yaml"
    if not data.strip():
        raise CatalogError("the request body is empty; send a catalog as JSON or YAML")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CatalogError(f"not UTF-8 text (byte {exc.start})", location=name) from None
    if name.endswith(".yaml"):
        _check_aliases(text, name)
    try:
        return load_catalog_text(text, name)
    except RecursionError:
        raise CatalogError("nested too deeply", location=name) from None


def _check_aliases(text: str, name: str) -> None:
    aliases = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                aliases += 1
                if aliases > MAX_ALIASES:
                    raise CatalogError(
                        f"more than {MAX_ALIASES} YAML aliases (*name); write the values out",
                        location=name,
                    )
    except yaml.YAMLError:
        return  # the loader reports syntax errors with their line
