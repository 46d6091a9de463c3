"""``stackwise verify`` through the CLI: exit 0 only when trusted, 2 when refused or garbage."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cli.main import main

OB_DIR = Path(__file__).resolve().parents[2] / ".." / "shared" / "interop" / "openbadges"
NOW = ["--now", "2026-07-01T00:00:00Z"]


@pytest.fixture(autouse=True)
def _bundle_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    # The CLI finds the bundle the documented way: STACKWISE_BADGE_BUNDLE.
    monkeypatch.setenv("STACKWISE_BADGE_BUNDLE", str(OB_DIR))


Capture = pytest.CaptureFixture[str]


def run(capsys: Capture, *args: str) -> tuple[int, str, str]:
    """The real entry point (cli.main.main), as the console script runs it."""
    capsys.readouterr()
    code = main(["verify", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_trusted_badge_exits_0_with_its_verdict(capsys: Capture) -> None:
    code, out, err = run(capsys, str(OB_DIR / "ob30/simple-json.png"), "--format", "json", *NOW)
    assert code == 0, err
    verdict = json.loads(out)
    assert verdict["trusted"] is True
    assert verdict["container"] == "png"
    assert verdict["achievement_name"] == "Teamwork"
    assert [c["check"] for c in verdict["checks"]][:4] == ["schema", "types", "contexts", "proof"]


def test_refused_badge_exits_2_naming_the_rule(capsys: Capture) -> None:
    code, out, err = run(capsys, str(OB_DIR / "ob30/simple-err-expired.json"), *NOW)
    assert code == 2
    assert "REFUSED" in out
    assert "expired: validUntil 2010-01-01T00:00:00Z is past" in err
    assert "Traceback" not in out + err


def test_issuer_allow_list_from_a_file(tmp_path: Path, capsys: Capture) -> None:
    allow = tmp_path / "issuers.txt"
    allow.write_text("# trusted issuers\nhttps://example.com/issuers/876543\n", encoding="utf-8")
    badge = str(OB_DIR / "ob30/simple.json")
    assert run(capsys, badge, "--issuers", str(allow), *NOW)[0] == 0
    code, _, err = run(capsys, badge, "--issuers", "https://a.example,https://b.example", *NOW)
    assert code == 2
    assert "issuer-not-trusted" in err


def test_recipient_mismatch_is_refused(capsys: Capture) -> None:
    badge = str(OB_DIR / "ob20/basic-assertion.json")
    assert run(capsys, badge, "--recipient", "nobody@example.org", *NOW)[0] == 0
    code, _, err = run(capsys, badge, "--recipient", "somebody@example.org", *NOW)
    assert code == 2
    assert "recipient-mismatch" in err


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("garbage.json", b"this is not json {", "not a badge"),
        ("truncated.png", (OB_DIR / "ob30/simple-json.png").read_bytes()[:3000], "truncated PNG"),
        ("empty.json", b"", "empty file"),
        ("binary.bin", bytes(range(256)), "not a badge"),
        ("list.json", b"[1, 2, 3]", "not an object"),
        ("bad.svg", b"<svg><unclosed></svg>", "unreadable SVG"),
    ],
)
def test_garbage_exits_2_without_traceback(
    tmp_path: Path, name: str, content: bytes, message: str, capsys: Capture
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    code, out, err = run(capsys, str(path))
    assert code == 2
    assert message in err
    assert "Traceback" not in out + err


def test_missing_file_and_bad_options_exit_2(capsys: Capture) -> None:
    code, _, err = run(capsys, str(OB_DIR / "no-such-badge.json"))
    assert (code, "cannot read" in err) == (2, True)
    code, _, err = run(capsys, str(OB_DIR / "ob30/simple.json"), "--now", "yesterday")
    assert (code, "--now" in err) == (2, True)
    code, _, err = run(capsys, str(OB_DIR / "ob30/simple.json"), "--format", "xml")
    assert (code, "--format" in err) == (2, True)


@pytest.mark.parametrize(
    ("badge", "code"), [("ob30/simple.json", 0), ("ob30/simple-err-proof-value.json", 2)]
)
def test_console_exit_status(badge: str, code: int) -> None:
    """End to end in a fresh interpreter: the process exit status itself."""
    done = subprocess.run(
        [sys.executable, "-m", "cli.main", "verify", str(OB_DIR / badge), *NOW],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == code, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
