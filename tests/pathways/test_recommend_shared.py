"""The service keeps one recommender per catalog content between calls."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from pathways.loader import load_catalog, load_catalog_text
from pathways.recommend import Recommender, recommend, shared_recommender
from pathways.record import load_record

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "examples" / "catalog"
AS_OF = dt.date(2026, 11, 28)
SMALL = """
catalog: {id: small, version: "1"}
credentials:
  - {id: a, type: course, credits: 3, cost: 100}
  - {id: cert, type: certificate, requires: {all: [a]}}
"""


def test_identical_catalogs_share_one_recommender() -> None:
    first, second = load_catalog(DEMO), load_catalog(DEMO)
    assert first is not second and first.hash == second.hash
    assert shared_recommender(first) is shared_recommender(second)
    assert shared_recommender(load_catalog_text(SMALL)) is not shared_recommender(first)


def test_a_kept_recommender_answers_like_a_fresh_one() -> None:
    catalog = load_catalog(DEMO)
    for path in sorted((ROOT / "examples" / "learners").glob("*.json")):
        record = load_record(path)
        for _ in range(2):  # the second call runs on the kept recommender's caches
            kept = recommend(catalog, record, as_of=AS_OF, limit=5)
            fresh = Recommender(catalog).nearest_goals(record, "cost", AS_OF, 5)
            assert json.dumps(kept, sort_keys=True) == json.dumps(fresh, sort_keys=True)
