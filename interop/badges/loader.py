"""Reading a badge file: which container it is and the credential it carries.

Sniffs the content (never trusts the file name): PNG, SVG, compact JWS, JSON, or a bare
URL (a baked OB 2.0 hosted assertion). Anything else is a :class:`BadgeError`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Literal

from interop.badges import baked
from interop.badges.errors import BadgeError

JWS_RE = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")
MAX_BADGE_BYTES = 20_000_000

Container = Literal["json", "jwt", "png", "svg"]


@dataclass(frozen=True)
class Envelope:
    """What a file carries: a JSON object, a compact JWS, or a URL, and its container."""

    container: Container
    document: dict[str, Any] | None = None
    jws: str | None = None
    url: str | None = None


def open_envelope(data: bytes, filename: str | None = None) -> Envelope:
    """Classify ``data`` and extract the credential it carries."""
    where = f"{filename}: " if filename else ""
    if not data.strip():
        raise BadgeError(f"{where}empty file")
    if len(data) > MAX_BADGE_BYTES:
        raise BadgeError(f"{where}larger than {MAX_BADGE_BYTES} bytes")
    try:
        if data.startswith(baked.PNG_SIGNATURE):
            return classify_text(baked.extract_png(data), "png")
        try:
            text = data.decode("utf-8-sig").strip()
        except UnicodeDecodeError as exc:
            raise BadgeError("not a badge: binary data that is neither PNG nor UTF-8") from exc
        if text.startswith("<"):
            return classify_text(baked.extract_svg(text), "svg")
        return classify_text(text, "jwt" if JWS_RE.match(text) else "json")
    except BadgeError as exc:
        raise BadgeError(f"{where}{exc.message}") from exc


def classify_text(text: str, container: Container) -> Envelope:
    """Turn the carried text into an envelope (JSON object, JWS or URL)."""
    if JWS_RE.match(text):
        return Envelope(container=container if container != "json" else "jwt", jws=text)
    if text.startswith(("http://", "https://")) and not any(c.isspace() for c in text):
        return Envelope(container=container, url=text)
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise BadgeError(f"not a badge: not JSON, JWT, PNG or SVG ({exc})") from exc
    if not isinstance(document, dict):
        raise BadgeError("not a badge: the JSON is not an object")
    return Envelope(container=container, document=document)
