"""Schema shape: JSON Schema validation against the bundle's OB 3.0 / CLR 2.0 schemas.

The shipped schemas are the draft-04 copies written for VCDM 1.1, so a VCDM 2.0 credential is
validated through a view with ``validFrom``/``validUntil`` renamed to ``issuanceDate``/
``expirationDate`` and without Bitstring/StatusList2021 status entries (which those schemas
predate; the status step checks them). Being older than OB 3.0.3, they also reject some
properties the current data model allows, so an "additional property" error is a warning;
a missing or mistyped property is a failure.

A ``credentialSchema`` the bundle does not hold: one of 1EdTech's canonical published schemas
(under ``.../schema/json/``) is reported as a warning (the default schema of the kind still
applies); any other (an issuer's own, a non-canonical URL) cannot be checked offline and is
refused.
"""

from __future__ import annotations

from typing import Any

import jsonschema

from interop.badges.bundle import Bundle
from interop.badges.verdict import Check

OB_SCHEMA = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)
CLR_SCHEMA = (
    "https://purl.imsglobal.org/spec/clr/v2p0/schema/json/clr_v2p0_clrcredential_schema.json"
)
DEFAULT_SCHEMA = {
    "OpenBadgeCredential": OB_SCHEMA,
    "AchievementCredential": OB_SCHEMA,
    "ClrCredential": CLR_SCHEMA,
}
CANONICAL_PREFIXES = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/",
    "https://purl.imsglobal.org/spec/clr/v2p0/schema/json/",
)
RENAMES = {"validFrom": "issuanceDate", "validUntil": "expirationDate"}
NEWER_STATUS = {"BitstringStatusListEntry", "StatusList2021Entry"}
MAX_ERRORS_SHOWN = 3


def check_schema(doc: dict[str, Any], kind: str, bundle: Bundle) -> Check:
    """The "schema" check: the default schema for ``kind`` plus any ``credentialSchema``."""
    known = bundle.schemas()
    wanted: list[str] = []
    notes: list[str] = []
    if kind in DEFAULT_SCHEMA:
        wanted.append(DEFAULT_SCHEMA[kind])
    declared = doc.get("credentialSchema")
    for entry in declared if isinstance(declared, list) else [declared] if declared else []:
        url = entry.get("id") if isinstance(entry, dict) else None
        if not isinstance(url, str):
            return Check.fail("schema", "schema", "credentialSchema entry without an id")
        if url not in known and url.startswith(CANONICAL_PREFIXES):
            notes.append(f"canonical schema {url.rsplit('/', 1)[-1]} is not in the bundle")
            continue
        if url not in known:
            return Check.fail(
                "schema", "schema-offline", f"credentialSchema {url} not available offline"
            )
        if url not in wanted:
            wanted.append(url)
    if not wanted and notes:
        return Check.warn("schema", "; ".join(notes))
    if not wanted:
        return Check.skip("schema", f"the bundle has no JSON schema for {kind}")
    view = vcdm11_view(doc)
    problems: list[str] = []
    extras: list[str] = []
    for url in wanted:
        if url not in known:
            return Check.fail("schema", "schema-offline", f"schema {url} is not in the bundle")
        validator = jsonschema.Draft4Validator(known[url])
        for error in validator.iter_errors(view):
            pointer = "/" + "/".join(str(p) for p in error.absolute_path)
            found = extras if error.validator == "additionalProperties" else problems
            found.append(f"{pointer}: {error.message[:160]}")
    if problems:
        shown = "; ".join(problems[:MAX_ERRORS_SHOWN])
        more = f" (+{len(problems) - MAX_ERRORS_SHOWN} more)" if len(problems) > 3 else ""
        return Check.fail("schema", "schema", f"does not match the schema: {shown}{more}")
    matched = "matches " + ", ".join(u.rsplit("/", 1)[-1] for u in wanted)
    if extras or notes:
        return Check.warn(
            "schema", "; ".join([matched + " except extra properties", *extras, *notes])
        )
    return Check.ok("schema", matched)


def vcdm11_view(node: Any) -> Any:
    """A copy of ``node`` in the VCDM 1.1 shape the draft-04 schemas were written for."""
    if isinstance(node, list):
        return [vcdm11_view(item) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "credentialStatus" and _is_newer_status(value):
            continue
        target = RENAMES.get(key)
        if target is not None and target not in node:
            out[target] = value
        else:
            out[key] = vcdm11_view(value)
    return out


def _is_newer_status(value: Any) -> bool:
    return isinstance(value, dict) and value.get("type") in NEWER_STATUS
