"""`stackwise validate` and `stackwise evaluate` as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cli.main import main

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "examples" / "catalog"
CARLA = ROOT / "examples" / "learners" / "carla-stacker.json"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli.main", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


def test_validate_the_demo_catalog() -> None:
    result = run("validate", str(DEMO))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok: stackwise-demo 2026.2")
    assert "57 credentials (8 stacked), 19 skills, 1 transfer value\n" in result.stdout
    assert "hash: sha256:" in result.stdout


def test_validate_counts_in_the_singular_and_plural(tmp_path: Path) -> None:
    one = tmp_path / "one.yaml"
    one.write_text('catalog: {id: t, version: "1"}\ncredentials:\n  - {id: A}\n')
    result = run("validate", str(one))
    assert result.returncode == 0, result.stderr
    assert "1 credential (0 stacked), 0 skills, 0 transfer values\n" in result.stdout


def test_validate_refuses_a_bad_catalog_with_exit_2_and_no_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text('catalog: {id: t, version: "1"}\ncredentials:\n  - {id: A, prerequisites: B}\n')
    result = run("validate", str(bad))
    assert result.returncode == 2
    assert f"{bad}:3" in result.stderr and "'B'" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_validate_a_missing_path() -> None:
    result = run("validate", "no/such/catalog.yaml")
    assert result.returncode == 2 and "no such file or folder" in result.stderr


def test_evaluate_json_is_the_decision() -> None:
    result = run(
        "evaluate",
        "--catalog",
        str(DEMO),
        "--learner",
        str(CARLA),
        "--target",
        "prog-cert",
        "--as-of",
        "2026-11-28",
    )
    assert result.returncode == 0, result.stderr
    decision = json.loads(result.stdout)
    assert decision["status"] == "met" and decision["target"] == "prog-cert"
    assert decision["catalog"]["id"] == "stackwise-demo"
    assert decision["catalog"]["hash"].startswith("sha256:")


def test_evaluate_text_is_a_readable_tree() -> None:
    result = run(
        "evaluate",
        "--catalog",
        str(DEMO),
        "--learner",
        str(CARLA),
        "--target",
        "bs-cs",
        "--as-of",
        "2026-11-28",
        "--format",
        "text",
    )
    assert result.returncode == 0, result.stderr
    assert "Status: NOT MET" in result.stdout and "Still needed:" in result.stdout
    assert "✔" in result.stdout and "✘" in result.stdout


def test_evaluate_without_target_is_what_the_stack_is_worth() -> None:
    result = run(
        "evaluate", "--catalog", str(DEMO), "--learner", str(CARLA), "--as-of", "2026-11-28"
    )
    decisions = json.loads(result.stdout)
    assert {d["target"] for d in decisions} >= {"prog-cert", "bs-cs"}
    text = run(
        "evaluate",
        "--catalog",
        str(DEMO),
        "--learner",
        str(CARLA),
        "--as-of",
        "2026-11-28",
        "--format",
        "text",
    )
    assert text.stdout.splitlines()[0].split() == ["credential", "status", "progress", "credits"]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--target", "nope"], "target 'nope' is not a credential"),
        (["--target", "bs-cs", "--as-of", "28/11/2026"], "--as-of '28/11/2026' is not a date"),
        (["--target", "bs-cs", "--format", "xml"], "xml"),
    ],
)
def test_evaluate_bad_options_exit_2(args: list[str], words: str) -> None:
    result = run("evaluate", "--catalog", str(DEMO), "--learner", str(CARLA), *args)
    assert result.returncode == 2 and words in result.stderr
    assert "Traceback" not in result.stderr


def test_evaluate_bad_learner_files_exit_2(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"learner": "x", "earned": [')
    result = run("evaluate", "--catalog", str(DEMO), "--learner", str(broken), "--target", "bs-cs")
    assert result.returncode == 2 and f"{broken}:1" in result.stderr
    odd = tmp_path / "odd.json"
    odd.write_text(
        json.dumps(
            {"learner": "x", "earned": [{"credential": "cs-101", "earned_on": "2024-13-01"}]}
        )
    )
    result = run("evaluate", "--catalog", str(DEMO), "--learner", str(odd), "--target", "bs-cs")
    assert result.returncode == 2 and "/earned/0/earned_on" in result.stderr


@pytest.mark.usefixtures("starved_solver")
def test_a_solver_without_an_answer_exits_1_with_a_message(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # carla's bachelor's goes to the staged MILP, whose first stage gets no time
    argv = ["evaluate", "--catalog", str(DEMO), "--learner", str(CARLA), "--target", "bs-cs"]
    code = main([*argv, "--as-of", "2026-11-28"])
    out = capsys.readouterr()
    assert code == 1
    assert out.err == "error: no decision could be made: HiGHS: Time limit reached\n"
    assert out.out == ""


def test_a_spent_solver_budget_exits_1_naming_the_budget(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    argv = ["evaluate", "--catalog", str(DEMO), "--learner", str(CARLA), "--target", "bs-cs"]
    code = main([*argv, "--as-of", "2026-11-28", "--solver-budget", "0.000001"])
    out = capsys.readouterr()
    assert code == 1 and out.out == ""
    assert out.err == "error: no decision could be made: its solver budget of 1e-06 s ran out\n"
    monkeypatch.setenv("STACKWISE_SOLVER_BUDGET", "0.000001")
    ben = str(ROOT / "examples" / "learners" / "ben-halfway.json")
    code = main(["recommend", "--catalog", str(DEMO), "--learner", ben, "--goal", "bs-cs"])
    assert code == 1 and "its solver budget of 1e-06 s ran out" in capsys.readouterr().err
    monkeypatch.setenv("STACKWISE_SOLVER_BUDGET", "30")
    assert main([*argv, "--as-of", "2026-11-28"]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "not_met"


@pytest.mark.parametrize("seconds", ["0", "-5"])
def test_a_solver_budget_of_nothing_is_bad_input(
    seconds: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["evaluate", "--catalog", str(DEMO), "--learner", str(CARLA), "--target", "bs-cs"]
    assert main([*argv, "--solver-budget", seconds]) == 2
    assert f"--solver-budget {seconds} is not more than 0 seconds" in capsys.readouterr().err
