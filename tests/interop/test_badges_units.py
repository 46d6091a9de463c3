"""The verifier's rules one by one, on edited copies of the fixtures (kept in memory)."""

from __future__ import annotations

import json
import struct
import zlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from interop.badges import BadgeError, Bundle, Verdict, verify_bytes, verify_file
from interop.badges.baked import PNG_SIGNATURE, extract_png
from interop.badges.settings import resolve_bundle_dir

OB_DIR = Path(__file__).resolve().parents[2] / ".." / "shared" / "interop" / "openbadges"
SIMPLE = OB_DIR / "ob30" / "simple.json"
ISSUER = "https://example.com/issuers/876543"
SUBJECT = "did:example:ebfeb1f712ebc6f1c276e12ec21"


def simple() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(SIMPLE.read_text(encoding="utf-8"))
    return doc


def check(verdict: Verdict, name: str) -> tuple[str, str | None]:
    found = next(c for c in verdict.checks if c.check == name)
    return found.result, found.rule


def verify_doc(doc: dict[str, Any], bundle: Bundle, now: datetime, **kw: Any) -> Verdict:
    return verify_bytes(json.dumps(doc).encode(), now=now, bundle=bundle, **kw)


def test_untouched_copy_verifies(bundle: Bundle, now: datetime) -> None:
    assert verify_doc(simple(), bundle, now).status == "valid"


def test_any_edit_breaks_the_proof(bundle: Bundle, now: datetime) -> None:
    doc = simple()
    doc["credentialSubject"]["achievement"]["name"] = "Teamwork (gold)"
    verdict = verify_doc(doc, bundle, now)
    assert not verdict.trusted
    assert verdict.rules_broken == ["bad-proof"]


def test_unpinned_context_is_refused_never_fetched(bundle: Bundle, now: datetime) -> None:
    doc = simple()
    doc["@context"].append("https://evil.example/context.json")
    verdict = verify_doc(doc, bundle, now)
    assert check(verdict, "contexts") == ("failed", "unknown-context")
    assert check(verdict, "proof") == ("failed", "unknown-context")


def test_unknown_proof_suite_is_refused(bundle: Bundle, now: datetime) -> None:
    doc = simple()
    doc["proof"][0]["cryptosuite"] = "ecdsa-rdfc-2019"
    assert verify_doc(doc, bundle, now).rules_broken == ["unknown-proof-suite"]


def test_fragment_key_must_belong_to_the_issuer(bundle: Bundle, now: datetime) -> None:
    doc = simple()
    doc["proof"][0]["verificationMethod"] = doc["proof"][0]["verificationMethod"].replace(
        "example.com", "attacker.example"
    )
    assert "key-mismatch" in verify_doc(doc, bundle, now).rules_broken


def test_dates_are_relative_to_now(bundle: Bundle) -> None:
    before = datetime(2009, 12, 31, tzinfo=UTC)
    assert verify_file(SIMPLE, now=before, bundle=bundle).rules_broken == ["not-yet-valid"]
    endorsement = OB_DIR / "ob30" / "endorsement-valid.json"
    assert verify_file(endorsement, now=datetime(2029, 12, 31), bundle=bundle).trusted
    late = verify_file(endorsement, now=datetime(2030, 1, 2), bundle=bundle)  # naive = UTC
    assert late.rules_broken == ["expired"]


def test_issuer_allow_list(bundle: Bundle, now: datetime) -> None:
    unlisted = verify_file(SIMPLE, now=now, bundle=bundle)
    assert check(unlisted, "issuer") == ("skipped", None)  # reported, not refused
    assert ISSUER in next(c.detail for c in unlisted.checks if c.check == "issuer")
    listed = verify_file(SIMPLE, now=now, bundle=bundle, issuers=[ISSUER])
    assert (listed.trusted, check(listed, "issuer")) == (True, ("passed", None))
    other = verify_file(SIMPLE, now=now, bundle=bundle, issuers=["https://other.example"])
    assert other.rules_broken == ["issuer-not-trusted"]


def test_recipient_match(bundle: Bundle, now: datetime) -> None:
    assert verify_file(SIMPLE, now=now, bundle=bundle, recipient=SUBJECT).trusted
    wrong = verify_file(SIMPLE, now=now, bundle=bundle, recipient="did:example:someone-else")
    assert wrong.rules_broken == ["recipient-mismatch"]


