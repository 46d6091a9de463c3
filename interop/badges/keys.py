"""Finding the Ed25519 public key named by a proof's ``verificationMethod``, offline.

Accepted, in this order:

* ``did:key:z6Mk...`` - the key is the identifier itself (self-certifying);
* ``<issuer id>#z6Mk...`` - a Multikey in the fragment, as the official 1EdTech validator
  accepts; the part before ``#`` must be the credential's issuer, else the key is refused;
* any other URL served by the bundle (a controller document / Multikey / Ed25519
  verification key with ``publicKeyMultibase``).

Anything else needs the network (DID resolution, key documents) and is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import base58
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from interop.badges.bundle import Bundle
from interop.badges.errors import BadgeError, OfflineUnavailable

ED25519_MULTICODEC = b"\xed\x01"


class KeyProblem(Exception):
    """The key cannot be had offline or is not acceptable; ``rule`` names which."""

    def __init__(self, rule: str, detail: str) -> None:
        self.rule = rule
        self.detail = detail
        super().__init__(detail)


@dataclass(frozen=True)
class FoundKey:
    """A public key and how it was found (for the verdict's detail)."""

    key: Ed25519PublicKey
    how: str


def decode_multikey(value: str) -> Ed25519PublicKey | None:
    """An Ed25519 key from a base58btc Multikey ("z6Mk..."), or None if it is not one."""
    if not value.startswith("z"):
        return None
    try:
        raw = base58.b58decode(value[1:])
    except ValueError:
        return None
    if len(raw) != 34 or not raw.startswith(ED25519_MULTICODEC):
        return None
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def resolve_ed25519(method: Any, issuer_id: str | None, bundle: Bundle) -> FoundKey:
    """The key for ``method``; raises KeyProblem (key-offline / key-mismatch / bad-proof)."""
    if not isinstance(method, str) or not method:
        raise KeyProblem("bad-proof", "proof has no verificationMethod")
    if ":" not in method.split("#", 1)[0]:
        raise KeyProblem("key-offline", f"verificationMethod {method!r} is not a URI")
    controller, _, fragment = method.partition("#")
    if controller.startswith("did:key:"):
        key = decode_multikey(controller[len("did:key:") :])
        if key is None:
            raise KeyProblem("bad-proof", f"{controller} is not an Ed25519 did:key")
        return FoundKey(key, "did:key (self-certifying)")
    key = decode_multikey(fragment) if fragment else None
    if key is not None:
        if issuer_id is not None and controller != issuer_id:
            raise KeyProblem(
                "key-mismatch",
                f"key {method} is controlled by {controller}, not by the issuer {issuer_id}",
            )
        return FoundKey(key, "Multikey in the issuer's verificationMethod fragment")
    try:
        document = bundle.fetch_json(method)
    except OfflineUnavailable as exc:
        raise KeyProblem(
            "key-offline", f"key {method} not available offline (needs resolution)"
        ) from exc
    except BadgeError as exc:
        raise KeyProblem("key-offline", f"key {method}: {exc.message}") from exc
    key = _key_from_document(document, method)
    if key is None:
        raise KeyProblem("key-offline", f"no Ed25519 key {method} in its served document")
    return FoundKey(key, "key document served by the bundle")


def _key_from_document(document: Any, method: str) -> Ed25519PublicKey | None:
    candidates: list[Any] = [document]
    if isinstance(document, dict):
        for prop in ("verificationMethod", "assertionMethod", "publicKey"):
            value = document.get(prop)
            candidates.extend(value if isinstance(value, list) else [value])
    for item in candidates:
        if not isinstance(item, dict):
            continue
        if item.get("id") not in (method, "#" + method.partition("#")[2]):
            continue
        multibase = item.get("publicKeyMultibase")
        if isinstance(multibase, str):
            return decode_multikey(multibase)
    return None
