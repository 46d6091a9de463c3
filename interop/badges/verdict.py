"""The verdict: plain data saying whether a credential is trusted, and why.

``trusted`` is True exactly when no check failed; a "warning" verdict is trusted with its
warnings reported. Each failed check carries ``rule``, a stable name of the rule broken
(``expired``, ``bad-proof``, ``revoked``, ``unknown-context``, ``key-offline``...).
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

Result = Literal["passed", "failed", "warning", "skipped"]
Status = Literal["valid", "warning", "invalid"]


class Check(BaseModel):
    """One verification step and its outcome."""

    check: str
    result: Result
    detail: str = ""
    #: For a failed check, the rule broken (stable, machine-readable).
    rule: str | None = None

    @classmethod
    def ok(cls, check: str, detail: str = "") -> Check:
        """A passed check."""
        return cls(check=check, result="passed", detail=detail)

    @classmethod
    def fail(cls, check: str, rule: str, detail: str) -> Check:
        """A failed check naming the rule broken."""
        return cls(check=check, result="failed", detail=detail, rule=rule)

    @classmethod
    def warn(cls, check: str, detail: str) -> Check:
        """A check that passed with a reservation (the credential stays trusted)."""
        return cls(check=check, result="warning", detail=detail)

    @classmethod
    def skip(cls, check: str, detail: str) -> Check:
        """A check that did not apply (nothing to check); it never makes a credential fail."""
        return cls(check=check, result="skipped", detail=detail)


class Alignment(BaseModel):
    """An alignment of the achievement to a framework, competency or course."""

    target_name: str | None = None
    target_url: str | None = None
    target_code: str | None = None
    target_framework: str | None = None
    target_type: str | None = None


class AchievedResult(BaseModel):
    """A result the learner reached (OB 3.0 ``Result``), resolved to its description."""

    name: str | None = None
    result_type: str | None = None
    value: str | None = None
    achieved_level: str | None = None
    status: str | None = None


class Verdict(BaseModel):
    """Whether a credential is trusted, what it says, and every check made."""

    trusted: bool
    status: Status
    #: OB 3.0 / CLR: the credential type (OpenBadgeCredential, AchievementCredential,
    #: ClrCredential, EndorsementCredential...); OB 2.0: Assertion, BadgeClass or Issuer.
    kind: str
    #: "OB 3.0", "OB 2.0", "CLR 2.0" or "VC".
    spec: str
    #: How it was carried: json-ld, vc-jwt, ob2-hosted, ob2-signed; baked in png / svg.
    format: str
    container: str
    #: True when the document evidences an achievement earned by a recipient (an assertion
    #: or achievement credential); False for a BadgeClass, issuer profile, endorsement or
    #: status list, which may verify but prove nothing about a learner.
    earned: bool = False
    credential_id: str | None = None
    issuer_id: str | None = None
    issuer_name: str | None = None
    achievement_id: str | None = None
    achievement_name: str | None = None
    achievement_type: str | None = None
    recipient: str | None = None
    issued: datetime | None = None
    expires: datetime | None = None
    alignments: list[Alignment] = Field(default_factory=list)
    results: list[AchievedResult] = Field(default_factory=list)
    #: A letter grade / a score in 0..1 derived from ``results`` when one is unambiguous.
    grade: str | None = None
    score: float | None = None
    checks: list[Check] = Field(default_factory=list)
    #: Credentials inside this one (CLR members, endorsements), each with its own verdict.
    nested: list[Verdict] = Field(default_factory=list)

    @property
    def reasons(self) -> list[str]:
        """Why the credential is refused: "rule: detail" for every failed check."""
        return [f"{c.rule}: {c.detail}" for c in self.checks if c.result == "failed"]

    @property
    def rules_broken(self) -> list[str]:
        """The rules broken, in check order, without repeats."""
        seen: list[str] = []
        for c in self.checks:
            if c.result == "failed" and c.rule and c.rule not in seen:
                seen.append(c.rule)
        return seen

    @property
    def warnings(self) -> list[str]:
        """The reservations of a trusted credential."""
        return [f"{c.check}: {c.detail}" for c in self.checks if c.result == "warning"]

    def earned_achievements(self) -> list[Verdict]:
        """This verdict and its trusted nested ones that evidence an earned achievement."""
        found = [self] if self.trusted and self.earned else []
        if self.trusted:
            for inner in self.nested:
                if inner.kind != "EndorsementCredential":
                    found.extend(inner.earned_achievements())
        return found


def status_of(checks: list[Check]) -> Status:
    """invalid if any check failed, else warning if any warned, else valid."""
    results = {c.result for c in checks}
    if "failed" in results:
        return "invalid"
    if "warning" in results:
        return "warning"
    return "valid"
