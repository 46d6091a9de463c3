"""Open Badges 2.0: hosted assertions (JSON) and signed assertions (JWS), plus BadgeClass and
Issuer documents given on their own.

Every linked document (BadgeClass, Issuer, key, revocation list, endorsement, extension
schema) is resolved ONLY through the bundle's urlmap.json; one that is not served makes the
assertion refused (fail closed). Hosted verification follows the 1EdTech validator: the
assertion id must sit on the issuer's origin (or its ``verification.allowedOrigins`` /
``startsWith``); the hosted copy itself is not re-fetched.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import jsonschema
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from pyld import jsonld

from interop.badges.contexts import PinnedLoader, context_urls
from interop.badges.dates import check_validity, parse_when
from interop.badges.errors import BadgeError, OfflineUnavailable
from interop.badges.extract import alignments_of
from interop.badges.jwt_proof import parse_jws, verify_jws
from interop.badges.options import Options
from interop.badges.recipient import check_issuer_trust, check_recipient
from interop.badges.typecheck import types_of
from interop.badges.verdict import Check, Verdict, status_of

OB2_TYPES = ("Assertion", "BadgeClass", "Issuer", "Profile")


def is_ob2(doc: dict[str, Any]) -> bool:
    """True for an OB 2.0 document (its context or type says so)."""
    ctx = doc.get("@context")
    names = ctx if isinstance(ctx, list) else [ctx]
    ob2_context = any(isinstance(c, str) and "openbadges" in c and "v3p0" not in c for c in names)
    return ob2_context or any(t in OB2_TYPES for t in types_of(doc))


class _Missing(Exception):
    def __init__(self, check: Check) -> None:
        super().__init__(check.detail)
        self.check = check


def _resolve(ref: Any, what: str, wanted: tuple[str, ...], opts: Options) -> dict[str, Any]:
    """An embedded node, or the document the bundle serves for its URL."""
    if isinstance(ref, dict):
        node = ref
    elif isinstance(ref, str):
        try:
            node = opts.bundle.fetch_json(ref)
        except OfflineUnavailable as exc:
            raise _Missing(
                Check.fail(what, "dependency-offline", f"{what} {ref} not available offline")
            ) from exc
        except BadgeError as exc:
            raise _Missing(Check.fail(what, "dependency-offline", exc.message)) from exc
    else:
        raise _Missing(Check.fail(what, "missing", f"no {what}"))
    if not isinstance(node, dict) or not set(wanted) & set(types_of(node)):
        got = types_of(node) if isinstance(node, dict) else type(node).__name__
        raise _Missing(Check.fail(what, "wrong-type", f"{what} is {got}, not {wanted[0]}"))
    return node


def _declared_id(ref: Any, node: dict[str, Any], what: str) -> Check:
    if isinstance(ref, str) and node.get("id") not in (None, ref):
        return Check.warn(what, f"{ref} declared its id as {node.get('id')}")
    return Check.ok(what, f"{what} {node.get('id')} resolved")


def verify_ob2(
    doc: dict[str, Any], opts: Options, container: str, signed: Check | None = None
) -> Verdict:
    """Verify an OB 2.0 document: Assertion (hosted, or signed when ``signed`` is given),
    BadgeClass or Issuer profile."""
    kinds = types_of(doc)
    kind = next((t for t in OB2_TYPES if t in kinds), None)
    checks = [
        Check.ok("types", f"{kind} document")
        if kind
        else Check.fail("types", "wrong-type", f"type {kinds} is not an OB 2.0 {OB2_TYPES}")
    ]
    checks.append(_check_contexts(doc, opts))
    badge: dict[str, Any] = {}
    issuer: dict[str, Any] = {}
    try:
        if kind == "Assertion":
            badge = _resolve(doc.get("badge"), "badge", ("BadgeClass",), opts)
            checks.append(_declared_id(doc.get("badge"), badge, "badge"))
        elif kind == "BadgeClass":
            badge = doc
        if badge:
            issuer = _resolve(badge.get("issuer"), "issuer", ("Issuer", "Profile"), opts)
            checks.append(_declared_id(badge.get("issuer"), issuer, "issuer"))
        elif kind in ("Issuer", "Profile"):
            issuer = doc
    except _Missing as missing:
        checks.append(missing.check)
    issuer_id = issuer.get("id") if isinstance(issuer.get("id"), str) else None
    if issuer_id is not None and urlparse(issuer_id).scheme not in ("http", "https"):
        checks.append(Check.warn("issuer-id", f"issuer id {issuer_id} is not an HTTP(S) URL"))
    if kind == "Assertion":
        checks.append(signed or _check_hosted(doc, issuer))
        image = doc.get("image")
        image_id = image.get("id") if isinstance(image, dict) else image
        if isinstance(image_id, str) and image_id.startswith("data:"):
            checks.append(
                Check.fail("image", "data-image", "an Assertion image may not be a data: URI")
            )
    checks.append(_check_extensions(doc, opts))
    checks.append(_check_endorsements([doc, badge, issuer], opts))
    if kind == "Assertion":
        checks.append(_check_dates(doc, opts))
        checks.append(_check_revocation(doc, issuer, opts))
        recipient = doc.get("recipient")
        recipient = recipient if isinstance(recipient, dict) else {}
        identity = (recipient.get("identity"), recipient.get("hashed"), recipient.get("salt"))
        checks.append(check_recipient([identity], opts.recipient))
    checks.append(check_issuer_trust(issuer_id, opts.issuers))
    status = status_of(checks)
    recipient_obj = doc.get("recipient") if kind == "Assertion" else None
    return Verdict(
        trusted=status != "invalid",
        status=status,
        kind=kind or "/".join(kinds) or "unknown",
        spec="OB 2.0",
        format="ob2-signed" if signed is not None else "ob2-hosted",
        container=container,
        earned=kind == "Assertion",
        credential_id=doc.get("id") if isinstance(doc.get("id"), str) else None,
        issuer_id=issuer_id,
        issuer_name=issuer.get("name") if isinstance(issuer.get("name"), str) else None,
        achievement_id=badge.get("id") if isinstance(badge.get("id"), str) else None,
        achievement_name=badge.get("name") if isinstance(badge.get("name"), str) else None,
        recipient=recipient_obj.get("identity") if isinstance(recipient_obj, dict) else None,
        issued=parse_when(doc.get("issuedOn")) if kind == "Assertion" else None,
        expires=parse_when(doc.get("expires")) if kind == "Assertion" else None,
        alignments=alignments_of(badge),
        checks=checks,
    )


def verify_ob2_jws(token: str, opts: Options, container: str) -> Verdict:
    """Verify a signed OB 2.0 assertion: JWS with the issuer's key from the bundle."""
    jws = parse_jws(token)
    doc = jws.payload
    signed = _check_signature(token, jws.header.get("alg"), doc, opts)
    return verify_ob2(doc, opts, container, signed=signed)


