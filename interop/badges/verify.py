"""The entry points: verify a badge file's bytes, or a file, into a :class:`Verdict`."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from interop.badges import ob20, ob30
from interop.badges.bundle import Bundle
from interop.badges.errors import BadgeError
from interop.badges.jwt_proof import parse_jws
from interop.badges.loader import open_envelope
from interop.badges.options import Options
from interop.badges.verdict import Verdict


def verify_bytes(
    data: bytes,
    *,
    filename: str | None = None,
    now: datetime | None = None,
    issuers: list[str] | None = None,
    recipient: str | None = None,
    bundle: Bundle | Path | str | None = None,
) -> Verdict:
    """Verify one badge (OB 2.0, OB 3.0, CLR 2.0; JSON, VC-JWT, baked PNG or SVG).

    ``now`` defaults to the current time (naive means UTC); ``issuers`` is an allow-list of
    issuer ids (when given, any other issuer is refused); ``recipient`` is the learner
    identity the credential must name; ``bundle`` is the offline bundle (a :class:`Bundle`
    or its folder; default from STACKWISE_BADGE_BUNDLE, see docs/badges.md).
    Raises :class:`BadgeError` for input that is not a badge at all.
    """
    opts = Options(
        bundle=bundle if isinstance(bundle, Bundle) else Bundle.load(bundle),
        now=_aware(now),
        issuers=list(issuers) if issuers is not None else None,
        recipient=recipient,
    )
    envelope = open_envelope(data, filename)
    container = envelope.container
    if envelope.url is not None:
        return ob20.verify_ob2_url(envelope.url, opts, container)
    if envelope.jws is not None:
        jws = parse_jws(envelope.jws)
        if "vc" in jws.payload or not ob20.is_ob2(jws.payload):
            return ob30.verify_jwt(envelope.jws, opts, container)
        return ob20.verify_ob2_jws(envelope.jws, opts, container)
    document = envelope.document
    if document is None:  # open_envelope always sets one of url / jws / document
        raise BadgeError("no credential found")
    if ob30.is_vc(document):
        return ob30.verify_vc(document, opts, fmt="json-ld", container=container)
    if ob20.is_ob2(document):
        return ob20.verify_ob2(document, opts, container)
    raise BadgeError(
        "not a credential: neither a Verifiable Credential nor an OB 2.0 Assertion, "
        f"BadgeClass or Issuer (type {document.get('type')!r})"
    )


def verify_file(
    path: Path | str,
    *,
    now: datetime | None = None,
    issuers: list[str] | None = None,
    recipient: str | None = None,
    bundle: Bundle | Path | str | None = None,
) -> Verdict:
    """Verify the badge in ``path``; see :func:`verify_bytes`."""
    file = Path(path)
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise BadgeError(f"{file}: cannot read ({exc.strerror or exc})") from exc
    return verify_bytes(
        data, filename=str(file), now=now, issuers=issuers, recipient=recipient, bundle=bundle
    )


def _aware(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(UTC)
    return now if now.tzinfo else now.replace(tzinfo=UTC)
