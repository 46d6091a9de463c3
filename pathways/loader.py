"""Load a catalog from a file or folder: parse, validate, check, index — or refuse whole.

Every problem is reported with the file and line (or JSON pointer), the id, key and value
at fault. Nothing is half-loaded: either a :class:`Catalog` comes back or a
:class:`CatalogError` listing every problem found.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from pathways.catalog import Catalog
from pathways.checks import check
from pathways.errors import CatalogError
from pathways.model import CatalogDocument
from pathways.sources import Merged, SourceDoc, catalog_files, merge, parse_text, read_file
from pathways.validation import clean_loc, describe


def load_catalog(path: str | Path) -> Catalog:
    """Load and validate the catalog at ``path`` (a YAML/JSON file or a folder of them)."""
    target = Path(path)
    docs = [read_file(p) for p in catalog_files(target)]
    return _build(merge(docs), str(target))


def load_catalog_text(text: str, name: str = "catalog.yaml") -> Catalog:
    """Load a catalog from text (YAML, or JSON when ``name`` ends in .json)."""
    return _build(merge([parse_text(text, name)]), name)


def load_catalog_data(data: dict[str, Any], name: str = "catalog.json") -> Catalog:
    """Load a catalog from already parsed data (located by JSON pointer)."""
    return _build(merge([SourceDoc(name, data)]), name)


def _build(merged: Merged, source: str) -> Catalog:
    if "catalog" not in merged.data:
        where = merged.docs[0].file if merged.docs else source
        raise CatalogError("no `catalog:` header (id, version) in any file", location=where)
    try:
        doc = CatalogDocument.model_validate(merged.data)
    except ValidationError as exc:
        errors = [_located(merged, err) for err in exc.errors()]
        raise CatalogError(errors[0], errors=errors) from None
    problems = check(doc, merged.data)
    if problems:
        errors = [f"{merged.where(path)}: {message}" for path, message in problems]
        raise CatalogError(errors[0], errors=errors)
    return Catalog(doc=doc, raw=merged.data, source=source)


#: union-member names pydantic puts into error locations of catalog fields
_NOISE = (
    "str",
    "float",
    "int",
    "CustomScale",
    "Credits",
    "SkillRef",
    "GpaFloor",
    "literal['us_4']",
    "function-after[_check_duration(), str]",
)


def _located(merged: Merged, err: Any) -> str:
    loc = clean_loc(tuple(err["loc"]), _NOISE)
    owner = ""
    if len(loc) >= 2 and loc[0] == "credentials" and isinstance(loc[1], int):
        creds = merged.data.get("credentials") or []
        if loc[1] < len(creds) and isinstance(creds[loc[1]], dict) and "id" in creds[loc[1]]:
            owner = f"credential {creds[loc[1]]['id']!r}: "
    return f"{merged.where(loc)}: {owner}{describe(err, loc)}"