def verify_ob2_url(url: str, opts: Options, container: str) -> Verdict:
    """A baked hosted assertion given by its URL: verified only if the bundle serves it."""
    try:
        doc = opts.bundle.fetch_json(url)
    except OfflineUnavailable:
        doc = None
    if not isinstance(doc, dict):
        return Verdict(
            trusted=False,
            status="invalid",
            kind="Assertion",
            spec="OB 2.0",
            format="ob2-hosted",
            container=container,
            credential_id=url,
            checks=[Check.fail("fetch", "dependency-offline", f"{url} not available offline")],
        )
    return verify_ob2(doc, opts, container)


def _check_contexts(doc: dict[str, Any], opts: Options) -> Check:
    unknown = sorted({u for u in context_urls(doc) if not opts.bundle.is_context(u)})
    if unknown:
        return Check.fail(
            "contexts", "unknown-context", f"unknown context (not pinned): {', '.join(unknown)}"
        )
    loader = PinnedLoader(opts.bundle)
    try:
        jsonld.expand(doc, loader.options())
    except jsonld.JsonLdError as exc:
        return Check.fail("contexts", "bad-jsonld", f"not valid JSON-LD ({exc})")
    return Check.ok("contexts", "all contexts pinned; JSON-LD expands")


def _check_hosted(doc: dict[str, Any], issuer: dict[str, Any]) -> Check:
    verification = doc.get("verification")
    vtype = verification.get("type") if isinstance(verification, dict) else None
    if vtype in ("signed", "SignedBadge"):
        return Check.fail(
            "verification", "bad-proof", "a signed assertion must be given as its JWS"
        )
    if vtype not in ("hosted", "HostedBadge"):
        return Check.fail("verification", "bad-proof", f"unknown verification type {vtype!r}")
    assertion_id = doc.get("id")
    if not isinstance(assertion_id, str) or urlparse(assertion_id).scheme not in ("http", "https"):
        return Check.fail("verification", "bad-proof", "a hosted assertion id must be an HTTP URL")
    declared = issuer.get("verification")
    policy: dict[str, Any] = declared if isinstance(declared, dict) else {}
    starts = policy.get("startsWith")
    origins = policy.get("allowedOrigins")
    host = urlparse(assertion_id).netloc
    if starts:
        prefixes = starts if isinstance(starts, list) else [starts]
        if any(isinstance(p, str) and assertion_id.startswith(p) for p in prefixes):
            return Check.ok("verification", f"hosted: id starts with an allowed prefix {prefixes}")
        return Check.fail(
            "verification", "hosted-origin", f"{assertion_id} starts with none of {prefixes}"
        )
    if origins:
        allowed = origins if isinstance(origins, list) else [origins]
        if host in allowed:
            return Check.ok("verification", f"hosted: {host} is an allowed origin")
        return Check.fail("verification", "hosted-origin", f"{host} is not in {allowed}")
    issuer_id = issuer.get("id")
    issuer_url = urlparse(issuer_id) if isinstance(issuer_id, str) else None
    if issuer_url is None or issuer_url.scheme not in ("http", "https"):
        return Check.warn(
            "verification", "hosted: the issuer has no HTTP domain to enforce the origin against"
        )
    if issuer_url.netloc == host:
        return Check.ok("verification", f"hosted on the issuer's origin {host}")
    return Check.fail(
        "verification", "hosted-origin", f"{host} is not the issuer's origin {issuer_url.netloc}"
    )


