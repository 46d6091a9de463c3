"""Recipient match: does the credential name the learner's identity (optional input)?

OB 3.0: ``credentialSubject.id`` or an ``identifier`` IdentityObject; OB 2.0: the assertion's
``recipient``. Hashed identities compare as sha256/md5(identity + salt).
"""

from __future__ import annotations

import hashlib
from typing import Any

from interop.badges.verdict import Check


def hashed_matches(candidate: str, identity_hash: str, salt: Any) -> bool:
    """True when ``candidate`` (+ salt) hashes to ``identity_hash`` ("sha256$hex" or hex)."""
    algo, sep, digest = identity_hash.partition("$")
    if not sep:
        algo, digest = "sha256", identity_hash
    if algo.lower() not in ("sha256", "md5"):
        return False
    suffix = salt if isinstance(salt, str) else ""
    variants = {candidate, candidate.lower()} if "@" in candidate else {candidate}
    return any(
        hashlib.new(algo.lower(), (v + suffix).encode("utf-8")).hexdigest() == digest.lower()
        for v in variants
    )


def identity_matches(candidate: str, identity: Any, hashed: Any, salt: Any) -> bool:
    """Compare one identity (plain or hashed) with the learner's."""
    if not isinstance(identity, str):
        return False
    if hashed is True:
        return hashed_matches(candidate, identity, salt)
    return identity == candidate or ("@" in candidate and identity.lower() == candidate.lower())


def subject_identities(subject: Any) -> list[tuple[Any, Any, Any]]:
    """(identity, hashed, salt) for every identity an OB 3.0 subject declares."""
    if not isinstance(subject, dict):
        return []
    found: list[tuple[Any, Any, Any]] = []
    if isinstance(subject.get("id"), str):
        found.append((subject["id"], False, None))
    identifiers = subject.get("identifier")
    for ident in identifiers if isinstance(identifiers, list) else [identifiers]:
        if isinstance(ident, dict):
            found.append((ident.get("identityHash"), ident.get("hashed"), ident.get("salt")))
    return found


def check_recipient(identities: list[tuple[Any, Any, Any]], recipient: str | None) -> Check:
    """The "recipient" check against the learner identity given by the caller."""
    if recipient is None:
        return Check.skip("recipient", "no learner identity given to match")
    if any(identity_matches(recipient, *ident) for ident in identities):
        return Check.ok("recipient", f"issued to {recipient}")
    return Check.fail(
        "recipient", "recipient-mismatch", f"the credential is not issued to {recipient}"
    )


def check_issuer_trust(issuer_id: str | None, issuers: list[str] | None) -> Check:
    """The "issuer" check: on the allow-list when one is given; only reported otherwise."""
    if issuers is None:
        return Check.skip("issuer", f"no allow-list given; issuer {issuer_id} not vetted")
    if issuer_id is not None and issuer_id in issuers:
        return Check.ok("issuer", f"{issuer_id} is on the allow-list")
    return Check.fail(
        "issuer", "issuer-not-trusted", f"issuer {issuer_id} is not on the allow-list"
    )