def test_clr_members_get_the_learner_and_allow_list(bundle: Bundle, now: datetime) -> None:
    clr = OB_DIR / "clr20" / "simple.json"
    both = ["https://example.edu/issuers/565049", ISSUER]
    assert verify_file(clr, now=now, bundle=bundle, issuers=both).trusted
    only_clr_issuer = verify_file(clr, now=now, bundle=bundle, issuers=both[:1])
    assert only_clr_issuer.rules_broken == ["nested-invalid"]
    assert only_clr_issuer.nested[0].rules_broken == ["issuer-not-trusted"]


def test_verdict_carries_what_import_needs(bundle: Bundle, now: datetime) -> None:
    verdict = verify_file(SIMPLE, now=now, bundle=bundle)
    assert (verdict.credential_id, verdict.issuer_id, verdict.issuer_name) == (
        "http://example.com/credentials/3527",
        ISSUER,
        "Example Corp",
    )
    assert verdict.achievement_id == "https://example.com/achievements/21st-century-skills/teamwork"
    assert (verdict.achievement_name, verdict.recipient) == ("Teamwork", SUBJECT)
    assert verdict.issued == datetime(2010, 1, 1, tzinfo=UTC)
    assert verdict.earned and verdict.earned_achievements() == [verdict]
    complete = verify_file(OB_DIR / "ob30" / "complete.json", now=now, bundle=bundle)
    assert complete.grade == "A" and complete.achievement_type == "Degree"
    assert [a.target_type for a in complete.alignments] == ["CFItem", "CTDL"]
    assert "Mastery" in [r.achieved_level for r in complete.results]
    assert complete.earned_achievements() == []  # refused: nothing to import
    assert Verdict.model_validate_json(verdict.model_dump_json()) == verdict


def test_clr_exposes_its_member_achievements(bundle: Bundle, now: datetime) -> None:
    clr = verify_file(OB_DIR / "clr20" / "simple.json", now=now, bundle=bundle)
    assert [v.achievement_name for v in clr.earned_achievements()] == ["Teamwork"]


def _png_with(chunk_type: bytes, body: bytes) -> bytes:
    chunk = struct.pack(">I", len(body)) + chunk_type + body
    chunk += struct.pack(">I", zlib.crc32(chunk_type + body))
    end = struct.pack(">I", 0) + b"IEND" + struct.pack(">I", zlib.crc32(b"IEND"))
    return PNG_SIGNATURE + chunk + end


def test_compressed_itxt_is_read(bundle: Bundle, now: datetime) -> None:
    body = b"openbadgecredential\x00\x01\x00\x00\x00" + zlib.compress(SIMPLE.read_bytes())
    assert verify_bytes(_png_with(b"iTXt", body), now=now, bundle=bundle).status == "valid"


def test_corrupt_png_is_not_a_badge() -> None:
    png = bytearray(_png_with(b"iTXt", b"openbadges\x00\x00\x00\x00\x00{}"))
    png[-20] ^= 0xFF  # flip a byte inside the iTXt data: its CRC no longer matches
    with pytest.raises(BadgeError, match="bad CRC"):
        extract_png(bytes(png))


def test_svg_entities_are_refused(bundle: Bundle) -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE s [<!ENTITY a "aaaa">]>'
        b'<svg xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0">'
        b"<openbadges:credential>&a;</openbadges:credential></svg>"
    )
    with pytest.raises(BadgeError, match="unreadable SVG"):
        verify_bytes(bomb, bundle=bundle)


def test_bundle_serves_only_mapped_files_inside_it(bundle: Bundle) -> None:
    assert bundle.path_for("https://example.org/robotics-badge.json") is not None
    assert bundle.path_for("https://example.org/../../../README.md") is None  # escapes
    assert bundle.path_for("https://unmapped.example/key.json") is None
    assert bundle.is_context("https://www.w3.org/ns/credentials/v2")
    assert not bundle.is_context("https://example.org/robotics-badge.json")  # not a context


def test_bundle_location_setting(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("STACKWISE_BADGE_BUNDLE", str(OB_DIR))
    assert resolve_bundle_dir() == OB_DIR.resolve()
    monkeypatch.delenv("STACKWISE_BADGE_BUNDLE")
    monkeypatch.chdir(Path(__file__).resolve().parents[2])  # ../shared/... from the repo root
    assert resolve_bundle_dir() == OB_DIR.resolve()
    monkeypatch.chdir(tmp_path)
    with pytest.raises(BadgeError, match="STACKWISE_BADGE_BUNDLE"):
        resolve_bundle_dir()
