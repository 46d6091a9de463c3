"""Badgr's native French B.A. pathway and its CTDL translation decide alike."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

from interop.ctdl import ImportReport, import_badgr, import_ctdl
from pathways.catalog import Catalog
from pathways.evaluate import evaluate
from pathways.loader import load_catalog_data
from pathways.record import parse_record

BADGR = Path(__file__).resolve().parents[2] / ".." / "shared" / "interop" / "ctdl" / "badgr"
DAY = dt.date(2025, 1, 1)
Pair = tuple[Catalog, ImportReport]


@pytest.fixture(scope="module")
def native() -> Pair:
    data, report = import_badgr((BADGR / "badgr-native-french-ba.json").read_text(), source="n")
    return load_catalog_data(data), report


@pytest.fixture(scope="module")
def ctdl() -> Pair:
    data, report = import_ctdl((BADGR / "ctdl-french-ba.json").read_text(), source="c")
    return load_catalog_data(data), report


def _badges(pair: Pair) -> tuple[list[str], list[str]]:
    catalog, report = pair
    urls = sorted(u for u in report.aliases if u.startswith("https://api.badgr.io/"))
    leaves = [u for u in urls if catalog.credentials[report.aliases[u]].requires is None]
    goals = [u for u in urls if catalog.credentials[report.aliases[u]].requires is not None]
    return leaves, goals


def _decision(pair: Pair, held: list[str], goal: str) -> tuple[str, float]:
    catalog, report = pair
    record = parse_record(
        {
            "learner": "x",
            "earned": [{"credential": report.aliases[u], "earned_on": "2024-01-01"} for u in held],
        }
    )
    d = evaluate(catalog, record, report.aliases[goal], DAY)
    return d.status, d.progress


def test_both_name_the_same_badges(native: Pair, ctdl: Pair) -> None:
    assert _badges(native) == _badges(ctdl)
    leaves, goals = _badges(native)
    assert (len(leaves), len(goals)) == (24, 6)


def test_same_decisions_for_the_same_learners(native: Pair, ctdl: Pair) -> None:
    leaves, goals = _badges(native)
    rng = random.Random(20260316)
    learners = [[], list(leaves)] + [
        [u for u in leaves if rng.random() < share / 6] for share in range(1, 6)
    ]
    outcomes: set[str] = set()
    for held in learners:
        for goal in goals:
            mine = _decision(native, held, goal)
            assert mine == _decision(ctdl, held, goal), (goal, held)
            outcomes.add(mine[0])
    assert outcomes == {"met", "not_met"}  # the learners exercise both outcomes


def test_a_learner_short_of_one_skill(native: Pair, ctdl: Pair) -> None:
    leaves, _ = _badges(native)
    root = "https://api.badgr.io/public/badges/JKykbZ2SQb2u211g4jf7BQ"
    assert _decision(native, leaves, root) == ("met", 1.0)
    # Without either French 2040 oral-participation badge, "Interpersonal Communication"
    # (4 of 5 course groups) still holds, but dropping both 2040 writing badges too breaks
    # the groups that need 2 of the 4 French 2040 badges.
    fewer = [u for u in leaves if not u.endswith(("yxf6layQ", "tHt3myYw", "9R3eCy3A"))]
    assert _decision(native, fewer, root) == _decision(ctdl, fewer, root)
    assert _decision(native, fewer, root)[0] == "not_met"


def test_teaching_excellence_imports() -> None:
    data, report = import_badgr(
        (BADGR / "badgr-native-teaching-excellence.json").read_text(), source="te"
    )
    catalog = load_catalog_data(data)
    master = report.aliases["5d6ef0ff926c20f20cca2653"]  # Teaching Scholar Certificate
    assert catalog.credentials[master].requires is not None
    assert len(catalog.stacked) == 15
