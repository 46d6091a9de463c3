"""Golden decisions for the demo learners: the same inputs give the same bytes.

Regenerate after an intended change with ``STACKWISE_UPDATE_GOLDEN=1`` and review the diff.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from pathways.evaluate import evaluate
from pathways.loader import load_catalog
from pathways.record import load_record

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "decisions"
LEARNERS = sorted((ROOT / "examples" / "learners").glob("*.json"))
TARGETS = ["prog-cert", "bs-cs"]
AS_OF = dt.date(2026, 11, 28)


@pytest.fixture(scope="module")
def demo() -> object:
    return load_catalog(ROOT / "examples" / "catalog")


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("learner", LEARNERS, ids=lambda p: p.stem)
def test_demo_decision_matches_golden_file(demo: object, learner: Path, target: str) -> None:
    decision = evaluate(demo, load_record(learner), target, AS_OF)  # type: ignore[arg-type]
    text = decision.to_json()
    golden = GOLDEN / f"{learner.stem}__{target}.json"
    if os.environ.get("STACKWISE_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"missing golden file {golden}; run with STACKWISE_UPDATE_GOLDEN=1"
    assert text == golden.read_text(encoding="utf-8")
