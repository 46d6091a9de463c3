"""CTDL pathways (and transfer values) -> a Stackwise catalog, validated before it is returned.

See docs/ctdl.md for the mapping table. The steps: flatten the JSON-LD (jsonld.py), find
the components (components.py), give each a credential id, read its credit value, type and
links, turn its conditions into a ``requires`` rule (conditions.py), turn ``precededBy`` /
``precedes`` into ``prerequisites``, read ``TransferValueProfile`` nodes, and validate the
result with :func:`pathways.loader.load_catalog_data`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import PurePath
from typing import Any

import networkx as nx

from interop.ctdl.components import Component, find_components, slug
from interop.ctdl.conditions import ConditionReader, RuleData, Scale
from interop.ctdl.errors import CtdlError
from interop.ctdl.jsonld import Graph, Ref, build_graph, parse_json
from interop.ctdl.report import ImportReport
from interop.ctdl.vocab import (
    COMPONENT_TYPES,
    CREDENTIAL_CLASSES,
    GROUPING,
    RESOURCE_CLASSES,
    credit_unit,
    level_number,
    local_name,
)
from pathways.checks import raw_references
from pathways.grades import US_4
from pathways.loader import load_catalog_data

Document = str | bytes | dict[str, Any] | list[Any]


def import_ctdl(
    data_or_text: Document,
    *,
    source: str = "ctdl.jsonld",
    more: Sequence[tuple[Document, str]] = (),
) -> tuple[dict[str, Any], ImportReport]:
    """Import a CTDL document into a catalog dict (contract section 1) and a report.

    ``data_or_text`` is JSON text (or bytes) or already parsed JSON-LD, compact or expanded;
    ``more`` holds further documents of the same graph as ``(document, source)`` pairs (the
    courses a pathway's components proxy for, for instance). The catalog is validated with
    :func:`pathways.loader.load_catalog_data` before it is returned. Raises
    :class:`~interop.ctdl.errors.CtdlError` (or a ``CatalogError``) for input that cannot be
    imported, naming the file and line / node.
    """
    report = ImportReport(source=source)
    graph = _graph(data_or_text, source)
    for doc, name in more:
        _merge(graph, _graph(doc, name))
    catalog = _Importer(graph, report).run()
    load_catalog_data(catalog, source)
    return catalog, report


def _graph(doc: Document, source: str) -> Graph:
    if isinstance(doc, bytes):
        try:
            doc = doc.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise CtdlError("not UTF-8 text", location=source) from None
    data = parse_json(doc, source) if isinstance(doc, str) else doc
    return build_graph(data, source)


def _merge(into: Graph, other: Graph) -> None:
    for iri, props in other.nodes.items():
        mine = into.nodes.setdefault(iri, {})
        for term, values in props.items():
            mine.setdefault(term, []).extend(values)
        types = into.types.setdefault(iri, [])
        types.extend(t for t in other.types.get(iri, []) if t not in types)
    for prefix, base in other.prefixes.items():
        into.prefixes.setdefault(prefix, base)
    into.json_terms |= other.json_terms
    for iri, count in other.repeated.items():
        into.repeated[iri] = into.repeated.get(iri, 0) + count


class _Importer:
    def __init__(self, graph: Graph, report: ImportReport) -> None:
        self.g = graph
        self.report = report
        self.components: list[Component] = []
        self.by_iri: dict[str, Component] = {}
        self.extra: dict[str, dict[str, Any]] = {}  # resources made credentials (TVPs)
        self.ids: set[str] = set()
        self.units: Counter[str] = Counter()

    # -- the whole import ------------------------------------------------------------------------
    def run(self) -> dict[str, Any]:
        g = self.g
        self.components = find_components(g, self.report)
        tvps = [i for i in g.nodes if g.has_type(i, "ceterms:TransferValueProfile")]
        if not self.components and not tvps:
            found = sorted({t for ts in g.types.values() for t in ts}) or ["no typed node"]
            raise CtdlError(
                "no CTDL pathway component or TransferValueProfile to import (found: "
                + ", ".join(found[:8])
                + ")",
                location=g.source,
            )
        self._name_components()
        header = self._header()
        creds = {c.cid: self._credential(c) for c in self.components}
        unit = header["credit_unit"]
        reader = ConditionReader(g, self.report, self._target, unit, self._scale(header))
        for comp in self.components:
            self._rules(comp, creds[comp.cid], reader)
        transfer = [tv for i in tvps for tv in self._transfer(i)]
        for data in self.extra.values():
            creds[data["id"]] = data
        for data in [*creds.values(), *transfer]:
            self._settle_credits(data, unit)
        self._prerequisites(creds)
        catalog: dict[str, Any] = {"catalog": header}
        skills = self._catalog_json("stackwise:catalogSkills")
        if isinstance(skills, list) and skills:
            catalog["skills"] = skills
        catalog["credentials"] = [_clean(c) for c in creds.values()]
        if transfer:
            catalog["transfer_values"] = transfer
        return catalog

    # -- ids ---------------------------------------------------------------------------------------
    def _name_components(self) -> None:
        g = self.g
        ordered = sorted(self.components, key=lambda c: 0 if g.text(c.node, "stackwise:id") else 1)
        for comp in ordered:
            own = g.text(comp.node, "stackwise:id")
            if own:
                comp.cid = own
            else:
                comp.cid = self._fresh(self._base_id(comp), comp.iri)
            self.ids.add(comp.cid)
            if comp.iri not in self.by_iri:
                self.by_iri[comp.iri] = comp
            for alias in self._names_of(comp):
                self.report.alias(alias, comp.cid)
                self.by_iri.setdefault(alias, comp)

    def _base_id(self, comp: Component) -> str:
        g = self.g
        code = g.text(comp.node, "ceterms:codedNotation")
        proxy = self._proxy(comp)
        if (
            not code
            and proxy
            and comp.cls in ("ceterms:CourseComponent", "ceterms:AssessmentComponent")
        ):
            code = g.text(proxy, "ceterms:codedNotation")
        if code:
            return code.strip()
        name = self._name(comp)
        return slug(name) if name and slug(name) else slug(local_name(comp.iri)) or "component"

    def _fresh(self, base: str, iri: str) -> str:
        if base not in self.ids:
            return base
        tail = slug(local_name(iri))[-6:] or "x"
        candidate = f"{base}-{tail}"
        n = 2
        while candidate in self.ids:
            candidate = f"{base}-{tail}-{n}"
            n += 1
        return candidate

    def _names_of(self, comp: Component) -> list[str]:
        g = self.g
        names = [comp.iri] if comp.part in (None, 1) else []
        names += g.refs(comp.node, "ceterms:proxyFor")
        names += g.refs(comp.node, "ceterms:sourceData")
        names += g.texts(comp.node, "ceterms:ctid")
        return names

    def _target(self, ref: str) -> str | None:
        comp = self.by_iri.get(ref)
        if comp is not None:
            return comp.cid
        if ref in self.extra or ref in self.report.aliases:
            return self.report.aliases.get(ref)
        return None

    def _proxy(self, comp: Component) -> str | None:
        refs = [r for r in self.g.refs(comp.node, "ceterms:proxyFor") if r in self.g.nodes]
        return refs[0] if refs else None

    def _name(self, comp: Component) -> str | None:
        proxy = self._proxy(comp)
        return self.g.text(comp.node, "ceterms:name") or (
            self.g.text(proxy, "ceterms:name") if proxy else None
        )

    # -- header ------------------------------------------------------------------------------------
    def _pathway(self) -> str | None:
        g = self.g
        sets = [i for i in g.nodes if g.has_type(i, "ceterms:PathwaySet")]
        for s in sets:
            primary = g.refs(s, "ceterms:hasPrimaryPathway")
            if primary and primary[0] in g.nodes:
                return primary[0]
        paths = [i for i in g.nodes if g.has_type(i, "ceterms:Pathway")]
        return paths[0] if paths else (sets[0] if sets else None)

    def _catalog_json(self, term: str) -> Any:
        path = self._pathway()
        return self.g.json(path, term) if path else None

    def _header(self) -> dict[str, Any]:
        g = self.g
        path = self._pathway()
        name = g.text(path, "ceterms:name") if path else None
        ident = (g.text(path, "stackwise:catalogId") if path else None) or slug(
            name or PurePath(g.source).stem
        )
        header: dict[str, Any] = {
            "id": ident or "ctdl-import",
            "version": (g.text(path, "stackwise:version") if path else None) or "1",
        }
        if name:
            header["name"] = name
        if path:
            desc = g.text(path, "ceterms:description")
            url = next(iter(g.refs(path, "ceterms:subjectWebpage")), None)
            if desc:
                header["description"] = desc
            if url:
                header["url"] = url
        unit = g.text(path, "stackwise:creditUnit") if path else None
        header["credit_unit"] = unit or self._dominant_unit()
        scale = self._catalog_json("stackwise:gradeScale")
        if scale is not None:
            header["grade_scale"] = scale
        else:
            invented = self._invented_grades()
            if invented:
                n = len(invented)
                header["grade_scale"] = {
                    "points": {g_: float(n - i) for i, g_ in enumerate(invented)}
                }
        return header

    def _dominant_unit(self) -> str:
        for comp in self.components:
            proxy = self._proxy(comp)
            for node in (comp.node, proxy):
                for vp in self._value_profiles(node) if node else []:
                    unit, _, _ = self._vp_unit(vp)
                    if unit:
                        self.units[unit] += 1
        return self.units.most_common(1)[0][0] if self.units else "semester_hour"

    def _invented_grades(self) -> list[str]:
        """Grade labels named by grade constraints, best first (as first listed)."""
        g = self.g
        order: list[str] = []
        for iri in g.nodes:
            if not g.has_type(iri, "ceterms:Constraint"):
                continue
            left = [local_name(g.compact(r)).lower() for r in g.refs(iri, "ceterms:leftSource")]
            if not left or left[0] not in ("grade", "mingrade", "lettergrade", "finalgrade"):
                continue
            for value in g.nodes[iri].get("ceterms:rightSource", []):
                label = local_name(value.iri if isinstance(value, Ref) else str(value.value))
                if label not in order:
                    order.append(label)
        return order

    def _scale(self, header: dict[str, Any]) -> Scale:
        scale = header.get("grade_scale", "us_4")
        if isinstance(scale, dict) and isinstance(scale.get("points"), dict):
            points = {str(k): float(v) for k, v in scale["points"].items()}
            invented = self._catalog_json("stackwise:gradeScale") is None
        else:
            points = dict(US_4.points)
            invented = False
        order = sorted(points, key=lambda k: -points[k])
        return Scale(order=order, points=points, invented=invented)

    # -- credentials ------------------------------------------------------------------------------
    def _credential(self, comp: Component) -> dict[str, Any]:
        g = self.g
        node = comp.node
        proxy = self._proxy(comp)
        data: dict[str, Any] = {"id": comp.cid}
        name = self._name(comp)
        if name:
            data["name"] = name
        data["type"] = g.text(node, "stackwise:type") or self._type(comp, proxy)
        desc = g.text(node, "ceterms:description") or (
            g.text(proxy, "ceterms:description") if proxy else None
        )
        if desc:
            data["description"] = desc
        url = next(iter(g.refs(node, "ceterms:subjectWebpage")), None)
        if url:
            data["url"] = url
        for source in (node, proxy):
            if source is None:
                continue
            for vp in self._value_profiles(source):
                self._read_value(vp, data)
                break
            if "_credits" in data:
                break
        level = g.number(node, "stackwise:level")
        if level is not None:
            data["level"] = level
        for term, key in (
            ("stackwise:hours", "hours"),
            ("stackwise:cost", "cost"),
        ):
            num = g.number(node, term)
            if num is not None:
                data[key] = num
        for term, key in (
            ("stackwise:subject", "subject"),
            ("stackwise:issuer", "issuer"),
            ("stackwise:validFor", "valid_for"),
        ):
            text = g.text(node, term)
            if text:
                data[key] = text
        for term, key in (
            ("stackwise:tags", "tags"),
            ("stackwise:skills", "skills"),
            ("stackwise:sameAs", "same_as"),
        ):
            value = g.json(node, term)
            if isinstance(value, list):
                data[key] = value
        if "tags" not in data:
            data["tags"] = [f"ctdl:{local_name(comp.cls)}"]
        return data

    def _type(self, comp: Component, proxy: str | None) -> str:
        g = self.g
        if comp.cls == "ceterms:CredentialComponent":
            kinds = [local_name(t) for t in g.refs(comp.node, "ceterms:credentialType")]
            if proxy:
                kinds += [local_name(t) for t in g.types.get(proxy, [])]
            for kind in kinds:
                if kind in CREDENTIAL_CLASSES:
                    return CREDENTIAL_CLASSES[kind]
        if comp.cls in COMPONENT_TYPES:
            return COMPONENT_TYPES[comp.cls]
        name = local_name(comp.cls)
        return CREDENTIAL_CLASSES.get(name) or RESOURCE_CLASSES.get(name, "certificate")

    def _value_profiles(self, node: str) -> list[str]:
        g = self.g
        out: list[str] = []
        for value in g.nodes.get(node, {}).get("ceterms:creditValue", []):
            if isinstance(value, Ref) and value.iri in g.nodes:
                out.append(value.iri)
        return out

    def _vp_unit(self, vp: str) -> tuple[str | None, float, str | None]:
        refs = self.g.refs(vp, "ceterms:creditUnitType")
        if not refs:
            return None, 1.0, None
        return credit_unit(self.g.compact(refs[0]))

    def _read_value(self, vp: str, data: dict[str, Any]) -> None:
        g = self.g
        value = g.number(vp, "schema:value")
        if value is None:
            value = g.number(vp, "ceterms:value")
        if value is None:
            low = g.number(vp, "schema:minValue")
            value = low
        if value is not None:
            unit, factor, warning = self._vp_unit(vp)
            if warning:
                self.report.warn(warning)
            data["_credits"] = (value * factor, unit)
        if "level" not in data:
            for ref in g.refs(vp, "ceterms:creditLevelType"):
                level = level_number(ref)
                if level is not None:
                    data["level"] = level
                    break

    def _settle_credits(self, data: dict[str, Any], unit: str) -> None:
        found = data.pop("_credits", None)
        if found is None:
            return
        value, own = found
        value = round(float(value), 4)
        data["credits"] = value if own in (None, unit) else {"value": value, "unit": own}

    # -- rules -----------------------------------------------------------------------------
    def _rules(self, comp: Component, data: dict[str, Any], reader: ConditionReader) -> None:
        g = self.g
        conds = g.refs(comp.node, "ceterms:hasCondition")
        rules = [r for r in (reader.rule(c) for c in conds) if r is not None]
        kept = g.json(comp.node, "stackwise:requires")
        if kept is not None:
            data["requires"] = kept
        elif rules and comp.credential_class:
            # a certification is earned by its own exam: a pathway step's conditions on it
            # say what comes first, not what it is made of
            data["_prereq_rules"] = rules
            self.report.warn(
                f"component {comp.cid}: a {comp.cls}, not a pathway component; its "
                "conditions are read as prerequisites"
            )
        elif rules:
            data["requires"] = rules[0] if len(rules) == 1 else {"all": rules}
        elif not conds and comp.cls not in GROUPING and not comp.credential_class:
            children = [self._target(r) for r in g.refs(comp.node, "ceasn:hasChild")]
            known = [c for c in children if c is not None and c != comp.cid]
            if known:
                data["requires"] = known[0] if len(known) == 1 else {"all": known}

    def _prerequisites(self, creds: dict[str, dict[str, Any]]) -> None:
        g = self.g
        before: dict[str, list[str]] = {cid: [] for cid in creds}
        for comp in self.components:
            for ref in g.refs(comp.node, "ceterms:precededBy"):
                other = self._target(ref)
                if other and other != comp.cid and other not in before[comp.cid]:
                    before[comp.cid].append(other)
            for ref in g.refs(comp.node, "ceterms:precedes"):
                other = self._target(ref)
                if other and other != comp.cid and comp.cid not in before[other]:
                    before[other].append(comp.cid)
        graph: nx.DiGraph = nx.DiGraph()
        for cid, data in creds.items():
            graph.add_node(cid)
            for ref in raw_references(data.get("requires")):
                graph.add_edge(cid, ref)
        for comp in self.components:
            data = creds[comp.cid]
            kept = g.json(comp.node, "stackwise:prerequisites")
            if kept is not None:
                data.pop("_prereq_rules", None)
                data["prerequisites"] = kept
                continue
            parts: list[RuleData] = list(data.pop("_prereq_rules", []))
            for other in before[comp.cid]:
                if nx.has_path(graph, other, comp.cid):
                    self.report.warn(
                        f"component {comp.cid}: precededBy {other} would make a cycle; dropped"
                    )
                    continue
                parts.append(other)
            for ref in (r for p in parts for r in raw_references(p)):
                graph.add_edge(comp.cid, ref)
            if parts:
                data["prerequisites"] = parts[0] if len(parts) == 1 else {"all": parts}

    # -- transfer values --------------------------------------------------------------------------
    def _transfer(self, iri: str) -> list[dict[str, Any]]:
        g = self.g
        froms = [self._resource(r) for r in g.refs(iri, "ceterms:transferValueFrom")]
        fors = [self._resource(r) for r in g.refs(iri, "ceterms:transferValueFor")]
        vps = [v.iri for v in g.nodes[iri].get("ceterms:transferValue", []) if isinstance(v, Ref)]
        label = f"transfer value {iri}"
        if not froms or not fors or not vps:
            self.report.skip(f"{label}: needs transferValueFrom, transferValueFor and a value")
            return []
        probe: dict[str, Any] = {"id": label}
        self._read_value(vps[0], probe)
        if "_credits" not in probe:
            self.report.skip(f"{label}: its transferValue has no number")
            return []
        for cond in g.refs(iri, "ceterms:requires"):
            text = g.text(cond, "ceterms:condition") or g.text(cond, "ceterms:description")
            self.report.warn(f"{label}: condition {text!r} is not enforced (free text)")
        out: list[dict[str, Any]] = []
        for src in froms:
            for dst in fors:
                tv: dict[str, Any] = {"from": src, "to": dst, "_credits": probe["_credits"]}
                own = g.text(iri, "stackwise:id")
                if own:
                    tv["id"] = own
                name = g.text(iri, "ceterms:name")
                if name:
                    tv["name"] = name
                desc = g.text(iri, "ceterms:description")
                if desc:
                    tv["description"] = desc
                counts = g.json(iri, "stackwise:countsAs")
                if isinstance(counts, list):
                    tv["counts_as"] = counts
                for term, key in (
                    ("ceterms:startDate", "valid_from"),
                    ("ceterms:endDate", "valid_until"),
                ):
                    day = g.text(iri, term)
                    if day:
                        tv[key] = day[:10]
                out.append(tv)
        return out

    def _resource(self, iri: str) -> str:
        known = self._target(iri)
        if known is not None:
            return known
        g = self.g
        types = g.types.get(iri, [])
        name = g.text(iri, "ceterms:name")
        cid = g.text(iri, "stackwise:id") or self._fresh(
            slug(name or local_name(iri)) or "resource", iri
        )
        kind = "certificate"
        for t in types:
            local = local_name(t)
            kind = CREDENTIAL_CLASSES.get(local) or RESOURCE_CLASSES.get(local) or kind
        data: dict[str, Any] = {"id": cid, "type": g.text(iri, "stackwise:type") or kind}
        if name:
            data["name"] = name
        else:
            self.report.warn(f"resource {iri} is not described in the document; named by its id")
        data["tags"] = [f"ctdl:{local_name(t)}" for t in types[:1]] or ["ctdl:Resource"]
        for vp in self._value_profiles(iri):
            self._read_value(vp, data)
            break
        self.ids.add(cid)
        self.extra[iri] = data
        self.report.alias(iri, cid)
        return cid


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if not k.startswith("_")}
