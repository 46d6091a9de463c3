"""Types: the credential's own type and the ``type`` of the objects it nests (OB 3.0 §B).

Mirrors the official validator's type probes (TypeProperty, Issuer, CredentialSubject,
Evidence): a nested object of a known property must carry the type the data model gives it.
"""

from __future__ import annotations

from typing import Any

from interop.badges.verdict import Check

CREDENTIAL_KINDS = (
    "ClrCredential",
    "OpenBadgeCredential",
    "AchievementCredential",
    "EndorsementCredential",
    "BitstringStatusListCredential",
    "StatusList2021Credential",
)
#: Property -> the type its object values must carry.
PROPERTY_TYPES = {
    "issuer": "Profile",
    "parentOrg": "Profile",
    "source": "Profile",
    "creator": "Profile",
    "otherIdentifier": "IdentifierEntry",
    "identifier": "IdentityObject",
    "result": "Result",
    "resultDescription": "ResultDescription",
    "rubricCriterionLevel": "RubricCriterionLevel",
    "evidence": "Evidence",
    "achievement": "Achievement",
    "alignment": "Alignment",
}
SUBJECT_TYPES = {
    "ClrCredential": "ClrSubject",
    "OpenBadgeCredential": "AchievementSubject",
    "AchievementCredential": "AchievementSubject",
    "EndorsementCredential": "EndorsementSubject",
}
#: Nested credentials are checked on their own; their contents are not this one's.
NESTED = ("endorsement", "verifiableCredential", "proof", "@context")


def types_of(node: Any) -> list[str]:
    """The ``type`` of a JSON object as a list of strings."""
    value = node.get("type") if isinstance(node, dict) else None
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def credential_kind(doc: dict[str, Any]) -> str | None:
    """The most specific known credential type, or None when it has none."""
    found = types_of(doc)
    if "VerifiableCredential" not in found:
        return None
    return next((k for k in CREDENTIAL_KINDS if k in found), None)


def check_types(doc: dict[str, Any], kind: str | None) -> Check:
    """The "types" check."""
    if kind is None:
        return Check.fail(
            "types",
            "wrong-type",
            f"type {types_of(doc)} is not VerifiableCredential + one of "
            + ", ".join(CREDENTIAL_KINDS),
        )
    problems: list[str] = []
    subject_type = SUBJECT_TYPES.get(kind)
    subjects = doc.get("credentialSubject")
    for subject in subjects if isinstance(subjects, list) else [subjects]:
        if subject_type and isinstance(subject, dict) and subject_type not in types_of(subject):
            problems.append(f"/credentialSubject type {types_of(subject)} lacks {subject_type}")
    _walk(doc, "", problems)
    if problems:
        return Check.fail("types", "wrong-type", "; ".join(problems[:3]))
    return Check.ok("types", f"{kind} and its nested objects are typed as required")


def _walk(node: Any, path: str, problems: list[str]) -> None:
    if isinstance(node, list):
        for i, item in enumerate(node):
            _walk(item, f"{path}/{i}", problems)
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if key in NESTED:
            continue
        wanted = PROPERTY_TYPES.get(key)
        items = value if isinstance(value, list) else [value]
        for i, item in enumerate(items):
            where = f"{path}/{key}" + (f"/{i}" if isinstance(value, list) else "")
            if wanted and isinstance(item, dict) and wanted not in types_of(item):
                problems.append(f"{where} type {types_of(item) or 'missing'} is not {wanted}")
            _walk(item, where, problems)
