"""The Heriot-Watt BSc (Hons) Computer Science pathway and its two learners, pat and bryan.

Reading the pathway (pathway.json + courses.json): every course is worth 15 SCQF credits
(7.5 ECTS, the catalog unit after conversion) at SCQF level 7 to 10. The exit awards are
CredentialComponents whose conditions list the courses they need:

* CertHE: all 8 stage-1 courses (F17LP, F27ID, F27PX, F27SA, F17SC, F27CS, F27SB, F27WD);
* DipHE: all 8 stage-2 courses; BSc (ordinary, "BSCO"): all 8 stage-3 courses - those two
  share one component id in the document (the known quirk), split back into two awards;
* BSc (Hons): all stage-1, stage-2 and stage-3 courses, plus the stage-4 choice (F20PB and
  F20PC, 2 of 8 options, F20PA, 3 of 9 options).

vcred.json says pat holds exactly the 8 stage-1 courses, and bryan holds 4 stage-1 courses
(F17LP, F27ID, F27PX, F27WD) and 3 stage-2 courses (F28PL, F28WP, F28HS), both as of awards
issued 2010-01-01. So a reader of the pathway concludes:

* pat qualifies for the CertHE (every stage-1 course: 120 SCQF = 60 ECTS) and for nothing
  above it: no stage-2 course, so no DipHE, no BSc, no BSc (Hons) (a quarter of the Hons
  conditions - stage 1 - is met: progress 0.25).
* bryan qualifies for no exit award: he lacks F27SA, F17SC, F27CS and F27SB for the CertHE
  (progress 4/8), has 3 of 8 stage-2 courses toward the DipHE (0.375), none of stage 3.

The "resit = false" and "exitProgram" constraints describe student data the records do not
carry; they are reported as not enforced, and the grade AnyOf [A, B, C, D] constraints admit
every grade the document names, so they read as "passed" (a held achievement counts).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from interop.ctdl import ImportReport, import_ctdl
from interop.ctdl.vcred import records_from_vcred
from pathways.catalog import Catalog
from pathways.evaluate import evaluate
from pathways.loader import load_catalog_data
from pathways.record import parse_record

HW = Path(__file__).resolve().parents[2] / ".." / "shared" / "interop" / "ctdl" / "heriot-watt"
AS_OF = dt.date(2026, 1, 1)
CERT, DIP, BSC, HONS = (
    "certhe-exit-certificate",
    "diphe-exit-diploma",
    "bsco-exit-degree",
    "bsc-hons-in-computer-science",
)


@pytest.fixture(scope="module")
def imported() -> tuple[dict[str, Any], ImportReport]:
    return import_ctdl(
        (HW / "pathway.json").read_text(encoding="utf-8"),
        source="pathway.json",
        more=[((HW / "courses.json").read_text(encoding="utf-8"), "courses.json")],
    )


@pytest.fixture(scope="module")
def catalog(imported: tuple[dict[str, Any], ImportReport]) -> Catalog:
    return load_catalog_data(imported[0], "heriot-watt")


@pytest.fixture(scope="module")
def records(imported: tuple[dict[str, Any], ImportReport]) -> dict[str, dict[str, Any]]:
    data = json.loads((HW / "vcred.json").read_text(encoding="utf-8"))
    return records_from_vcred(data, imported[1].aliases)


def _decide(catalog: Catalog, record: dict[str, Any], target: str) -> tuple[str, float, float]:
    d = evaluate(catalog, parse_record(record), target, AS_OF)
    return d.status, d.progress, d.credits_applied


def test_pathway_imports_with_courses_credits_and_levels(catalog: Catalog) -> None:
    f27sa = catalog.credentials["F27SA"]
    assert (f27sa.name, f27sa.type, f27sa.credits, f27sa.level) == (
        "Software Development 1",
        "course",
        7.5,
        7.0,
    )
    assert catalog.credentials["F20PB"].level == 10.0
    assert catalog.unit == "ects"
    assert {CERT, DIP, BSC, HONS} <= set(catalog.stacked)


def test_reused_component_id_is_split_and_reported(
    imported: tuple[dict[str, Any], ImportReport], catalog: Catalog
) -> None:
    report = imported[1]
    assert any("a7cd1db3" in w and "used 2 times" in w for w in report.warnings)
    assert catalog.credentials[DIP].type == "certificate"  # proxy for a ceterms:Diploma
    assert catalog.credentials[BSC].type == "degree"  # proxy for a ceterms:BachelorDegree
    dip = catalog.doc.credentials[[c.id for c in catalog.doc.credentials].index(DIP)]
    assert "F28SD" in json.dumps(dip.model_dump(mode="json")["requires"])


def test_unenforceable_constraints_and_dangling_references_are_reported(
    imported: tuple[dict[str, Any], ImportReport],
) -> None:
    report = imported[1]
    assert any("resit EQ False is not enforced" in w for w in report.warnings)
    assert any("exitProgram EQ True is not enforced" in w for w in report.warnings)
    assert any("SCQF" in w for w in report.warnings)
    assert any("2883cc8a" in s for s in report.skipped)


def test_records_map_every_achievement(records: dict[str, dict[str, Any]]) -> None:
    assert set(records) == {"pat", "bryan"}
    pat = sorted(i["credential"] for i in records["pat"]["earned"])
    assert pat == sorted(["F17LP", "F27ID", "F27PX", "F27SA", "F17SC", "F27CS", "F27SB", "F27WD"])
    assert {i["earned_on"] for i in records["bryan"]["earned"]} == {"2010-01-01"}


def test_pat_qualifies_for_the_certhe_only(
    catalog: Catalog, records: dict[str, dict[str, Any]]
) -> None:
    pat = records["pat"]
    assert _decide(catalog, pat, CERT) == ("met", 1.0, 60.0)
    assert _decide(catalog, pat, DIP)[:2] == ("not_met", 0.0)
    assert _decide(catalog, pat, BSC)[:2] == ("not_met", 0.0)
    assert _decide(catalog, pat, HONS)[:2] == ("not_met", 0.25)


def test_bryan_qualifies_for_no_exit_award(
    catalog: Catalog, records: dict[str, dict[str, Any]]
) -> None:
    bryan = records["bryan"]
    assert _decide(catalog, bryan, CERT) == ("not_met", 0.5, 30.0)
    assert _decide(catalog, bryan, DIP) == ("not_met", 0.375, 22.5)
    assert _decide(catalog, bryan, BSC)[:2] == ("not_met", 0.0)
    assert _decide(catalog, bryan, HONS)[0] == "not_met"
    d = evaluate(catalog, parse_record(bryan), CERT, AS_OF)
    missing = json.dumps([m.model_dump() for m in d.missing])
    for course in ("F27SA", "F17SC", "F27CS", "F27SB"):
        assert course in missing


def test_stage_credit_total_shares_items_with_the_course_list(
    catalog: Catalog, records: dict[str, dict[str, Any]]
) -> None:
    # Stage 1 semester 2: 120 SCQF credits in total AND the 7 named courses - two checks
    # of the same courses, so the credit pool may count items the course list also uses.
    assert _decide(catalog, records["pat"], "stage-1-semester-2")[0] == "met"
