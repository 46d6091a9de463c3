"""Compact JWS: VC-JWT credentials (OB 3.0 / CLR 2.0) and signed OB 2.0 assertions.

The key comes from the JOSE header ``jwk``, or from ``kid`` when it is a did:key or a URL
the bundle serves; anything else is "key not available offline". The signature is checked
with PyJWT; claims (dates, ids) are checked by the other steps.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from interop.badges.bundle import Bundle
from interop.badges.errors import BadgeError, OfflineUnavailable
from interop.badges.keys import decode_multikey
from interop.badges.verdict import Check

#: "none" and the HMAC algorithms are never accepted: a credential needs a public key.
ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA")


@dataclass(frozen=True)
class Jws:
    """A parsed (not yet verified) compact JWS."""

    token: str
    header: dict[str, Any]
    payload: dict[str, Any]


def parse_jws(token: str) -> Jws:
    """Split and decode a compact JWS; BadgeError when it is not one."""
    parts = token.split(".")
    if len(parts) != 3:
        raise BadgeError("not a compact JWS (needs three dot-separated parts)")
    try:
        header = json.loads(_b64url(parts[0]))
        payload = json.loads(_b64url(parts[1]))
    except ValueError as exc:
        raise BadgeError(f"not a compact JWS: {exc}") from exc
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise BadgeError("not a compact JWS: header and payload must be JSON objects")
    return Jws(token=token, header=header, payload=payload)


def _b64url(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def check_vc_jwt(jws: Jws, bundle: Bundle) -> Check:
    """The "proof" check of a VC-JWT: the key from jwk / kid, then the signature."""
    header = jws.header
    alg = header.get("alg")
    if alg not in ALGORITHMS:
        return Check.fail("proof", "unknown-proof-suite", f"JWS algorithm {alg!r} not accepted")
    jwk = header.get("jwk")
    kid = header.get("kid")
    if isinstance(jwk, dict):
        try:
            key: Any = jwt.PyJWK(jwk, algorithm=str(alg)).key
        except jwt.exceptions.PyJWTError as exc:
            return Check.fail("proof", "bad-proof", f"unusable jwk in JOSE header ({exc})")
        how = "jwk in the JOSE header (self-asserted: binds no key to the issuer)"
    elif isinstance(kid, str) and kid:
        found = _key_for_kid(kid, str(alg), bundle)
        if isinstance(found, Check):
            return found
        key, how = found
    else:
        return Check.fail(
            "proof", "key-offline", "JOSE header has neither jwk nor kid: no key to verify with"
        )
    return verify_jws(jws.token, key, str(alg), how)


def _key_for_kid(kid: str, alg: str, bundle: Bundle) -> tuple[Any, str] | Check:
    base = kid.split("#", 1)[0]
    if base.startswith("did:key:"):
        key = decode_multikey(base[len("did:key:") :])
        if key is None:
            return Check.fail("proof", "bad-proof", f"kid {kid} is not an Ed25519 did:key")
        return key, "did:key kid"
    try:
        document = bundle.fetch_json(kid)
    except OfflineUnavailable:
        return Check.fail("proof", "key-offline", f"key {kid} not available offline")
    except BadgeError as exc:
        return Check.fail("proof", "key-offline", f"key {kid}: {exc.message}")
    jwk = document.get("publicKeyJwk", document) if isinstance(document, dict) else {}
    try:
        return jwt.PyJWK(
            jwk if isinstance(jwk, dict) else {}, algorithm=alg
        ).key, "key document served by the bundle"
    except (jwt.exceptions.PyJWTError, TypeError, ValueError):
        multibase = document.get("publicKeyMultibase") if isinstance(document, dict) else None
        ed = decode_multikey(multibase) if isinstance(multibase, str) else None
        if isinstance(ed, Ed25519PublicKey):
            return ed, "key document served by the bundle"
        return Check.fail("proof", "key-offline", f"no usable key in the document for {kid}")


def verify_jws(token: str, key: Any, alg: str, how: str) -> Check:
    """Verify the JWS signature only (claims such as exp/nbf are checked elsewhere)."""
    try:
        jwt.api_jws.PyJWS().decode_complete(token, key=key, algorithms=[alg])
    except jwt.exceptions.InvalidSignatureError:
        return Check.fail("proof", "bad-proof", f"JWS {alg} signature does not verify")
    except (jwt.exceptions.PyJWTError, TypeError, ValueError) as exc:
        return Check.fail("proof", "bad-proof", f"JWS cannot be verified ({exc})")
    return Check.ok("proof", f"JWS {alg} signature verifies ({how})")
