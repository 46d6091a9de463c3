"""``stackwise render``: SVG from the real dot binary, DOT text; bad input exits 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli.main import main

ROOT = Path(__file__).resolve().parents[2]
CAT = str(ROOT / "examples" / "catalog")
BEN = str(ROOT / "examples" / "learners" / "ben-halfway.json")


def test_svg_of_a_learner_goal_map(tmp_path: Path) -> None:
    out = tmp_path / "ben.svg"
    args = ["render", "--catalog", CAT, "--learner", BEN, "--target", "prog-cert"]
    assert main([*args, "--as-of", "2026-11-28", "--out", str(out)]) == 0
    svg = out.read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg and "plan step 1" in svg


def test_dot_output_is_deterministic(tmp_path: Path) -> None:
    a, b = tmp_path / "a.dot", tmp_path / "b.dot"
    for out in (a, b):
        assert main(["render", "--catalog", CAT, "--format", "dot", "--out", str(out)]) == 0
    assert a.read_bytes() == b.read_bytes() and a.read_text().startswith("digraph pathway {")


def test_decision_tree(tmp_path: Path) -> None:
    out = tmp_path / "tree.dot"
    args = ["render", "--catalog", CAT, "--learner", BEN, "--target", "mc-data", "--decision"]
    assert main([*args, "--as-of", "2026-11-28", "--out", str(out)]) == 0
    assert "digraph explanation" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("extra", "culprit"),
    [
        (["--target", "no-such-goal"], "no-such-goal"),
        (["--format", "gif"], "gif"),
        (["--as-of", "yesterday"], "yesterday"),
        (["--learner", "/nonexistent/pat.json"], "pat.json"),
    ],
)
def test_bad_input_exits_2_naming_the_culprit(
    extra: list[str], culprit: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "map.svg"
    assert main(["render", "--catalog", CAT, "--out", str(out), *extra]) == 2
    err = capsys.readouterr().err
    assert culprit in err and "Traceback" not in err
