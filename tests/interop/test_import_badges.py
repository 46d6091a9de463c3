"""interop.wallet.import_badges: trusted badges become record items, the rest are refused."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from interop.badges import Bundle
from interop.wallet import import_badges
from pathways.errors import UsageError
from pathways.loader import load_catalog_data
from pathways.record import parse_record

OB = Path(__file__).resolve().parents[2] / ".." / "shared" / "interop" / "openbadges"
NOW = datetime(2026, 7, 1, tzinfo=UTC)
CATALOG: dict[str, Any] = {
    "catalog": {"id": "badges-demo", "version": "1"},
    "credentials": [
        {"id": "teamwork", "name": "Teamwork", "type": "badge"},
        {"id": "robotics", "type": "badge"},
        {
            "id": "team-robotics",
            "type": "certificate",
            "requires": {"all": ["teamwork", "robotics"]},
        },
    ],
}


@pytest.fixture(scope="module")
def bundle() -> Bundle:
    return Bundle.load(OB)


def test_trusted_badges_make_the_record_and_refused_ones_never_do(bundle: Bundle) -> None:
    catalog = load_catalog_data(CATALOG)
    files = [
        OB / "ob30" / "simple.json",  # Teamwork: matched by name
        OB / "ob20" / "basic-assertion.json",  # robotics badge: matched by the map
        OB / "ob30" / "simple-err-expired.json",  # Teamwork too, but expired: refused
        OB / "ob30" / "credential-status-revoked.json",  # status list offline: refused
    ]
    record, refused = import_badges(
        files,
        catalog,
        "sam",
        mapping={"https://example.org/robotics-badge.json": "robotics"},
        now=NOW,
        bundle=bundle,
    )
    parse_record(record)
    items = {i["credential"]: i for i in record["earned"]}
    assert set(items) == {"teamwork", "robotics"}
    assert len(record["earned"]) == 2  # the expired Teamwork copy never reached the record
    assert items["teamwork"]["evidence"]["matched_by"] == "name"
    assert items["teamwork"]["evidence"]["status"] == "valid"
    assert items["teamwork"]["earned_on"] == "2010-01-01"
    assert items["robotics"]["evidence"]["matched_by"].startswith("map")
    assert items["robotics"]["issuer"] == "https://example.org/organization.json"
    by_file = {Path(r["file"]).name: r for r in refused}
    assert set(by_file) == {"simple-err-expired.json", "credential-status-revoked.json"}
    assert by_file["simple-err-expired.json"]["rules"] == ["expired"]
    assert "status-offline" in by_file["credential-status-revoked.json"]["rules"]


def test_unmapped_and_untrusted_issuers_are_refused(bundle: Bundle) -> None:
    catalog = load_catalog_data(CATALOG)
    files = [OB / "ob20" / "basic-assertion.json", OB / "ob30" / "simple.json"]
    record, refused = import_badges(
        files,
        catalog,
        "sam",
        issuers=["https://example.com/issuers/876543"],
        now=NOW,
        bundle=bundle,
    )
    # the robotics assertion is from another issuer; Teamwork is trusted and matched
    assert [i["credential"] for i in record["earned"]] == ["teamwork"]
    assert refused[0]["rules"] == ["issuer-not-trusted"]
    record, refused = import_badges(
        [OB / "ob20" / "basic-assertion.json"], catalog, "sam", now=NOW, bundle=bundle
    )
    assert record["earned"] == []
    assert refused[0]["rules"] == ["unmapped"]


def test_the_catalog_allow_list_applies_when_no_issuers_are_given(bundle: Bundle) -> None:
    header = {**CATALOG["catalog"], "trusted_issuers": ["https://example.com/issuers/876543"]}
    catalog = load_catalog_data({**CATALOG, "catalog": header})
    files = [OB / "ob20" / "basic-assertion.json", OB / "ob30" / "simple.json"]
    record, refused = import_badges(
        files,
        catalog,
        "sam",
        mapping={"https://example.org/robotics-badge.json": "robotics"},
        now=NOW,
        bundle=bundle,
    )
    assert [i["credential"] for i in record["earned"]] == ["teamwork"]
    assert refused[0]["rules"] == ["issuer-not-trusted"]


def test_garbage_is_refused_and_a_bad_map_is_bad_input(bundle: Bundle, tmp_path: Path) -> None:
    catalog = load_catalog_data(CATALOG)
    junk = (b"not a badge", "junk.txt")
    record, refused = import_badges([junk], catalog, "sam", now=NOW, bundle=bundle)
    assert record["earned"] == [] and refused[0]["rules"] == ["not-a-credential"]
    with pytest.raises(UsageError, match="nope"):
        import_badges([junk], catalog, "sam", mapping={"x": "nope"}, now=NOW, bundle=bundle)
    with pytest.raises(UsageError, match="cannot read"):
        import_badges([tmp_path / "missing.json"], catalog, "sam", now=NOW, bundle=bundle)
