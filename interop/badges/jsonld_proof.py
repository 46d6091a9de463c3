"""Embedded proofs: ``DataIntegrityProof`` (eddsa-rdfc-2022, legacy eddsa-2022) and
``Ed25519Signature2020``, checked over the RDF-canonicalised document (URDNA2015 / RDFC-1.0).

The signed bytes are SHA-256(canonical proof options) || SHA-256(canonical document), the
same for all three suites. Every proof on the document must be of a known suite and verify:
an unknown suite is refused, not ignored (fail closed).
"""

from __future__ import annotations

import hashlib
from typing import Any

import base58
from cryptography.exceptions import InvalidSignature
from pyld import jsonld

from interop.badges.bundle import Bundle
from interop.badges.contexts import PinnedLoader, canonicalize
from interop.badges.keys import KeyProblem, resolve_ed25519
from interop.badges.verdict import Check

SUITES: dict[tuple[str, str | None], str] = {
    ("DataIntegrityProof", "eddsa-rdfc-2022"): "",
    ("DataIntegrityProof", "eddsa-2022"): "legacy cryptosuite eddsa-2022 (now eddsa-rdfc-2022)",
    ("Ed25519Signature2020", None): "",
}


def proofs_of(doc: dict[str, Any]) -> list[Any]:
    """The document's embedded proofs as a list."""
    proof = doc.get("proof")
    if proof is None:
        return []
    return proof if isinstance(proof, list) else [proof]


def check_embedded_proofs(
    doc: dict[str, Any], issuer_id: str | None, bundle: Bundle
) -> list[Check]:
    """One "proof" check per embedded proof; a failed "proof" check when there is none."""
    proofs = proofs_of(doc)
    if not proofs:
        return [Check.fail("proof", "no-proof", "the credential carries no proof")]
    unsecured = {k: v for k, v in doc.items() if k != "proof"}
    return [_check_one(unsecured, proof, issuer_id, bundle) for proof in proofs]


def _check_one(
    unsecured: dict[str, Any], proof: Any, issuer_id: str | None, bundle: Bundle
) -> Check:
    if not isinstance(proof, dict):
        return Check.fail("proof", "bad-proof", "proof is not an object")
    suite_key = (str(proof.get("type")), proof.get("cryptosuite"))
    label = "/".join(str(p) for p in suite_key if p)
    if suite_key not in SUITES:
        return Check.fail("proof", "unknown-proof-suite", f"unsupported proof suite {label}")
    if proof.get("proofPurpose") != "assertionMethod":
        return Check.fail("proof", "bad-proof", f"{label}: proofPurpose must be assertionMethod")
    try:
        found = resolve_ed25519(proof.get("verificationMethod"), issuer_id, bundle)
    except KeyProblem as exc:
        return Check.fail("proof", exc.rule, f"{label}: {exc.detail}")
    value = proof.get("proofValue")
    signature = _multibase_bytes(value)
    if signature is None or len(signature) != 64:
        return Check.fail("proof", "bad-proof", f"{label}: proofValue is not a base58btc signature")
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    options["@context"] = unsecured.get("@context")
    loader = PinnedLoader(bundle)
    try:
        signed = _sha256(canonicalize(options, loader)) + _sha256(canonicalize(unsecured, loader))
    except jsonld.JsonLdError as exc:
        if loader.refused:
            return Check.fail(
                "proof", "unknown-context", f"{label}: unknown context {loader.refused[0]}"
            )
        return Check.fail("proof", "bad-proof", f"{label}: cannot canonicalise ({exc})")
    try:
        found.key.verify(signature, signed)
    except InvalidSignature:
        return Check.fail("proof", "bad-proof", f"{label}: signature does not verify")
    note = SUITES[suite_key]
    detail = f"{label} verifies ({found.how})"
    return Check.warn("proof", f"{detail}; {note}") if note else Check.ok("proof", detail)


def _multibase_bytes(value: Any) -> bytes | None:
    if not isinstance(value, str) or not value.startswith("z"):
        return None
    try:
        return bytes(base58.b58decode(value[1:]))
    except ValueError:
        return None


def _sha256(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()
