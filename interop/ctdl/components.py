"""Finding the pathway components of a CTDL graph, splitting re-used ids, naming them.

A component is a node of a ``ceterms:*Component`` class, or a credential / learning
resource placed in a pathway directly (CompTIA types its steps ``ceterms:Certification``).
When one ``@id`` carries several components (the same id written on two node objects, which
JSON-LD merges into one node with two names), the component is split by position into as
many credentials as it has names, and the report says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from interop.ctdl.jsonld import Graph, Lit, Ref
from interop.ctdl.report import ImportReport
from interop.ctdl.vocab import COMPONENT_TYPES, CREDENTIAL_CLASSES, RESOURCE_CLASSES, local_name

# Per-part terms of a split component (paired by position when their count matches).
_SPLIT_TERMS = (
    "ceterms:name",
    "ceterms:description",
    "ceterms:proxyFor",
    "ceterms:precededBy",
    "ceterms:precedes",
    "ceterms:hasCondition",
    "ceterms:codedNotation",
    "ceterms:sourceData",
    "ceterms:creditValue",
    "ceterms:ctid",
)
_PATHWAY_LINKS = ("ceterms:hasDestinationComponent", "ceterms:hasPart", "ceasn:hasPart")


@dataclass
class Component:
    """One pathway component (or one part of a split one) and its credential id."""

    iri: str
    cls: str
    #: the graph node to read: ``iri``, or ``iri#partN`` for a part of a split component
    node: str = ""
    part: int | None = None
    cid: str = ""

    @property
    def credential_class(self) -> bool:
        """True for a credential or resource used as a component (not a ``*Component``)."""
        return self.cls not in COMPONENT_TYPES


def find_components(graph: Graph, report: ImportReport) -> list[Component]:
    """Every component of the graph, in document order, split where an id is re-used."""
    pathway_ids = {
        iri for iri in graph.nodes if graph.has_type(iri, "ceterms:Pathway", "ceterms:PathwaySet")
    }
    placed: set[str] = set()
    for iri in pathway_ids:
        for term in _PATHWAY_LINKS:
            placed.update(graph.refs(iri, term))
    for iri in graph.nodes:
        if set(graph.refs(iri, "ceasn:isPartOf")) & pathway_ids:
            placed.add(iri)
    out: list[Component] = []
    for iri, types in list(graph.types.items()):
        cls = next((t for t in types if t in COMPONENT_TYPES), None)
        if cls is None and iri in placed:
            cls = next((t for t in types if _resource_class(t)), None)
        if cls is None:
            continue
        out.extend(_split(graph, iri, cls, report))
    return out


def _resource_class(term: str) -> bool:
    name = local_name(term)
    return term.startswith("ceterms:") and (name in CREDENTIAL_CLASSES or name in RESOURCE_CLASSES)


def _split(graph: Graph, iri: str, cls: str, report: ImportReport) -> list[Component]:
    values = graph.nodes[iri]
    names = graph.texts(iri, "ceterms:name")
    by_lang: dict[str | None, int] = {}
    for lit in graph.lits(iri, "ceterms:name"):
        by_lang[lit.lang] = by_lang.get(lit.lang, 0) + 1
    count = max(by_lang.values(), default=1)
    if count <= 1 or len(names) <= 1:
        if graph.repeated.get(iri):
            report.warn(f"component {iri}: written {graph.repeated[iri]} times; merged")
        return [Component(iri=iri, cls=cls, node=iri)]
    parts: list[Component] = []
    for index in range(count):
        own: dict[str, list[Lit | Ref]] = {}
        for term, found in values.items():
            if term in _SPLIT_TERMS and len(found) == count:
                own[term] = [found[index]]
            else:
                own[term] = found
        node = f"{iri}#part{index + 1}"
        graph.nodes[node] = own
        graph.types[node] = list(graph.types.get(iri, []))
        parts.append(Component(iri=iri, cls=cls, node=node, part=index + 1))
    shown = ", ".join(repr(n) for n in names[:count])
    report.warn(
        f"component id {iri} is used {count} times (for {shown}): split by position into "
        f"{count} credentials; a reference to the id means the first"
    )
    return parts


def slug(text: str, limit: int = 60) -> str:
    """A readable id from a name: lower case, words joined by ``-``."""
    cut = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return cut[:limit].rstrip("-")
