"""Which catalog credentials a ``select`` filter can match, answered from indexes.

A catalog of 10,000 credentials with hundreds of ``select`` rules cannot be scanned once per
filter; the index narrows each filter to the credentials sharing its type, subject, issuer,
tags, skills or ids, and checks the rest with the engine's own :func:`matches_filter` on a
template item per credential, so the graph and the solver agree on what a filter matches.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from pathways.catalog import Catalog
from rules.items import Item
from rules.model import Filter
from rules.problem import matches_filter


def credential_template(catalog: Catalog, cid: str) -> Item:
    """An item standing for ``cid`` as the catalog describes it (for filters and limits).

    A stacked credential is a ``derived`` item; any other an ``institution`` one.
    """
    cred = catalog.credentials[cid]
    return Item(
        key=cid,
        credential=cid,
        matches=catalog.equivalents[cid],
        credits=catalog.credits_of(cid) or 0.0,
        source="derived" if cred.requires is not None else "institution",
        type=cred.type,
        subject=cred.subject,
        tags=frozenset(cred.tags),
        level=cred.level,
        skills=tuple((s.skill, s.level) for s in cred.skill_refs()),
        issuer=cred.issuer,
    )


@dataclass
class CatalogIndex:
    """Template items and inverted indexes over one catalog."""

    catalog: Catalog
    templates: dict[str, Item] = field(default_factory=dict)
    by_key: dict[tuple[str, str], set[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for cid in sorted(self.catalog.credentials):
            item = credential_template(self.catalog, cid)
            self.templates[cid] = item
            keys = [("type", item.type or ""), ("subject", item.subject or "")]
            keys += [("issuer", item.issuer or ""), ("source", item.source)]
            keys += [("tag", t) for t in item.tags]
            keys += [("skill", s) for s, _ in item.skills]
            keys += [("id", m) for m in item.matches]
            for key in keys:
                self.by_key.setdefault(key, set()).add(cid)

    def _narrow(self, flt: Filter) -> set[str] | None:
        """Credentials that can pass ``flt``'s indexed keys (``None``: no indexed key)."""
        sets: list[set[str]] = []
        for name, value in (("type", flt.type), ("subject", flt.subject), ("issuer", flt.issuer)):
            if value is not None:
                sets.append(self.by_key.get((name, value), set()))
        for name, values in (("tag", flt.tags), ("skill", flt.skills), ("id", flt.ids)):
            if values is not None:
                union: set[str] = set()
                for value in values:
                    union |= self.by_key.get((name, value), set())
                sets.append(union)
        if flt.source == "derived":
            sets.append(self.by_key.get(("source", "derived"), set()))
        if not sets:
            return None
        sets.sort(key=len)
        out = set(sets[0])
        for other in sets[1:]:
            out &= other
        return out

    def matching(self, flt: Filter | None, excluded: frozenset[str] = frozenset()) -> list[str]:
        """Sorted ids of the credentials ``flt`` matches, leaving out ``excluded``.

        ``source`` other than ``derived`` is a property of a learner's item, not of the
        catalog: any credential that is not stacked may arrive from that source.
        """
        if flt is None:
            pool: set[str] | None = None
        else:
            pool = self._narrow(flt)
        ids = sorted(self.templates) if pool is None else sorted(pool)
        out: list[str] = []
        for cid in ids:
            if cid in excluded:
                continue
            item = self.templates[cid]
            if flt is not None and flt.source not in (None, "derived"):
                if item.source == "derived":
                    continue
                item = replace(item, source=flt.source)
            if matches_filter(flt, item):
                out.append(cid)
        return out
