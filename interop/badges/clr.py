"""CLR 2.0: the credentials a ``ClrCredential`` bundles, each verified on its own."""

from __future__ import annotations

from typing import Any

from interop.badges.verdict import Check, Verdict


def clr_members(doc: dict[str, Any]) -> list[Any]:
    """The ``credentialSubject.verifiableCredential`` entries (objects or VC-JWT strings)."""
    subject = doc.get("credentialSubject")
    members = subject.get("verifiableCredential") if isinstance(subject, dict) else None
    if members is None:
        return []
    return members if isinstance(members, list) else [members]


def summarize_nested(check: str, verdicts: list[Verdict], rule: str) -> Check:
    """One check over nested verdicts: failed if any is refused, warning if any warns."""
    if not verdicts:
        return Check.skip(check, "none")
    refused = [i for i, v in enumerate(verdicts) if not v.trusted]
    if refused:
        first = verdicts[refused[0]]
        return Check.fail(
            check,
            rule,
            f"{len(refused)} of {len(verdicts)} refused; #{refused[0]} "
            f"({first.credential_id}): {'; '.join(first.reasons[:2])}",
        )
    if any(v.status == "warning" for v in verdicts):
        return Check.warn(check, f"all {len(verdicts)} trusted, with warnings")
    return Check.ok(check, f"all {len(verdicts)} verify")
