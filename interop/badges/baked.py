"""Baked badges: the credential carried inside a PNG (iTXt chunk) or an SVG element.

OB 3.0 bakes into the iTXt keyword ``openbadgecredential`` or ``<openbadges:credential>``
(JSON as element text / CDATA, or a VC-JWT in the ``verify`` attribute); OB 2.0 uses the
keyword ``openbadges`` and ``<openbadges:assertion>``.
"""

from __future__ import annotations

import struct
import zlib
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as safe_xml  # type: ignore[import-untyped]

from interop.badges.errors import BadgeError

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_KEYWORDS = (b"openbadgecredential", b"openbadges")
SVG_ELEMENTS = ("credential", "assertion")
#: Largest decompressed text accepted from a compressed iTXt chunk (zip-bomb guard).
MAX_TEXT_BYTES = 5_000_000


def extract_png(data: bytes) -> str:
    """The baked text of a PNG; BadgeError when the PNG is broken or carries none."""
    if not data.startswith(PNG_SIGNATURE):
        raise BadgeError("not a PNG file")
    pos = len(PNG_SIGNATURE)
    while pos < len(data):
        if pos + 8 > len(data):
            raise BadgeError("truncated PNG: chunk header cut short")
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        end = pos + 8 + length + 4
        if end > len(data):
            raise BadgeError(f"truncated PNG: {kind.decode('latin-1')} chunk cut short")
        body = data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[end - 4 : end])
        if zlib.crc32(kind + body) != crc:
            raise BadgeError(f"corrupt PNG: bad CRC in {kind.decode('latin-1')} chunk")
        if kind == b"iTXt":
            text = _itxt_text(body)
            if text is not None:
                return text
        if kind == b"IEND":
            break
        pos = end
    else:
        raise BadgeError("truncated PNG: no IEND chunk")
    raise BadgeError("PNG carries no baked badge (no iTXt 'openbadgecredential'/'openbadges')")


def _itxt_text(body: bytes) -> str | None:
    keyword, sep, rest = body.partition(b"\x00")
    if not sep or keyword not in PNG_KEYWORDS:
        return None
    if len(rest) < 2:
        raise BadgeError("corrupt PNG: iTXt chunk cut short")
    compressed, rest = rest[0], rest[2:]
    _language, _, rest = rest.partition(b"\x00")
    _translated, _, text = rest.partition(b"\x00")
    if compressed:
        inflater = zlib.decompressobj()
        try:
            text = inflater.decompress(text, MAX_TEXT_BYTES)
        except zlib.error as exc:
            raise BadgeError(f"corrupt PNG: baked text does not inflate ({exc})") from exc
        if inflater.unconsumed_tail:
            raise BadgeError("baked text too large")
    try:
        return text.decode("utf-8").strip()
    except UnicodeDecodeError as exc:
        raise BadgeError("corrupt PNG: baked text is not UTF-8") from exc


def extract_svg(text: str) -> str:
    """The baked credential of an SVG; BadgeError when the XML is broken or carries none."""
    try:
        # defusedxml refuses entity expansion and external references (no XXE, no bombs).
        root: Element = safe_xml.fromstring(text.encode("utf-8"))
    except Exception as exc:  # defusedxml raises ParseError or its own DefusedXmlException
        raise BadgeError(f"unreadable SVG: {exc}") from exc
    for element in root.iter():
        local = element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""
        if local not in SVG_ELEMENTS or not element.tag.startswith("{"):
            continue
        verify = element.get("verify")
        if verify and verify.strip():
            return verify.strip()
        body = (element.text or "").strip()
        if body:
            return body
    raise BadgeError("SVG carries no baked badge (no <openbadges:credential> element)")
