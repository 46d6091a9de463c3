"""catalog -> CTDL -> catalog keeps every decision; the CTDL says what CTDL can say."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from interop.ctdl import export_ctdl, import_ctdl
from pathways.evaluate import evaluate_all
from pathways.loader import load_catalog, load_catalog_data
from pathways.record import load_record

ROOT = Path(__file__).resolve().parents[2]
DAY = dt.date(2026, 11, 28)


def _decisions(catalog: Any) -> list[dict[str, Any]]:
    out = []
    for path in sorted((ROOT / "examples" / "learners").glob("*.json")):
        for d in evaluate_all(catalog, load_record(path), DAY):
            data = d.model_dump(mode="json")
            data.pop("catalog")  # the hash of the catalog's text differs, nothing else
            out.append(data)
    return out


def test_demo_catalog_round_trip_keeps_every_decision() -> None:
    original = load_catalog(ROOT / "examples" / "catalog")
    text = json.dumps(export_ctdl(original), default=str)
    back, report = import_ctdl(text, source="demo.jsonld")
    again = load_catalog_data(back)
    assert report.warnings == [] and report.skipped == []
    assert (again.id, again.version, again.unit) == (original.id, original.version, original.unit)
    before, after = _decisions(original), _decisions(again)
    assert len(before) == 48
    assert before == after
    # a second trip changes nothing at all
    assert import_ctdl(json.dumps(export_ctdl(back)), source="again")[0] == back


def test_export_is_ctdl_with_declared_extensions() -> None:
    doc = export_ctdl(load_catalog(ROOT / "examples" / "catalog"))
    ctx = doc["@context"]
    assert ctx["stackwise"] == "https://stackwise.dev/ns#"
    assert ctx["ceterms"] == "https://purl.org/ctdl/terms/"
    assert ctx["stackwise:limits"] == {"@id": "stackwise:limits", "@type": "@json"}
    types = {n["@type"] for n in doc["@graph"]}
    assert {"ceterms:Pathway", "ceterms:CourseComponent", "ceterms:TransferValueProfile"} <= types
    text = json.dumps(doc, default=str)
    for term in ("ceterms:requiredNumber", "ceterms:targetComponent", "ceterms:hasConstraint"):
        assert term in text
    for term in ("stackwise:minGpa", "stackwise:window", "stackwise:limits", "stackwise:recent"):
        assert term in text


def test_reader_ignoring_extensions_still_gets_the_structure() -> None:
    doc = export_ctdl(load_catalog(ROOT / "examples" / "catalog"))

    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if not k.startswith("stackwise:")}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    plain = strip(doc)
    plain["@context"] = doc["@context"]
    catalog, _ = import_ctdl(plain, source="plain")
    ids = {c["id"] for c in catalog["credentials"]}
    stacked = {c["id"] for c in catalog["credentials"] if "requires" in c}
    assert len(ids) == len(load_catalog(ROOT / "examples" / "catalog").credentials)
    assert len(stacked) == 8
