"""stackwise import ctdl / export ctdl / import badges: exit codes, files, messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from cli.main import main
from pathways.loader import load_catalog

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT / ".." / "shared" / "interop"
CTDL = SHARED / "ctdl"
OB = SHARED / "openbadges"


def test_import_heriot_watt(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "hw.yaml"
    report = tmp_path / "report.json"
    hw = CTDL / "heriot-watt"
    argv = ["import", "ctdl", str(hw / "pathway.json"), str(hw / "courses.json")]
    code = main([*argv, "--out", str(out), "--report", str(report)])
    captured = capsys.readouterr()
    assert code == 0
    assert "imported 57 credentials" in captured.out
    assert "used 2 times" in captured.err
    assert load_catalog(out).credentials["F27SA"].credits == 7.5
    assert json.loads(report.read_text())["aliases"]


def test_kansas_is_refused_without_a_file_or_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "k.yaml"
    code = main(
        ["import", "ctdl", str(CTDL / "kansas" / "HutchinsonWeldingAAS.json"), "--out", str(out)]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert "HutchinsonWeldingAAS.json:21:1: not valid JSON" in err
    assert "Traceback" not in err
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_import_badgr_native_and_export_round_trip(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cat = tmp_path / "french.yaml"
    native = CTDL / "badgr" / "badgr-native-french-ba.json"
    assert main(["import", "ctdl", str(native), "--out", str(cat)]) == 0
    assert yaml.safe_load(cat.read_text())["catalog"]["name"] == "French B.A. Marketable Skills"
    doc = tmp_path / "french.jsonld"
    assert main(["export", "ctdl", str(cat), "--out", str(doc)]) == 0
    back = tmp_path / "back.json"
    assert main(["import", "ctdl", str(doc), "--out", str(back)]) == 0
    assert load_catalog(back).credentials.keys() == load_catalog(cat).credentials.keys()
    capsys.readouterr()


def test_export_of_a_bad_catalog_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("catalog: {id: x, version: '1'}\ncredentials: [{id: a, requires: [nope]}]\n")
    out = tmp_path / "x.jsonld"
    assert main(["export", "ctdl", str(bad), "--out", str(out)]) == 2
    assert not out.exists()
    assert "error:" in capsys.readouterr().err


def test_import_badges(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STACKWISE_BADGE_BUNDLE", str(OB))
    catalog = tmp_path / "c.yaml"
    catalog.write_text(
        "catalog: {id: b, version: '1'}\n"
        "credentials:\n"
        "  - {id: teamwork, name: Teamwork, type: badge}\n"
        "  - {id: robotics, type: badge}\n"
    )
    mapping = tmp_path / "map.yaml"
    mapping.write_text("map:\n  https://example.org/robotics-badge.json: robotics\n")
    out = tmp_path / "rec.json"
    code = main(
        [
            "import",
            "badges",
            str(OB / "ob30" / "simple.json"),
            str(OB / "ob20" / "basic-assertion.json"),
            str(OB / "ob30" / "simple-err-expired.json"),
            "--catalog",
            str(catalog),
            "--learner",
            "sam",
            "--out",
            str(out),
            "--map",
            str(mapping),
            "--as-of",
            "2026-07-01T00:00:00",
        ]
    )
    captured = capsys.readouterr()
    assert code == 0
    record = json.loads(out.read_text())
    assert sorted(i["credential"] for i in record["earned"]) == ["robotics", "teamwork"]
    summary = json.loads(captured.out)
    assert [Path(r["file"]).name for r in summary["refused"]] == ["simple-err-expired.json"]
    assert "refused:" in captured.err and "expired" in captured.err


def test_import_badges_bad_input_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "rec.json"
    code = main(
        [
            "import",
            "badges",
            str(OB / "ob30" / "simple.json"),
            "--catalog",
            str(tmp_path / "none"),
            "--learner",
            "sam",
            "--out",
            str(out),
        ]
    )
    assert code == 2 and not out.exists()
    assert "Traceback" not in capsys.readouterr().err
