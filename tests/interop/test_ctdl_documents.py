"""Every CTDL document in ../shared/interop/ctdl imports, or is refused with its reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from interop.ctdl import CtdlError, import_ctdl
from interop.ctdl.badgr import import_badgr
from pathways.loader import load_catalog_data

CTDL = Path(__file__).resolve().parents[2] / ".." / "shared" / "interop" / "ctdl"


def _load(name: str) -> str:
    return (CTDL / name).read_text(encoding="utf-8")


# document -> (credentials, credentials with requires, transfer values)
IMPORTS = {
    "badgr/ctdl-french-ba.json": (53, 29, 0),
    "comptia/CompTIA-IT_Networking_Specialist.jsonld": (9, 1, 0),
    "transfer-value/tvp-example1.json": (2, 0, 1),
    "transfer-value/tvp-example2.json": (2, 0, 1),
    "transfer-value/tvp-example3.json": (2, 0, 1),
}
REFUSED = {
    "kansas/HutchinsonWeldingAAS.json": "HutchinsonWeldingAAS.json:21:1: not valid JSON",
    "comptia/comptia-IT_progModel.json": "no CTDL pathway component or TransferValueProfile",
    "heriot-watt/courses.json": "no CTDL pathway component or TransferValueProfile",
    "heriot-watt/vcred.json": "no CTDL pathway component or TransferValueProfile",
}
# Badgr's own format and the Heriot-Watt pathway (with its courses) have their own tests.
ELSEWHERE = {
    "badgr/badgr-native-french-ba.json",
    "badgr/badgr-native-teaching-excellence.json",
    "heriot-watt/pathway.json",
}


def test_every_document_has_a_verdict() -> None:
    found = {str(p.relative_to(CTDL)) for p in CTDL.rglob("*") if p.is_file()}
    assert found == set(IMPORTS) | set(REFUSED) | ELSEWHERE


@pytest.mark.parametrize("name", sorted(IMPORTS))
def test_document_imports(name: str) -> None:
    catalog, report = import_ctdl(_load(name), source=name)
    creds = catalog["credentials"]
    stacked = [c for c in creds if "requires" in c]
    expected = IMPORTS[name]
    assert (len(creds), len(stacked), len(catalog.get("transfer_values", []))) == expected
    load_catalog_data(catalog, name)  # valid as returned
    assert report.source == name


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_document_refused_with_reason(name: str) -> None:
    with pytest.raises(CtdlError) as caught:
        import_ctdl(_load(name), source=str(CTDL / name))
    assert REFUSED[name] in str(caught.value)


def test_kansas_refusal_names_the_defects() -> None:
    name = "kansas/HutchinsonWeldingAAS.json"
    with pytest.raises(CtdlError) as caught:
        import_ctdl(_load(name), source=name)
    text = str(caught.value)
    assert "another JSON document starts here" in text
    assert "line 443, column 39" in text  # the second document is broken too
    assert '"(and 14 more)" at line 77' in text


def test_misspelt_credit_unit_is_read_leniently_with_a_warning() -> None:
    catalog, report = import_ctdl(_load("transfer-value/tvp-example1.json"), source="tvp1")
    (tv,) = catalog["transfer_values"]
    assert (tv["from"], tv["to"], tv["credits"]) == ("finance-exam", "accountancy", 3.0)
    assert any("DegreeeCredit" in w and "misspelling" in w for w in report.warnings)


def test_transfer_condition_text_is_reported_not_enforced() -> None:
    _, report = import_ctdl(_load("transfer-value/tvp-example2.json"), source="tvp2")
    assert any("'Grade C or better.' is not enforced" in w for w in report.warnings)


def test_certifications_used_as_components_stay_exams_with_prerequisites() -> None:
    catalog, report = import_ctdl(
        _load("comptia/CompTIA-IT_Networking_Specialist.jsonld"), source="comptia"
    )
    creds = {c["id"]: c for c in catalog["credentials"]}
    assert creds["comptia-network"]["prerequisites"] == "comptia-a"
    assert "requires" not in creds["comptia-network"]
    assert creds["it-networking-specialist"]["requires"] == "comptia-cloud"
    assert any("read as prerequisites" in w for w in report.warnings)


def test_compact_and_expanded_forms_give_the_same_catalog() -> None:
    compact = {
        "@context": ["https://credreg.net/ctdl/schema/context/json", {"res": "https://x.org/r/"}],
        "@graph": [
            {
                "@id": "res:p",
                "@type": "ceterms:Pathway",
                "ceterms:name": {"en-US": "Tiny"},
                "ceterms:hasDestinationComponent": "res:cert",
            },
            {
                "@id": "res:cert",
                "@type": "ceterms:CredentialComponent",
                "ceterms:name": {"en-US": "Cert"},
                "ceterms:credentialType": "ceterms:Certificate",
                "ceterms:hasCondition": {
                    "@type": "ceterms:ComponentCondition",
                    "ceterms:requiredNumber": 2,
                    "ceterms:targetComponent": ["res:a", "res:b", "res:c"],
                },
            },
            *[
                {
                    "@id": f"res:{x}",
                    "@type": "ceterms:CourseComponent",
                    "ceterms:codedNotation": x.upper(),
                    "ceterms:name": {"en-US": f"Course {x}", "fr": f"Cours {x}"},
                    "ceterms:creditValue": {
                        "@type": "ceterms:ValueProfile",
                        "schema:value": 3,
                        "ceterms:creditUnitType": "creditUnit:SemesterHour",
                    },
                }
                for x in "abc"
            ],
        ],
    }
    expanded = [
        {
            "@id": "https://x.org/r/p",
            "@type": ["https://purl.org/ctdl/terms/Pathway"],
            "https://purl.org/ctdl/terms/name": [{"@language": "en-US", "@value": "Tiny"}],
            "https://purl.org/ctdl/terms/hasDestinationComponent": [
                {"@id": "https://x.org/r/cert"}
            ],
        },
        {
            "@id": "https://x.org/r/cert",
            "@type": ["https://purl.org/ctdl/terms/CredentialComponent"],
            "https://purl.org/ctdl/terms/name": [{"@language": "en-US", "@value": "Cert"}],
            "https://purl.org/ctdl/terms/credentialType": [
                {"@id": "https://purl.org/ctdl/terms/Certificate"}
            ],
            "https://purl.org/ctdl/terms/hasCondition": [{"@id": "_:c1"}],
        },
        {
            "@id": "_:c1",
            "@type": ["https://purl.org/ctdl/terms/ComponentCondition"],
            "https://purl.org/ctdl/terms/requiredNumber": [{"@value": 2}],
            "https://purl.org/ctdl/terms/targetComponent": [
                {"@id": f"https://x.org/r/{x}"} for x in "abc"
            ],
        },
        *[
            {
                "@id": f"https://x.org/r/{x}",
                "@type": ["https://purl.org/ctdl/terms/CourseComponent"],
                "https://purl.org/ctdl/terms/codedNotation": [{"@value": x.upper()}],
                "https://purl.org/ctdl/terms/name": [
                    {"@language": "fr", "@value": f"Cours {x}"},
                    {"@language": "en-US", "@value": f"Course {x}"},
                ],
                "https://purl.org/ctdl/terms/creditValue": [{"@id": f"_:v{x}"}],
            }
            for x in "abc"
        ],
        *[
            {
                "@id": f"_:v{x}",
                "@type": ["https://purl.org/ctdl/terms/ValueProfile"],
                "https://schema.org/value": [{"@value": 3}],
                "https://purl.org/ctdl/terms/creditUnitType": [
                    {"@id": "https://purl.org/ctdl/vocabs/creditUnit/SemesterHour"}
                ],
            }
            for x in "abc"
        ],
    ]
    one, _ = import_ctdl(json.dumps(compact), source="compact.jsonld")
    two, _ = import_ctdl(expanded, source="expanded.jsonld")
    assert one == two
    cert = next(c for c in one["credentials"] if c["id"] == "cert")
    assert cert["type"] == "certificate"
    assert cert["requires"] == {"at_least": 2, "of": ["A", "B", "C"]}
    course = next(c for c in one["credentials"] if c["id"] == "A")
    assert (course["name"], course["credits"]) == ("Course a", 3.0)  # English preferred


def test_badgr_file_given_to_the_ctdl_importer_is_refused_clearly() -> None:
    with pytest.raises(CtdlError, match="no CTDL pathway component"):
        import_ctdl(_load("badgr/badgr-native-french-ba.json"), source="native")
    catalog, _ = import_badgr(_load("badgr/badgr-native-french-ba.json"), source="native")
    assert catalog["catalog"]["name"] == "French B.A. Marketable Skills"
