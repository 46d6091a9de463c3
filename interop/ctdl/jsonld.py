"""Reading CTDL JSON-LD without the network: compact or expanded, one flat node table.

CTDL documents arrive in every JSON-LD shape: compact with the Credential Registry context
(``ceterms:name: {"en-US": ...}``, references as plain strings), expanded (full IRIs,
``[{"@value": ...}]``), ``@graph`` or a bare list, nodes embedded or referenced. Running a
full JSON-LD processor would need the remote contexts; instead the few prefixes CTDL uses
are known here and every key is brought to one compact spelling (``ceterms:name``), every
embedded node is flattened into the table under its ``@id`` (blank ones get ``_:bN``), and
values are kept as :class:`Lit` (a literal, with its language) or :class:`Ref` (an IRI).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from interop.ctdl.errors import CtdlError

#: The namespace of Stackwise's extension terms (what CTDL cannot say).
STACKWISE_NS = "https://stackwise.dev/ns#"

PREFIXES: dict[str, str] = {
    "ceterms": "https://purl.org/ctdl/terms/",
    "ceasn": "https://purl.org/ctdlasn/terms/",
    "schema": "https://schema.org/",
    "asn": "http://purl.org/ASN/schema/core/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "creditUnit": "https://purl.org/ctdl/vocabs/creditUnit/",
    "audLevel": "https://purl.org/ctdl/vocabs/audLevel/",
    "logic": "https://purl.org/ctdl/vocabs/logic/",
    "compare": "https://purl.org/ctdl/vocabs/compare/",
    "array": "https://purl.org/ctdl/vocabs/array/",
    "stackwise": STACKWISE_NS,
}
# Spellings seen in the wild for the same namespaces (http vs https, www).
_ALTERNATES: dict[str, str] = {
    "http://purl.org/ctdl/terms/": "ceterms",
    "http://purl.org/ctdlasn/terms/": "ceasn",
    "http://schema.org/": "schema",
    "https://www.schema.org/": "schema",
    "http://purl.org/ctdl/vocabs/creditUnit/": "creditUnit",
    "http://purl.org/ctdl/vocabs/audLevel/": "audLevel",
    "http://purl.org/ctdl/vocabs/logic/": "logic",
    "http://purl.org/ctdl/vocabs/compare/": "compare",
    "http://purl.org/ctdl/vocabs/array/": "array",
}
_LANG = re.compile(r"^[a-zA-Z]{2,3}(-[A-Za-z0-9]{1,8})*$")
_PLACEHOLDER = re.compile(r'"\((?:and )?\d+ (?:more|URIs?)\)"')


@dataclass(frozen=True)
class Lit:
    """A literal value (text, number, boolean, or a JSON value), with its language."""

    value: Any
    lang: str | None = None


@dataclass(frozen=True)
class Ref:
    """A reference to a node by IRI."""

    iri: str


@dataclass
class Graph:
    """The flattened nodes of one document, keyed by ``@id``."""

    source: str
    nodes: dict[str, dict[str, list[Lit | Ref]]] = field(default_factory=dict)
    types: dict[str, list[str]] = field(default_factory=dict)
    prefixes: dict[str, str] = field(default_factory=dict)
    #: ids that appeared on more than one node object (their values were merged).
    repeated: dict[str, int] = field(default_factory=dict)
    json_terms: set[str] = field(default_factory=set)
    _blank: int = 0

    # -- reading values -------------------------------------------------------------------------
    def has_type(self, iri: str, *names: str) -> bool:
        """Whether node ``iri`` has one of the compact types ``names``."""
        return any(t in names for t in self.types.get(iri, []))

    def refs(self, iri: str, term: str) -> list[str]:
        """IRIs a node points to under ``term`` (plain strings read as IRIs), in order."""
        out: list[str] = []
        for value in self.nodes.get(iri, {}).get(term, []):
            if isinstance(value, Ref):
                out.append(value.iri)
            elif isinstance(value.value, str):
                out.append(self.expand(value.value))
        return out

    def lits(self, iri: str, term: str) -> list[Lit]:
        """The literal values of ``term`` on a node."""
        return [v for v in self.nodes.get(iri, {}).get(term, []) if isinstance(v, Lit)]

    def texts(self, iri: str, term: str) -> list[str]:
        """Texts of ``term``, English first, then the rest, without repeats."""
        found = [v for v in self.lits(iri, term) if isinstance(v.value, str)]
        found.sort(key=lambda v: 0 if v.lang is None or v.lang.lower().startswith("en") else 1)
        out: list[str] = []
        for v in found:
            text = v.value.strip()
            if text and text not in out:
                out.append(text)
        return out

    def text(self, iri: str, term: str) -> str | None:
        """The first text of ``term`` (English preferred), or ``None``."""
        found = self.texts(iri, term)
        return found[0] if found else None

    def number(self, iri: str, term: str) -> float | None:
        """The first numeric value of ``term`` (numbers written as text accepted)."""
        for v in self.lits(iri, term):
            num = as_number(v.value)
            if num is not None:
                return num
        return None

    def json(self, iri: str, term: str) -> Any:
        """A JSON-literal extension value (``@type: @json``), or ``None``."""
        for v in self.lits(iri, term):
            value = v.value
            if isinstance(value, str) and term in self.json_terms:
                try:
                    return json.loads(value)
                except json.JSONDecodeError:
                    return value
            return value
        return None

    def expand(self, value: str) -> str:
        """A compact IRI (``res:ce-1``) with its prefix replaced, when the prefix is known."""
        if ":" in value and "://" not in value and not value.startswith("_:"):
            prefix, local = value.split(":", 1)
            base = self.prefixes.get(prefix)
            if base is not None:
                return base + local
        return value

    def compact(self, iri: str) -> str:
        """``prefix:local`` for an IRI in a known namespace, else the IRI unchanged."""
        best = ""
        name = ""
        for base, prefix in _reverse().items():
            if iri.startswith(base) and len(base) > len(best):
                best, name = base, prefix
        return f"{name}:{iri[len(best) :]}" if best else iri


def _reverse() -> dict[str, str]:
    out = {base: prefix for prefix, base in PREFIXES.items()}
    out.update(_ALTERNATES)
    return out


def as_number(value: Any) -> float | None:
    """``value`` as a float when it is a number (or numeric text), else ``None``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


