"""Stacked credentials are solved jointly with the target."""

from __future__ import annotations

from tests.pathways.helpers import applied, catalog, decide

CAT = """
credentials:
  - {id: X, credits: 3, subject: CS}
  - {id: Y, credits: 3, subject: CS}
  - {id: Z, credits: 3, subject: CS}
  - {id: cert-A, type: certificate, requires: {any: [X, Y]}}
  - {id: deg, type: degree, requires: {all: [cert-A, X]}}
  - {id: cert-B, type: certificate, credits: 12, requires: {all: [Y, Z]}}
  - {id: master, type: degree, requires: {all: [cert-B, {select: {type: certificate}, count: 1}]}}
"""


def test_contract_example_cert_then_degree_met_by_x_and_y() -> None:
    d = decide(catalog(CAT), "deg", {"credential": "X"}, {"credential": "Y"})
    assert d.status == "met"
    assert applied(d) == [("cert-A/1", "Y"), ("deg/0", "cert-A"), ("deg/1", "X")]
    assert d.credits_applied == 6


def test_a_derived_credential_reports_the_progress_of_its_rule() -> None:
    d = decide(catalog(CAT), "master", {"credential": "Z"})
    assert d.status == "not_met" and d.progress == 0.25
    assert d.explanation["children"][0]["progress"] == 0.5
    assert d.missing[0].need == "Y"


def test_the_best_progress_may_put_an_item_into_another_derived_credential() -> None:
    # Y alone: cert-B's rule would reach 0.5 (mean 0.25), but deriving cert-A from Y fills
    # the certificate select (mean 0.5): the greatest progress wins
    d = decide(catalog(CAT), "master", {"credential": "Y"})
    assert d.progress == 0.5 and ("master/1", "cert-A") in applied(d)


def test_catalog_credits_of_a_derived_credential_replace_those_inside() -> None:
    d = decide(
        catalog(CAT), "master", {"credential": "Y"}, {"credential": "Z"}, {"credential": "X"}
    )
    assert d.status == "met"
    assert d.credits_applied == 15  # cert-B's 12 + derived cert-A's 3 (from X)


def test_in_progress_propagates_through_a_derived_credential() -> None:
    d = decide(
        catalog(CAT), "deg", {"credential": "X"}, {"credential": "Y", "status": "in_progress"}
    )
    assert d.status == "in_progress"


def test_a_held_target_is_met_by_the_earned_item_itself() -> None:
    d = decide(catalog(CAT), "cert-B", {"credential": "cert-B"})
    assert d.status == "met" and d.credits_applied == 12


def test_an_earned_certificate_item_satisfies_the_leaf_without_its_courses() -> None:
    d = decide(catalog(CAT), "deg", {"credential": "cert-A"}, {"credential": "X"})
    assert d.status == "met" and ("deg/0", "cert-A") in applied(d)