def _check_signature(token: str, alg: Any, doc: dict[str, Any], opts: Options) -> Check:
    if alg != "RS256":
        return Check.fail("proof", "unknown-proof-suite", f"OB 2.0 JWS must be RS256, not {alg!r}")
    verification = doc.get("verification")
    creator = verification.get("creator") if isinstance(verification, dict) else None
    try:
        badge = _resolve(doc.get("badge"), "badge", ("BadgeClass",), opts)
        issuer = _resolve(badge.get("issuer"), "issuer", ("Issuer", "Profile"), opts)
    except _Missing as missing:
        return Check.fail("proof", "key-offline", f"no issuer to take the key from: {missing}")
    declared = issuer.get("publicKey")
    listed = [k.get("id") if isinstance(k, dict) else k for k in _as_list(declared)]
    key_url = creator if isinstance(creator, str) else next(iter(listed), None)
    if not isinstance(key_url, str):
        return Check.fail("proof", "key-offline", "neither verification.creator nor publicKey")
    if listed and key_url not in listed:
        return Check.fail("proof", "key-mismatch", f"{key_url} is not a key of the issuer")
    try:
        key_doc = _resolve(key_url, "key", ("CryptographicKey",), opts)
    except _Missing as missing:
        rule = missing.check.rule
        return Check.fail(
            "proof",
            "key-offline" if rule == "dependency-offline" else "bad-proof",
            missing.check.detail,
        )
    if key_doc.get("owner") != issuer.get("id"):
        return Check.fail("proof", "key-mismatch", f"{key_url} is not owned by the issuer")
    try:
        key = load_pem_public_key(str(key_doc.get("publicKeyPem", "")).encode())
    except ValueError as exc:
        return Check.fail("proof", "bad-proof", f"{key_url}: unusable publicKeyPem ({exc})")
    return verify_jws(token, key, "RS256", f"key {key_url} of the issuer, served by the bundle")


