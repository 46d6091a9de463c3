"""OB 3.0 / CLR 2.0 / VC verification, in the order of the OB 3.0 spec (§ Verification):
schema shape, types and contexts, proof, validity dates, revocation, nested credentials
(CLR members, endorsements), recipient, issuer trust."""

from __future__ import annotations

from typing import Any

from interop.badges import clr
from interop.badges.contexts import check_contexts
from interop.badges.dates import check_validity
from interop.badges.errors import BadgeError
from interop.badges.extract import summarize_vc
from interop.badges.jsonld_proof import check_embedded_proofs
from interop.badges.jwt_proof import Jws, check_vc_jwt, parse_jws
from interop.badges.options import MAX_DEPTH, Options
from interop.badges.recipient import check_issuer_trust, check_recipient, subject_identities
from interop.badges.schema import check_schema
from interop.badges.status import check_status, issuer_id_of
from interop.badges.typecheck import check_types, credential_kind, types_of
from interop.badges.verdict import Check, Verdict, status_of

ENDORSEMENT_HOLDERS = ("issuer", "credentialSubject", "achievement", "creator")


def is_vc(doc: dict[str, Any]) -> bool:
    """True when the document claims to be a W3C Verifiable Credential."""
    return "VerifiableCredential" in types_of(doc) or "vc" in doc


def verify_jwt(token: str, opts: Options, container: str) -> Verdict:
    """Verify a VC-JWT (the credential is the ``vc`` claim, or the payload itself)."""
    jws = parse_jws(token)
    doc = jws.payload.get("vc", jws.payload)
    if not isinstance(doc, dict):
        raise BadgeError("VC-JWT payload carries no credential object")
    return verify_vc(doc, opts, fmt="vc-jwt", container=container, jws=jws)


def verify_vc(
    doc: dict[str, Any], opts: Options, *, fmt: str, container: str, jws: Jws | None = None
) -> Verdict:
    """Verify an OB 3.0 / CLR 2.0 credential given as JSON-LD (or decoded from a VC-JWT)."""
    kind = credential_kind(doc)
    issuer_id = issuer_id_of(doc)
    checks: list[Check] = [check_schema(doc, kind or "VerifiableCredential", opts.bundle)]
    checks.append(check_types(doc, kind))
    checks.append(check_contexts(doc, kind or "", opts.bundle))
    if jws is not None:
        checks.append(check_vc_jwt(jws, opts.bundle))
        checks.extend(_jwt_claims(jws, doc, issuer_id))
    else:
        checks.extend(check_embedded_proofs(doc, issuer_id, opts.bundle))
    if doc.get("refreshService") is not None:
        checks.append(Check.skip("refresh", "refreshService not followed (offline)"))
    checks.append(check_validity(*_dates(doc, jws), opts.now))
    checks.append(check_status(doc, opts.bundle, opts.now))
    nested: list[Verdict] = []
    if kind == "ClrCredential":
        members = [verify_embedded(m, opts.inner(same_learner=True)) for m in clr.clr_members(doc)]
        nested.extend(members)
        checks.append(clr.summarize_nested("credentials", members, "nested-invalid"))
    endorsements = [verify_embedded(e, opts.inner(same_learner=False)) for e in _endorsements(doc)]
    if endorsements:
        nested.extend(endorsements)
        checks.append(clr.summarize_nested("endorsements", endorsements, "endorsement-invalid"))
    subject = doc.get("credentialSubject")
    checks.append(check_recipient(subject_identities(subject), opts.recipient))
    checks.append(check_issuer_trust(issuer_id, opts.issuers))
    summary = summarize_vc(doc)
    if kind not in ("OpenBadgeCredential", "AchievementCredential"):
        summary["earned"] = False
    status = status_of(checks)
    return Verdict(
        trusted=status != "invalid",
        status=status,
        kind=kind or "/".join(types_of(doc)) or "unknown",
        spec="CLR 2.0" if kind == "ClrCredential" else "OB 3.0" if kind else "VC",
        format=fmt,
        container=container,
        checks=checks,
        nested=nested,
        **summary,
    )


def verify_embedded(entry: Any, opts: Options) -> Verdict:
    """Verify a credential nested in another (an object or a VC-JWT string)."""
    if opts.depth > MAX_DEPTH:
        return _refused("nesting", "too-deep", f"credentials nested deeper than {MAX_DEPTH}")
    try:
        if isinstance(entry, str):
            return verify_jwt(entry, opts, "embedded")
        if isinstance(entry, dict):
            return verify_vc(entry, opts, fmt="json-ld", container="embedded")
    except BadgeError as exc:
        return _refused("parse", "unreadable", exc.message)
    return _refused("parse", "unreadable", "nested credential is neither an object nor a JWT")


def _refused(check: str, rule: str, detail: str) -> Verdict:
    return Verdict(
        trusted=False,
        status="invalid",
        kind="unknown",
        spec="VC",
        format="unknown",
        container="embedded",
        checks=[Check.fail(check, rule, detail)],
    )


def _endorsements(doc: dict[str, Any]) -> list[Any]:
    """Endorsements of the credential, its issuer, its achievement and that one's creator."""
    found: list[Any] = []
    holders: list[Any] = [doc]
    subject = doc.get("credentialSubject")
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    holders.extend([doc.get("issuer"), achievement])
    if isinstance(achievement, dict):
        holders.append(achievement.get("creator"))
    for holder in holders:
        if not isinstance(holder, dict):
            continue
        for key in ("endorsement", "endorsementJwt"):
            value = holder.get(key)
            found.extend(value if isinstance(value, list) else [value] if value else [])
    return found


def _dates(
    doc: dict[str, Any], jws: Jws | None
) -> tuple[tuple[str, Any] | None, tuple[str, Any] | None]:
    claims = jws.payload if jws is not None else {}
    start: tuple[str, Any] | None = next(
        ((k, doc[k]) for k in ("validFrom", "issuanceDate") if k in doc), None
    )
    end: tuple[str, Any] | None = next(
        ((k, doc[k]) for k in ("validUntil", "expirationDate") if k in doc), None
    )
    if start is None and "nbf" in claims:
        start = ("nbf", claims["nbf"])
    if end is None and "exp" in claims:
        end = ("exp", claims["exp"])
    return start, end


def _jwt_claims(jws: Jws, doc: dict[str, Any], issuer_id: str | None) -> list[Check]:
    """VC-JWT: registered claims, when present, must agree with the credential."""
    if "vc" not in jws.payload:
        return []
    subject = doc.get("credentialSubject")
    pairs = {
        "iss": issuer_id,
        "jti": doc.get("id"),
        "sub": subject.get("id") if isinstance(subject, dict) else None,
    }
    wrong = [
        f"{claim} {jws.payload[claim]!r} != {value!r}"
        for claim, value in pairs.items()
        if claim in jws.payload and value is not None and jws.payload[claim] != value
    ]
    if wrong:
        return [Check.fail("jwt-claims", "bad-proof", "; ".join(wrong))]
    return []
