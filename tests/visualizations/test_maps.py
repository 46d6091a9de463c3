"""Maps: golden DOT files for the demo catalog, the learner overlay, and SVG rendering."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from pathways.evaluate import evaluate
from pathways.loader import load_catalog, load_catalog_text
from pathways.record import load_record
from visualizations.explain_tree import explanation_dot
from visualizations.maps import catalog_map, to_svg

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).parent / "golden"
AS_OF = dt.date(2026, 11, 28)
CATALOG = load_catalog(ROOT / "examples" / "catalog")


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("STACKWISE_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} changed; see {path}"


def test_catalog_map_matches_golden() -> None:
    _golden("catalog.dot", catalog_map(CATALOG, as_of=AS_OF))


def test_learner_goal_map_matches_golden() -> None:
    ben = load_record(ROOT / "examples" / "learners" / "ben-halfway.json")
    _golden("ben-prog-cert.dot", catalog_map(CATALOG, record=ben, target="prog-cert", as_of=AS_OF))


def test_overlay_marks_states_plan_and_legend() -> None:
    dev = load_record(ROOT / "examples" / "learners" / "dev-lapsed-cloud.json")
    dot = catalog_map(CATALOG, record=dev, target="cloud-cert", as_of=AS_OF)
    assert "lapsed, renew" in dot.split('"aws-dva" [', 1)[1].split("\n", 1)[0]
    assert "cluster_legend" in dot and "diagonals" in dot


def test_edge_styles_follow_kinds() -> None:
    cat = load_catalog_text(
        """
catalog: {id: t, version: "1"}
credentials:
  - {id: a, cost: 5}
  - {id: b, prerequisites: {all: [a]}, same_as: [c]}
  - {id: c}
  - {id: s, type: certificate, requires: {all: [a, b]}}
"""
    )
    dot = catalog_map(cat)
    assert '"a" -> "b" [arrowhead="normal", color="#404040", style="solid"]' in dot
    assert '"a" -> "s" [arrowhead="empty", color="#2166ac", style="dashed"]' in dot
    assert 'style="dotted"' in dot.split('"b" -> "c"', 1)[1].split("\n", 1)[0]
    assert "$5" in dot


def test_to_svg_runs_dot() -> None:
    svg = to_svg(catalog_map(CATALOG, target="mc-data", as_of=AS_OF))
    assert b"<svg" in svg and b"Databases (microcredential)" in svg


def test_explanation_tree_shows_each_rule_status() -> None:
    ben = load_record(ROOT / "examples" / "learners" / "ben-halfway.json")
    dot = explanation_dot(evaluate(CATALOG, ben, "mc-data", AS_OF))
    assert "✔ met" in dot and "✘ not met" in dot


@pytest.mark.parametrize("target", ["prog-cert", "mm-sds"])
def test_goal_subgraph_holds_only_what_the_goal_depends_on(target: str) -> None:
    dot = catalog_map(CATALOG, target=target, as_of=AS_OF)
    assert '"bs-cs"' not in dot and f'"{target}"' in dot
