"""A loaded, validated catalog with the indexes the engine needs."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import networkx as nx

from pathways.grades import US_4, GradeScale
from pathways.model import CatalogDocument, Credential, Credits, CustomScale, Skill, TransferValue
from pathways.units import convert
from rules.model import referenced_credentials


def canonical_json(data: Any) -> str:
    """Canonical JSON text: sorted keys, no spaces, UTF-8, dates as ISO strings."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def content_hash(data: Any) -> str:
    """``sha256:`` hash of the canonical JSON of ``data``."""
    return "sha256:" + hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()


@dataclass
class Catalog:
    """A catalog ready for evaluation: the document plus indexes."""

    doc: CatalogDocument
    raw: dict[str, Any]
    source: str = ""
    hash: str = field(default="")

    def __post_init__(self) -> None:
        if not self.hash:
            self.hash = content_hash(self.raw)

    # -- identity -----------------------------------------------------------------------------
    @property
    def id(self) -> str:
        """Catalog id."""
        return self.doc.catalog.id

    @property
    def version(self) -> str:
        """Catalog version label."""
        return self.doc.catalog.version

    @property
    def unit(self) -> str:
        """Default credit unit."""
        return self.doc.catalog.credit_unit

    def ref(self) -> dict[str, str]:
        """``{id, version, hash}`` as decisions record it."""
        return {"id": self.id, "version": self.version, "hash": self.hash}

    # -- indexes ------------------------------------------------------------------------------
    @cached_property
    def credentials(self) -> dict[str, Credential]:
        """Credentials by id."""
        return {c.id: c for c in self.doc.credentials}

    @cached_property
    def skills(self) -> dict[str, Skill]:
        """Skills by id."""
        return {s.id: s for s in self.doc.skills}

    @cached_property
    def scale(self) -> GradeScale:
        """The grade scale."""
        spec = self.doc.catalog.grade_scale
        if isinstance(spec, CustomScale):
            return GradeScale(
                points=dict(spec.points),
                passing=frozenset(spec.pass_),
                failing=frozenset(spec.fail),
            )
        return US_4

    @cached_property
    def equivalents(self) -> dict[str, frozenset[str]]:
        """Each credential's ``same_as`` class (symmetric, transitive, itself included)."""
        graph: nx.Graph = nx.Graph()
        graph.add_nodes_from(self.credentials)
        for cred in self.doc.credentials:
            for other in cred.same_as:
                graph.add_edge(cred.id, other)
        out: dict[str, frozenset[str]] = {}
        for component in nx.connected_components(graph):
            members = frozenset(component)
            for member in members:
                out[member] = members
        return out

    @cached_property
    def stacked(self) -> list[str]:
        """Ids of credentials with a ``requires`` rule, sorted."""
        return sorted(c.id for c in self.doc.credentials if c.requires is not None)

    @cached_property
    def stack_graph(self) -> nx.DiGraph:
        """Edge A -> B when B's ``requires`` names A (A stacks into B)."""
        graph: nx.DiGraph = nx.DiGraph()
        graph.add_nodes_from(self.credentials)
        for cred in self.doc.credentials:
            if cred.requires is not None:
                for ref in referenced_credentials(cred.requires):
                    graph.add_edge(ref, cred.id)
        return graph

    def stacked_on(self, cred: str) -> frozenset[str]:
        """Credentials that ``cred`` stacks into, directly or through chains."""
        found = self._stacked_on.get(cred)
        if found is None:  # a race only computes the same set twice
            found = self._stacked_on[cred] = frozenset(nx.descendants(self.stack_graph, cred))
        return found

    @cached_property
    def _stacked_on(self) -> dict[str, frozenset[str]]:
        # every evaluation asks this of its target: walk the graph once per credential
        return {}

    def stacked_inside(self, cred: str) -> frozenset[str]:
        """Credentials stacked inside ``cred``'s requirement, directly or through chains."""
        return frozenset(nx.ancestors(self.stack_graph, cred))

    def credits_of(self, cred: str) -> float | None:
        """The catalog's credits for ``cred`` in the catalog unit (``None`` when unset)."""
        value = self.credentials[cred].credits
        return self.to_unit(value)

    def to_unit(self, value: float | Credits | None) -> float | None:
        """Credits in the catalog unit; ``0.0`` when the unit does not convert."""
        if value is None:
            return None
        if isinstance(value, Credits):
            converted = convert(value.value, value.unit, self.unit)
            return 0.0 if converted is None else converted
        return float(value)

    def transfer_values_from(self, cred: str) -> list[TransferValue]:
        """Transfer values whose ``from`` is ``cred``."""
        return [tv for tv in self.doc.transfer_values if tv.from_ == cred]
