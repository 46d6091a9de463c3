"""Badgr's native pathway format -> a Stackwise catalog.

A Badgr pathway is a tree of elements. Each element is completed when its requirements hold:

* ``childElementRequirements.countRule``: ``all`` children, or ``atLeastN`` (``requiredCount``)
  of the children marked ``requiredForParentCompletion``;
* ``badgeRequirements``: ``all`` / ``atLeastN`` of ``requiredBadges`` (badge URLs);
* ``nonChildElementRequirements``: ``all`` / ``atLeastN`` of other elements (``elementIds``);
* ``shortcutBadges``: holding any one of them completes the element outright.

An element becomes a credential whose ``requires`` is the ``all`` of those parts; an element
with a ``completionBadge`` is that badge (holding it counts, as a stacked credential does).
Each badge URL becomes a ``badge`` credential; the report's aliases map URLs and element ids
to credential ids.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import PurePath
from typing import Any

from interop.ctdl.components import slug
from interop.ctdl.errors import CtdlError
from interop.ctdl.jsonld import parse_json
from interop.ctdl.report import ImportReport
from pathways.loader import load_catalog_data

RuleData = str | dict[str, Any]


def is_badgr(data: Any) -> bool:
    """Whether parsed JSON looks like a Badgr native pathway (element tree)."""
    return isinstance(data, dict) and "elementId" in data and "requirements" in data


def import_badgr(
    data_or_text: str | bytes | dict[str, Any], *, source: str = "badgr.json"
) -> tuple[dict[str, Any], ImportReport]:
    """Import a Badgr native pathway into a validated catalog dict and a report."""
    if isinstance(data_or_text, bytes):
        data_or_text = data_or_text.decode("utf-8-sig", errors="replace")
    data = parse_json(data_or_text, source) if isinstance(data_or_text, str) else data_or_text
    if not is_badgr(data):
        raise CtdlError(
            "not a Badgr pathway (no elementId / requirements at the top)", location=source
        )
    report = ImportReport(source=source)
    builder = _Builder(report, source)
    builder.collect(data)
    creds = [builder.credential(e) for e in builder.elements]
    badges = [
        {"id": cid, "type": "badge", "url": url, "tags": ["badgr:badge"]}
        for url, cid in builder.badges.items()
    ]
    header = {
        "id": slug(str(data.get("name") or PurePath(source).stem)) or "badgr-pathway",
        "version": "1",
        "name": str(data.get("name") or PurePath(source).stem),
    }
    catalog: dict[str, Any] = {"catalog": header, "credentials": creds + badges}
    load_catalog_data(catalog, source)
    return catalog, report


class _Builder:
    def __init__(self, report: ImportReport, source: str) -> None:
        self.report = report
        self.source = source
        self.elements: list[dict[str, Any]] = []
        self.ids: dict[str, str] = {}  # elementId -> credential id
        self.badges: dict[str, str] = {}  # badge URL -> credential id
        self.taken: set[str] = set()

    def collect(self, element: dict[str, Any]) -> None:
        ident = str(element.get("elementId") or "")
        if not ident:
            raise CtdlError("a Badgr element has no elementId", location=self.source)
        if ident in self.ids:
            self.report.warn(f"element {ident} appears twice; the first is kept")
            return
        url = _badge_url(element.get("completionBadge"))
        base = slug(str(element.get("name") or "")) or f"element-{ident[-6:]}"
        cid = base if base not in self.taken else f"{base}-{ident[-6:]}"
        self.taken.add(cid)
        self.ids[ident] = cid
        self.report.alias(ident, cid)
        if url:
            self.report.alias(url, cid)
        self.elements.append(element)
        for child in element.get("children") or []:
            if isinstance(child, dict):
                self.collect(child)

    def badge(self, url: str) -> str:
        if url in self.report.aliases:
            return self.report.aliases[url]
        if url not in self.badges:
            tail = re.sub(r"[^A-Za-z0-9_-]", "", url.rstrip("/").rsplit("/", 1)[-1])
            cid = f"badge-{tail or len(self.badges)}"
            while cid in self.taken:
                cid += "-x"
            self.taken.add(cid)
            self.badges[url] = cid
            self.report.alias(url, cid)
        return self.badges[url]

    def credential(self, element: dict[str, Any]) -> dict[str, Any]:
        cid = self.ids[str(element["elementId"])]
        url = _badge_url(element.get("completionBadge"))
        data: dict[str, Any] = {"id": cid, "type": "badge" if url else "experience"}
        if element.get("name"):
            data["name"] = str(element["name"])
        if isinstance(element.get("description"), str) and element["description"]:
            data["description"] = element["description"]
        if url:
            data["url"] = url
        data["tags"] = ["badgr:element"]
        rule = self.requires(element, cid)
        if rule is not None:
            data["requires"] = rule
        return data

    def requires(self, element: dict[str, Any], cid: str) -> RuleData | None:
        req = element.get("requirements") or {}
        parts: list[RuleData] = []
        children: list[RuleData] = [
            self.ids[str(c["elementId"])]
            for c in element.get("children") or []
            if isinstance(c, dict)
            and c.get("requiredForParentCompletion", True)
            and str(c.get("elementId")) in self.ids
        ]
        skipped = [
            c.get("name")
            for c in element.get("children") or []
            if isinstance(c, dict) and not c.get("requiredForParentCompletion", True)
        ]
        if skipped:
            self.report.warn(f"{cid}: children not required for completion: {skipped}")
        child_rule = (req.get("childElementRequirements") or {}).get("countRule")
        parts += _counted(children, child_rule, f"{cid} children", self.report)
        badge_req = req.get("badgeRequirements") or {}
        badges = [
            self.badge(u) for u in map(_badge_url, badge_req.get("requiredBadges") or []) if u
        ]
        parts += _counted(badges, badge_req.get("countRule"), f"{cid} badges", self.report)
        other_req = req.get("nonChildElementRequirements") or {}
        others: list[RuleData] = []
        for ident in other_req.get("elementIds") or []:
            if str(ident) in self.ids:
                others.append(self.ids[str(ident)])
            else:
                self.report.skip(f"{cid}: element {ident} is not in the pathway")
        parts += _counted(others, other_req.get("countRule"), f"{cid} elements", self.report)
        rule: RuleData | None = None
        if parts:
            rule = parts[0] if len(parts) == 1 else {"all": parts}
        shortcuts = [self.badge(u) for u in map(_badge_url, req.get("shortcutBadges") or []) if u]
        if shortcuts:
            rule = {"any": [*(([rule]) if rule is not None else []), *shortcuts]}
        if element.get("completionBadge") and req.get("allowCompletionBadgeShortcut") is False:
            self.report.warn(
                f"{cid}: allowCompletionBadgeShortcut is false, but a held completion badge "
                "still counts where the element is required (as any earned credential does)"
            )
        return rule


def _badge_url(value: Any) -> str | None:
    if isinstance(value, dict):
        url = value.get("badgeUrl") or value.get("url")
        return str(url) if url else None
    return str(value) if isinstance(value, str) and value else None


def _counted(
    refs: Sequence[RuleData], count_rule: Any, where: str, report: ImportReport
) -> list[RuleData]:
    if not refs:
        return []
    kind = (count_rule or {}).get("@type", "all") if isinstance(count_rule, dict) else "all"
    if kind == "all":
        return [refs[0]] if len(refs) == 1 else [{"all": list(refs)}]
    if kind == "atLeastN":
        need = int((count_rule or {}).get("requiredCount") or 0)
        if need <= 0:
            return []
        if need > len(refs):
            raise CtdlError(f"{where}: requires {need} of only {len(refs)}")
        if need == len(refs):
            return [refs[0]] if len(refs) == 1 else [{"all": list(refs)}]
        return [{"at_least": need, "of": list(refs)}] if need > 1 else [{"any": list(refs)}]
    report.warn(f"{where}: count rule {kind!r} is unknown; read as all")
    return [refs[0]] if len(refs) == 1 else [{"all": refs}]
