"""``stackwise recommend``: JSON and text answers; bad input exits 2 naming the culprit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli.main import main

ROOT = Path(__file__).resolve().parents[2]
CAT = str(ROOT / "examples" / "catalog")
BEN = str(ROOT / "examples" / "learners" / "ben-halfway.json")
BASE = ["recommend", "--catalog", CAT, "--learner", BEN, "--as-of", "2026-11-28"]


def test_goal_plan_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*BASE, "--goal", "prog-cert"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["plan"] == ["cs-225", "cs-230", "cs-235", "prog-exam"] and out["plan_total"] == 3350


def test_goal_plan_as_text_reads_like_advice(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*BASE, "--goal", "prog-cert", "--by", "hours", "--format", "text"]) == 0
    text = capsys.readouterr().out
    assert "Cheapest plan by hours" in text and "You can start now:" in text


def test_nearest_goals_respect_limit(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*BASE, "--limit", "2"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert len(out["goals"]) == 2 and out["goals"][0]["progress"] >= out["goals"][1]["progress"]


@pytest.mark.parametrize(
    ("extra", "culprit"),
    [
        (["--goal", "no-such-goal"], "no-such-goal"),
        (["--by", "price"], "price"),
        (["--as-of", "28/11/2026"], "28/11/2026"),
        (["--limit", "0"], "--limit 0"),
    ],
)
def test_bad_input_exits_2_naming_the_culprit(
    extra: list[str], culprit: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*BASE, *extra]) == 2
    err = capsys.readouterr().err
    assert culprit in err and "Traceback" not in err


def test_unreadable_learner_file_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "pat.json"
    bad.write_text("{not json", encoding="utf-8")
    assert main(["recommend", "--catalog", CAT, "--learner", str(bad)]) == 2
    assert "pat.json" in capsys.readouterr().err
    missing = tmp_path / "nobody.json"
    assert main(["recommend", "--catalog", CAT, "--learner", str(missing)]) == 2
    assert "nobody.json" in capsys.readouterr().err
