"""Hand-built solver problems: a target rule over a few items, with one derivable ``cert``."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import TypeAdapter

from rules.items import Item
from rules.model import Rule
from rules.problem import Derivation, Problem, compile_problem
from tests.rules.strategies import AS_OF, SCALE

RULE = TypeAdapter(Rule)
CERT = Item(key="cert", credential="cert", matches=frozenset({"cert"}), source="derived")
#: A certificate that CS ``select`` pools at level 200 match (``cert_problem``'s template).
CS_CERT = Item(
    key="cert",
    credential="cert",
    matches=frozenset({"cert"}),
    source="derived",
    type="certificate",
    subject="CS",
    level=200.0,
)


def item(
    cred: str,
    grade: str | None = "B",
    credits: float = 3.0,
    day: date = date(2025, 1, 1),
    *,
    subject: str = "CS",
    source: str = "institution",
    in_progress: bool = False,
) -> Item:
    """One item of credential ``cred`` (level 200)."""
    return Item(
        key=cred,
        credential=cred,
        matches=frozenset({cred}),
        credits=credits,
        earned_on=day,
        points=None if grade is None else SCALE[grade],
        grade=grade,
        subject=subject,
        source=source,
        level=200.0,
        in_progress=in_progress,
    )


def cert_problem(
    rule: Any,
    cert_rule: Any,
    items: list[Item],
    cert_credits: float | None = 6.0,
    *,
    waived: frozenset[str] = frozenset(),
    template: Item = CERT,
) -> Problem:
    """``target`` requires ``rule``; ``cert`` (worth ``cert_credits``, or what is inside it
    when ``None``) requires ``cert_rule``; ``waived`` as the learner's waivers; filters see
    the certificate as ``template`` (:data:`CS_CERT` for one that CS pools take)."""
    cert = Derivation(
        "cert", RULE.validate_python(cert_rule), cert_credits, template, frozenset({"cert"})
    )
    return compile_problem(
        "target",
        RULE.validate_python(rule),
        items,
        as_of=AS_OF,
        derivations={"cert": cert},
        scale=SCALE,
        waived=waived,
    )