# -- parsing ------------------------------------------------------------------------------------
def parse_json(text: str, source: str) -> Any:
    """Parse JSON text, refusing with the file, line and column of the first problem.

    A file holding several JSON documents one after another, or placeholders such as
    ``"(143 URIs)"`` where references were elided, is named as such.
    """
    if not text.strip():
        raise CtdlError("the file is empty", location=source)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        detail = exc.msg
        if exc.msg == "Extra data":
            count, broken = _documents(text)
            detail = (
                "Extra data: another JSON document starts here, after the first one ends "
                "(JSON-LD needs one document: put the nodes in one @graph)"
            )
            if broken is None:
                detail += f"; the file holds {count} documents"
            else:
                detail += f"; document {count + 1} is itself not valid JSON at {broken}"
        placeholder = _PLACEHOLDER.search(text)
        if placeholder is not None:
            line = text.count("\n", 0, placeholder.start()) + 1
            detail += (
                f"; it also holds placeholders such as {placeholder.group(0)} at line {line} "
                "where references were left out"
            )
        raise CtdlError(
            f"not valid JSON: {detail}", location=f"{source}:{exc.lineno}:{exc.colno}"
        ) from None


def _documents(text: str) -> tuple[int, str | None]:
    """How many JSON documents parse one after another, and where the next one breaks."""
    decoder = json.JSONDecoder()
    index, count = 0, 0
    while True:
        while index < len(text) and text[index].isspace():
            index += 1
        if index >= len(text):
            return count, None
        try:
            _, index = decoder.raw_decode(text, index)
        except json.JSONDecodeError as exc:
            return count, f"line {exc.lineno}, column {exc.colno} ({exc.msg})"
        count += 1


