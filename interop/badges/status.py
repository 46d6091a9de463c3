"""Revocation: ``credentialStatus`` checked against a status list the bundle serves.

Supported: BitstringStatusListEntry / StatusList2021Entry (a signed status list credential,
gzip bitstring, most significant bit first) and 1EdTechRevocationList. A status list that is
not served, or a status type we do not know, is a refusal: we cannot say it is not revoked.
"""

from __future__ import annotations

import base64
import gzip
import zlib
from datetime import datetime
from typing import Any

from interop.badges.bundle import Bundle
from interop.badges.dates import check_validity
from interop.badges.errors import BadgeError, OfflineUnavailable
from interop.badges.jsonld_proof import check_embedded_proofs
from interop.badges.typecheck import types_of
from interop.badges.verdict import Check

BITSTRING_ENTRIES = {
    "BitstringStatusListEntry": "BitstringStatusListCredential",
    "StatusList2021Entry": "StatusList2021Credential",
}
REVOKING_PURPOSES = {"revocation", "suspension"}
MAX_LIST_BYTES = 16_000_000


def issuer_id_of(doc: dict[str, Any]) -> str | None:
    """The credential's issuer id (issuer may be a string or a Profile object)."""
    issuer = doc.get("issuer")
    if isinstance(issuer, dict):
        issuer = issuer.get("id")
    return issuer if isinstance(issuer, str) else None


def check_status(doc: dict[str, Any], bundle: Bundle, now: datetime) -> Check:
    """The "revocation" check of a VC."""
    status = doc.get("credentialStatus")
    if status is None:
        return Check.skip("revocation", "no credentialStatus declared")
    entries = status if isinstance(status, list) else [status]
    checks = [_check_entry(e, doc, bundle, now) for e in entries]
    worst = next((c for c in checks if c.result == "failed"), None)
    worst = worst or next((c for c in checks if c.result == "warning"), None)
    return worst or checks[0]


def _check_entry(entry: Any, doc: dict[str, Any], bundle: Bundle, now: datetime) -> Check:
    if not isinstance(entry, dict):
        return Check.fail("revocation", "bad-status", "credentialStatus is not an object")
    kind = entry.get("type")
    if kind in BITSTRING_ENTRIES:
        return _bitstring(entry, str(kind), doc, bundle, now)
    if kind == "1EdTechRevocationList":
        return _revocation_list(entry, doc, bundle)
    return Check.fail(
        "revocation", "unknown-status-type", f"status type {kind!r} cannot be checked offline"
    )


def _fetch(url: Any, what: str, bundle: Bundle) -> Any:
    if not isinstance(url, str):
        raise _Fail("bad-status", f"{what} has no URL")
    try:
        return bundle.fetch_json(url)
    except OfflineUnavailable as exc:
        raise _Fail("status-offline", f"{what} {url} not available offline") from exc
    except BadgeError as exc:
        raise _Fail("status-offline", f"{what} {url}: {exc.message}") from exc


class _Fail(Exception):
    def __init__(self, rule: str, detail: str) -> None:
        super().__init__(detail)
        self.check = Check.fail("revocation", rule, detail)


def _bitstring(
    entry: dict[str, Any], kind: str, doc: dict[str, Any], bundle: Bundle, now: datetime
) -> Check:
    try:
        url = entry.get("statusListCredential")
        listed = _fetch(url, "status list", bundle)
        if not isinstance(listed, dict) or BITSTRING_ENTRIES[kind] not in types_of(listed):
            raise _Fail("bad-status", f"{url} is not a {BITSTRING_ENTRIES[kind]}")
        for check in check_embedded_proofs(listed, issuer_id_of(listed), bundle):
            if check.result == "failed":
                raise _Fail("bad-status", f"status list {url}: {check.detail}")
        dated = check_validity(
            _first(listed, "validFrom", "issuanceDate"),
            _first(listed, "validUntil", "expirationDate"),
            now,
        )
        if dated.result == "failed":
            raise _Fail("bad-status", f"status list {url}: {dated.detail}")
        subject = listed.get("credentialSubject")
        subject = subject if isinstance(subject, dict) else {}
        purpose = entry.get("statusPurpose")
        if subject.get("statusPurpose") not in (None, purpose):
            raise _Fail("bad-status", f"status list purpose is not {purpose!r}")
        bits = _decode_list(subject.get("encodedList"), kind)
        index = int(entry.get("statusListIndex", -1))
    except _Fail as failed:
        return failed.check
    except (TypeError, ValueError):
        return Check.fail("revocation", "bad-status", "statusListIndex is not a number")
    if not 0 <= index < len(bits) * 8:
        return Check.fail("revocation", "bad-status", f"statusListIndex {index} out of range")
    flagged = bits[index // 8] >> (7 - index % 8) & 1
    if flagged and purpose in REVOKING_PURPOSES:
        return Check.fail("revocation", "revoked", f"{purpose} bit {index} is set in {url}")
    if flagged:
        return Check.warn("revocation", f"{purpose} bit {index} is set in {url}")
    note = "" if issuer_id_of(listed) == issuer_id_of(doc) else " (list signed by another party)"
    return Check.ok("revocation", f"not revoked: bit {index} clear in {url}{note}")


def _decode_list(encoded: Any, kind: str) -> bytes:
    if not isinstance(encoded, str) or not encoded:
        raise _Fail("bad-status", "status list has no encodedList")
    # BitstringStatusList is multibase base64url ("u" prefix); StatusList2021 plain base64url.
    text = encoded[1:] if kind == "BitstringStatusListEntry" and encoded[0] == "u" else encoded
    try:
        packed = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        inflater = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)
        bits = inflater.decompress(packed, MAX_LIST_BYTES)
    except (ValueError, zlib.error, gzip.BadGzipFile) as exc:
        raise _Fail("bad-status", f"encodedList does not decode ({exc})") from exc
    if inflater.unconsumed_tail:
        raise _Fail("bad-status", "encodedList too large")
    return bits


def _revocation_list(entry: dict[str, Any], doc: dict[str, Any], bundle: Bundle) -> Check:
    try:
        listed = _fetch(entry.get("id"), "revocation list", bundle)
    except _Fail as failed:
        return failed.check
    revoked = listed.get("revokedCredentials") if isinstance(listed, dict) else None
    if not isinstance(revoked, list):
        return Check.fail("revocation", "bad-status", "revocation list has no revokedCredentials")
    ids = {r.get("id") if isinstance(r, dict) else r for r in revoked}
    if doc.get("id") in ids:
        return Check.fail("revocation", "revoked", f"{doc.get('id')} is on the revocation list")
    return Check.ok("revocation", "not on the revocation list")


def _first(doc: dict[str, Any], *names: str) -> tuple[str, Any] | None:
    return next(((n, doc[n]) for n in names if n in doc), None)