def _check_extensions(doc: dict[str, Any], opts: Options) -> Check:
    """Extension nodes whose context declares a validation schema must validate against it."""
    checked: list[str] = []
    for node in _nodes(doc):
        ctx = node.get("@context")
        for url in ctx if isinstance(ctx, list) else [ctx]:
            if not isinstance(url, str) or not opts.bundle.is_context(url):
                continue
            context_doc = opts.bundle.fetch_json(url)
            rules = context_doc.get("obi:validation") if isinstance(context_doc, dict) else None
            for rule in _as_list(rules):
                schema_url = rule.get("obi:validationSchema") if isinstance(rule, dict) else None
                if not isinstance(schema_url, str):
                    continue
                try:
                    schema = opts.bundle.fetch_json(schema_url)
                except OfflineUnavailable:
                    return Check.fail(
                        "extensions",
                        "extension-schema-offline",
                        f"extension schema {schema_url} not available offline",
                    )
                try:
                    jsonschema.validate(node, schema)
                except jsonschema.ValidationError as exc:
                    return Check.fail("extensions", "extension", f"{schema_url}: {exc.message}")
                checked.append(schema_url)
    if not checked:
        return Check.skip("extensions", "no extension with a validation schema")
    return Check.ok("extensions", f"valid against {', '.join(checked)}")


def _check_endorsements(holders: list[dict[str, Any]], opts: Options) -> Check:
    count = 0
    for holder in holders:
        for ref in _as_list(holder.get("endorsement")):
            try:
                _resolve(ref, "endorsement", ("Endorsement",), opts)
            except _Missing as missing:
                return Check.fail("endorsements", "endorsement-invalid", missing.check.detail)
            count += 1
    if not count:
        return Check.skip("endorsements", "none")
    return Check.ok("endorsements", f"{count} endorsement(s) resolved")


def _check_dates(doc: dict[str, Any], opts: Options) -> Check:
    start = ("issuedOn", doc["issuedOn"]) if "issuedOn" in doc else None
    end = ("expires", doc["expires"]) if "expires" in doc else None
    if start is None:
        return Check.fail("validity", "bad-date", "an Assertion needs issuedOn")
    return check_validity(start, end, opts.now)


def _check_revocation(doc: dict[str, Any], issuer: dict[str, Any], opts: Options) -> Check:
    if doc.get("revoked") is True:
        return Check.fail("revocation", "revoked", "the assertion says it is revoked")
    url = issuer.get("revocationList")
    if url is None:
        return Check.skip("revocation", "the issuer publishes no revocation list")
    try:
        listed = _resolve(url, "revocation", ("RevocationList",), opts)
    except _Missing as missing:
        rule = "status-offline" if missing.check.rule == "dependency-offline" else "bad-status"
        return Check.fail("revocation", rule, missing.check.detail)
    for entry in _as_list(listed.get("revokedAssertions")):
        revoked_id = entry.get("id") if isinstance(entry, dict) else entry
        if revoked_id == doc.get("id"):
            reason = entry.get("revocationReason") if isinstance(entry, dict) else None
            return Check.fail("revocation", "revoked", f"revoked: {reason or 'no reason given'}")
    return Check.ok("revocation", f"not on the revocation list {url}")


def _nodes(node: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        found.append(node)
        for key, value in node.items():
            if key != "@context":
                found.extend(_nodes(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(_nodes(item))
    return found


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]