def build_graph(data: Any, source: str) -> Graph:
    """Flatten a parsed JSON-LD document (compact or expanded) into a :class:`Graph`."""
    graph = Graph(source=source, prefixes=dict(PREFIXES))
    tops: list[Any]
    if isinstance(data, list):
        tops = list(data)
    elif isinstance(data, dict):
        _read_context(graph, data.get("@context"))
        if "@graph" in data:
            inner = data["@graph"]
            tops = list(inner) if isinstance(inner, list) else [inner]
            rest = {k: v for k, v in data.items() if k not in ("@context", "@graph", "@id")}
            if rest:
                tops.append({**rest, "@id": data.get("@id")})
        else:
            tops = [data]
    else:
        raise CtdlError(
            f"a JSON-LD document is an object or a list, not {type(data).__name__}",
            location=source,
        )
    seen: dict[str, int] = {}
    for top in tops:
        if isinstance(top, dict):
            _read_context(graph, top.get("@context"))
            ident = _flatten(graph, top)
            if ident is not None and "@id" in top:
                seen[ident] = seen.get(ident, 0) + 1
    graph.repeated = {k: v for k, v in seen.items() if v > 1}
    return graph


def _read_context(graph: Graph, context: Any) -> None:
    if isinstance(context, list):
        for part in context:
            _read_context(graph, part)
    elif isinstance(context, dict):
        for key, value in context.items():
            if isinstance(value, str) and not key.startswith("@"):
                graph.prefixes.setdefault(key, value)
            elif isinstance(value, dict):
                term = _term(graph, key)
                if value.get("@type") == "@json":
                    graph.json_terms.add(term)


def _term(graph: Graph, key: str) -> str:
    """One spelling of a property or type: ``ceterms:name`` for every way of writing it."""
    if "://" in key:
        return graph.compact(key)
    if ":" in key:
        prefix, local = key.split(":", 1)
        base = graph.prefixes.get(prefix)
        if base is not None:
            return graph.compact(base + local)
    return key


def _flatten(graph: Graph, node: dict[str, Any]) -> str | None:
    raw_id = node.get("@id")
    if isinstance(raw_id, str) and raw_id:
        ident = graph.expand(raw_id)
    else:
        graph._blank += 1
        ident = f"_:b{graph._blank}"
    props = graph.nodes.setdefault(ident, {})
    types = graph.types.setdefault(ident, [])
    raw_types = node.get("@type", [])
    for t in raw_types if isinstance(raw_types, list) else [raw_types]:
        if isinstance(t, str) and _term(graph, t) not in types:
            types.append(_term(graph, t))
    for key, value in node.items():
        if key.startswith("@"):
            continue
        term = _term(graph, key)
        values = props.setdefault(term, [])
        if term in graph.json_terms:
            values.append(Lit(_json_value(value)))
            continue
        for item in value if isinstance(value, list) else [value]:
            values.extend(_values(graph, item))
    return ident


def _json_value(value: Any) -> Any:
    if isinstance(value, dict) and "@value" in value:
        return value["@value"]
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], dict):
        inner = value[0]
        if "@value" in inner and inner.get("@type") in ("@json", "rdf:JSON"):
            return inner["@value"]
    return value


def _values(graph: Graph, item: Any) -> list[Lit | Ref]:
    if isinstance(item, dict):
        if "@value" in item:
            lang = item.get("@language")
            return [Lit(item["@value"], lang if isinstance(lang, str) else None)]
        if "@list" in item and isinstance(item["@list"], list):
            out: list[Lit | Ref] = []
            for inner in item["@list"]:
                out.extend(_values(graph, inner))
            return out
        if set(item) == {"@id"} and isinstance(item["@id"], str):
            return [Ref(graph.expand(item["@id"]))]
        if (
            item
            and all(isinstance(k, str) and _LANG.match(k) for k in item)
            and all(isinstance(v, str | list) for v in item.values())
        ):
            texts: list[Lit | Ref] = []
            for lang, text in item.items():
                for one in text if isinstance(text, list) else [text]:
                    texts.append(Lit(one, lang))
            return texts
        ident = _flatten(graph, item)
        return [Ref(ident)] if ident is not None else []
    return [Lit(item)]
