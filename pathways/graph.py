"""The pathway graph of a catalog (networkx): what stacks into what, what unlocks what.

Nodes are credentials (by id), skills (``skill:<id>``) and prerequisite rule nodes
(``rule:<credential>/prerequisites/<path>``). A prerequisite keeps its AND/OR shape: the
children of an ``all`` point straight at what they unlock, while an ``any``, ``at_least`` or
``select`` gets a rule node of its own (its ``op`` and ``need`` say how many inputs it
takes). Edges carry a ``kind``:

``prerequisite``  X (or a rule node) is needed before starting Y
``stacks``        X counts toward stacked Y, named in Y's ``requires`` or matched by a
                  ``select`` in it (``via`` says which; ``requirement`` names the rule)
``same_as``       X and Y are equivalent (one edge, from the smaller id)
``transfer``      X earns transfer credit toward Y
``teaches``       credential X carries skill S (``level``)
``needs_skill``   a ``skill`` rule in Y's requires or prerequisites asks for S

This is the only module that imports networkx for pathways; everything else asks it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import networkx as nx

from pathways.catalog import Catalog
from pathways.catalog_index import CatalogIndex
from pathways.errors import UnknownTargetError
from rules.model import (
    AllRule,
    AnyRule,
    AtLeastRule,
    CredentialRule,
    RuleNode,
    SelectRule,
    SkillRule,
    as_node,
)

PREREQUISITE = "prerequisite"
STACKS = "stacks"
SAME_AS = "same_as"
TRANSFER = "transfer"
TEACHES = "teaches"
NEEDS_SKILL = "needs_skill"

#: Edge kinds along which a credential helps toward a goal (for plans).
CONTRIBUTES = frozenset({PREREQUISITE, STACKS, SAME_AS, TRANSFER, TEACHES, NEEDS_SKILL})


def skill_node(skill: str) -> str:
    """Graph node id of a skill."""
    return f"skill:{skill}"


@dataclass(frozen=True)
class Reach:
    """Credentials reached in one step, and in any number of steps (sorted ids)."""

    direct: list[str]
    all: list[str]


@dataclass(frozen=True)
class Lint:
    """One finding of the designer checks."""

    kind: str  # unreachable | unsatisfiable | orphan
    credential: str
    message: str
    rule: str | None = None


class PathwayGraph:
    """The catalog as a graph, with the queries learners and designers ask."""

    def __init__(self, catalog: Catalog, index: CatalogIndex | None = None) -> None:
        self.catalog = catalog
        self.index = index or CatalogIndex(catalog)
        self.graph: nx.MultiDiGraph = nx.MultiDiGraph()
        self._views: dict[frozenset[str], nx.DiGraph] = {}
        # learner-independent answers asked once per goal on every ranking: cache them
        self._contributors: dict[str, frozenset[str]] = {}
        self._build()

    # -- construction -----------------------------------------------------------------------
    def _build(self) -> None:
        catalog, g = self.catalog, self.graph
        for cid in sorted(catalog.credentials):
            cred = catalog.credentials[cid]
            g.add_node(
                cid,
                kind="credential",
                name=cred.name or cid,
                type=cred.type,
                stacked=cred.requires is not None,
                credits=catalog.credits_of(cid),
                cost=cred.cost,
                hours=cred.hours,
            )
        for sid in sorted(catalog.skills):
            g.add_node(skill_node(sid), kind="skill", name=catalog.skills[sid].name or sid)
        for cid in sorted(catalog.credentials):
            cred = catalog.credentials[cid]
            for ref in cred.skill_refs():
                self._skill(ref.skill)
                g.add_edge(cid, skill_node(ref.skill), kind=TEACHES, level=ref.level)
            for other in sorted(cred.same_as):
                a, b = sorted((cid, other))
                if not g.has_edge(a, b, key=SAME_AS):
                    g.add_edge(a, b, key=SAME_AS, kind=SAME_AS)
            if cred.prerequisites is not None:
                self._prerequisite(as_node(cred.prerequisites), cid, f"{cid}/prerequisites", cid)
            if cred.requires is not None:
                excluded = frozenset({cid}) | catalog.stacked_on(cid)
                self._stacking(as_node(cred.requires), cid, cid, excluded)
        for tv in catalog.doc.transfer_values:
            g.add_edge(tv.from_, tv.to, kind=TRANSFER, credits=catalog.to_unit(tv.credits))

    def _skill(self, sid: str) -> None:
        if skill_node(sid) not in self.graph:
            self.graph.add_node(skill_node(sid), kind="skill", name=sid)

    def _prerequisite(self, rule: RuleNode, into: str, path: str, owner: str) -> None:
        """Edges for a prerequisite rule feeding ``into`` (a credential or a rule node)."""
        g = self.graph
        if isinstance(rule, CredentialRule):
            g.add_edge(rule.credential, into, kind=PREREQUISITE, min_grade=rule.min_grade)
        elif isinstance(rule, SkillRule):
            self._skill(rule.skill)
            g.add_edge(skill_node(rule.skill), into, kind=NEEDS_SKILL, level=rule.level)
        elif isinstance(rule, AllRule):
            for pos, child in enumerate(rule.all):
                node = as_node(child)
                self._prerequisite(node, into, f"{path}/{node.id or pos}", owner)
        else:
            rid = f"rule:{path}"
            op, need, label = _rule_shape(rule)
            g.add_node(rid, kind="rule", op=op, need=need, label=label, owner=owner)
            g.add_edge(rid, into, kind=PREREQUISITE)
            if isinstance(rule, SelectRule):
                for cid in self.index.matching(rule.select, frozenset({owner})):
                    g.add_edge(cid, rid, kind=PREREQUISITE, via="select")
                return
            for pos, child in enumerate(rule.children()):
                node = as_node(child)
                self._prerequisite(node, rid, f"{path}/{node.id or pos}", owner)

    def _stacking(self, rule: RuleNode, owner: str, label: str, excluded: frozenset[str]) -> None:
        g = self.graph
        label = rule.name or rule.id or label
        if isinstance(rule, CredentialRule):
            if not g.has_edge(rule.credential, owner, key=STACKS):
                g.add_edge(
                    rule.credential, owner, key=STACKS, kind=STACKS, via="direct", requirement=label
                )
        elif isinstance(rule, SelectRule):
            for cid in self.index.matching(rule.select, excluded):
                if not g.has_edge(cid, owner, key=STACKS):
                    g.add_edge(cid, owner, key=STACKS, kind=STACKS, via="select", requirement=label)
        elif isinstance(rule, SkillRule):
            self._skill(rule.skill)
            g.add_edge(skill_node(rule.skill), owner, kind=NEEDS_SKILL, level=rule.level)
        else:
            for child in rule.children():
                self._stacking(as_node(child), owner, label, excluded)

    # -- views ------------------------------------------------------------------------------
    def view(self, kinds: Iterable[str]) -> nx.DiGraph:
        """A plain directed graph of the edges of ``kinds`` (``same_as`` both ways)."""
        key = frozenset(kinds)
        cached = self._views.get(key)
        if cached is not None:
            return cached
        out: nx.DiGraph = nx.DiGraph()
        out.add_nodes_from(self.graph.nodes)
        for u, v, kind in self.graph.edges(data="kind"):
            if kind in key:
                out.add_edge(u, v)
                if kind == SAME_AS:
                    out.add_edge(v, u)
        self._views[key] = out
        return out

    def _next_nodes(self, node: str, kinds: frozenset[str], forward: bool) -> Iterator[str]:
        """Neighbours of ``node`` in :meth:`view` of ``kinds``, read off the multigraph."""
        g = self.graph
        ahead, behind = (g.succ, g.pred) if forward else (g.pred, g.succ)
        for other, edges in ahead[node].items():
            if any(data["kind"] in kinds for data in edges.values()):
                yield other
        if SAME_AS in kinds:  # the view has every same_as edge both ways
            for other, edges in behind[node].items():
                if any(data["kind"] == SAME_AS for data in edges.values()):
                    yield other

    def _walk(self, starts: Iterable[str], kinds: frozenset[str], forward: bool) -> set[str]:
        """Nodes reached from ``starts`` by one edge or more of :meth:`view` of ``kinds``.

        The walks the ranking asks for touch a few hundred nodes: walking the multigraph
        beats building a view of the whole catalog on a cold graph (~30 ms at 10,000).
        """
        seen: set[str] = set()
        frontier = [n for s in starts for n in self._next_nodes(s, kinds, forward)]
        while frontier:
            node = frontier.pop()
            if node not in seen:
                seen.add(node)
                frontier.extend(self._next_nodes(node, kinds, forward))
        return seen

    def is_credential(self, node: str) -> bool:
        """Whether a graph node is a credential."""
        return bool(self.graph.nodes[node].get("kind") == "credential")

    def _creds(self, nodes: Iterable[str]) -> list[str]:
        return sorted(n for n in nodes if self.is_credential(n))

    def _known(self, cid: str) -> None:
        if cid not in self.catalog.credentials:
            raise UnknownTargetError(f"{cid!r} is not a credential of catalog {self.catalog.id}")

    # -- queries ----------------------------------------------------------------------------
    def unlocks(self, cid: str) -> Reach:
        """Credentials whose prerequisites ``cid`` (or an equivalent) helps meet.

        ``direct``: named in their prerequisite rule (possibly as one alternative of an
        ``any``); ``all``: through chains of prerequisites too.
        """
        self._known(cid)
        g = self.view({PREREQUISITE})
        start = self.catalog.equivalents[cid]
        direct: set[str] = set()
        for member in start:
            frontier = list(g.successors(member))
            while frontier:
                node = frontier.pop()
                if self.is_credential(node):
                    direct.add(node)
                else:
                    frontier.extend(g.successors(node))
        # through chains: prerequisites of prerequisites, and stacking into a credential
        # that is itself a prerequisite (a course completing a microcredential an exam needs)
        chain = self.view({PREREQUISITE, STACKS})
        reach: set[str] = set()
        for member in start:
            reach |= nx.descendants(chain, member)
        inputs = reach | set(start)
        unlocked = {n for n in reach if any(p in inputs for p in g.predecessors(n))}
        return Reach(self._creds(direct - start), self._creds(unlocked - start))

    def counts_toward(self, cid: str) -> Reach:
        """Stacked credentials ``cid`` counts toward: named in or matched by their
        ``requires`` (or through a transfer value), and through chains of stacking."""
        self._known(cid)
        kinds = frozenset({STACKS, TRANSFER})
        start = self.catalog.equivalents[cid]
        direct: set[str] = set()
        reach: set[str] = set()
        for member in start:
            direct |= set(self._next_nodes(member, kinds, forward=True))
            reach |= self._walk([member], kinds, forward=True) - {member}
        return Reach(self._creds(direct - start), self._creds(reach - start))

    def depends_on(self, goal: str) -> list[str]:
        """Every credential the goal's requirements or their prerequisites can draw on."""
        self._known(goal)
        g = self.view({STACKS, PREREQUISITE, TRANSFER})
        return self._creds(nx.ancestors(g, goal))

    def contributors(self, goal: str) -> set[str]:
        """Credentials that can help meet ``goal`` in any way (a superset, for plans):
        components, their equivalents, prerequisites, skill carriers, transfer sources."""
        found = self._contributors.get(goal)
        if found is None:
            found = frozenset(self._creds(self._walk([goal], CONTRIBUTES, False) - {goal}))
            self._contributors[goal] = found
        return set(found)

    def helped_by(self, sources: Iterable[str]) -> set[str]:
        """Credentials that some of ``sources`` can help meet: every ``goal`` whose
        :meth:`contributors` meet ``sources``, found in one walk instead of one per goal."""
        start = {s for s in sources if s in self.graph}
        seen = self._walk(start, CONTRIBUTES, forward=True)
        # a credential never contributes to itself (not even round a cycle): a source the
        # walk reached counts only when another source helps it
        return {
            n
            for n in seen
            if self.is_credential(n) and (n not in start or self.contributors(n) & (start - {n}))
        }

    def subgraph_nodes(self, goal: str) -> set[str]:
        """The goal, what it depends on, and the rule nodes between them (for maps)."""
        self._known(goal)
        g = self.view({STACKS, PREREQUISITE, TRANSFER})
        found: set[str] = nx.ancestors(g, goal)
        return found | {goal}

    @cached_property
    def stacking_is_acyclic(self) -> bool:
        """Whether no credential stacks into itself, directly or through a chain."""
        # only a stacked credential takes stacking edges in, so only they can form a cycle
        g: nx.DiGraph = nx.DiGraph()
        for cid in self.catalog.stacked:
            for other, edges in self.graph.pred[cid].items():
                if any(data["kind"] == STACKS for data in edges.values()):
                    g.add_edge(other, cid)
        return bool(nx.is_directed_acyclic_graph(g))

    # -- designer checks --------------------------------------------------------------------
    @cached_property
    def earnable(self) -> frozenset[str]:
        """Credentials a learner starting from nothing can ever earn (optimistic: it
        ignores grades, dates and double counting, so what it leaves out is truly out)."""
        have: set[str] = set()
        order = list(self.catalog.credentials)
        changed = True
        while changed:
            changed = False
            for cid in order:
                if cid in have:
                    continue
                cred = self.catalog.credentials[cid]
                rule = cred.requires if cred.requires is not None else cred.prerequisites
                if rule is None or self._possible(as_node(rule), have, cid):
                    have.add(cid)
                    changed = True
        return frozenset(have)

    def _possible(self, rule: RuleNode, have: set[str] | frozenset[str], owner: str) -> bool:
        if isinstance(rule, CredentialRule):
            return bool(self.catalog.equivalents[rule.credential] & have)
        if isinstance(rule, SkillRule):
            return any(
                ref.skill == rule.skill and ref.level >= rule.level
                for cid in have
                for ref in self.catalog.credentials[cid].skill_refs()
            )
        if isinstance(rule, SelectRule):
            excluded = frozenset({owner}) | self.catalog.stacked_on(owner)
            found = [c for c in self.index.matching(rule.select, excluded) if c in have]
            if rule.count is not None and len(found) < rule.count:
                return False
            if rule.credits is not None:
                # a stacked credential without catalog credits is worth what is inside it:
                # count it as unbounded, so the check stays optimistic
                total = sum(
                    float("inf")
                    if self.index.templates[c].source == "derived"
                    and self.catalog.credits_of(c) is None
                    else self.index.templates[c].credits
                    for c in found
                )
                return total >= rule.credits - 1e-9
            return True
        kids = [self._possible(as_node(c), have, owner) for c in rule.children()]
        return sum(kids) >= _need(rule)

    def unreachable(self) -> list[Lint]:
        """Credentials no learner can ever earn from this catalog."""
        out: list[Lint] = []
        for cid in sorted(set(self.catalog.credentials) - self.earnable):
            cred = self.catalog.credentials[cid]
            what = "requires" if cred.requires is not None else "prerequisites"
            out.append(
                Lint("unreachable", cid, f"{cid}: its {what} cannot be met from this catalog")
            )
        return out

    def unsatisfiable(self) -> list[Lint]:
        """Requirement nodes that no set of catalog credentials can satisfy, even all of them."""
        return list(self._unsatisfiable)

    @cached_property
    def _unsatisfiable(self) -> tuple[Lint, ...]:
        # every unreachable plan quotes these to say why (~0.1 s at 10,000): find them once
        everything = frozenset(self.catalog.credentials)
        out: list[Lint] = []
        for cid in sorted(self.catalog.credentials):
            cred = self.catalog.credentials[cid]
            for field_name, rule in (
                ("prerequisites", cred.prerequisites),
                ("requires", cred.requires),
            ):
                if rule is not None:
                    self._minimal_impossible(
                        as_node(rule), cid, f"{cid}/{field_name}", everything, out
                    )
        return tuple(out)

    def _minimal_impossible(
        self, rule: RuleNode, owner: str, path: str, have: frozenset[str], out: list[Lint]
    ) -> bool:
        bad_kid = False
        for pos, child in enumerate(rule.children()):
            node = as_node(child)
            bad_kid |= self._minimal_impossible(node, owner, f"{path}/{node.id or pos}", have, out)
        if self._possible(rule, have, owner):
            return False
        if not bad_kid:
            label = rule.name or rule.id or path
            out.append(
                Lint(
                    "unsatisfiable",
                    owner,
                    f"{owner}: requirement {label!r} cannot be met even by every catalog "
                    f"credential ({_describe(rule)})",
                    rule=path,
                )
            )
        return True

    def orphans(self) -> list[Lint]:
        """Credentials (without a ``requires`` rule) that count toward no stacked credential."""
        out: list[Lint] = []
        for cid in sorted(self.catalog.credentials):
            if self.catalog.credentials[cid].requires is not None:
                continue
            if not self.counts_toward(cid).direct:
                out.append(Lint("orphan", cid, f"{cid}: nothing stacks it into a credential"))
        return out

    def lints(self) -> list[Lint]:
        """Every designer finding: unreachable, unsatisfiable, orphan."""
        return self.unreachable() + self.unsatisfiable() + self.orphans()

    def to_data(self) -> dict[str, Any]:
        """Nodes and edges as plain, sorted data (for the API and tests)."""
        nodes = [{"id": n, **self.graph.nodes[n]} for n in sorted(self.graph.nodes)]
        edges = sorted(
            ({"from": u, "to": v, **d} for u, v, d in self.graph.edges(data=True)),
            key=lambda e: (e["from"], e["to"], e["kind"]),
        )
        return {"nodes": nodes, "edges": edges}


def _need(rule: RuleNode) -> int:
    if isinstance(rule, AllRule):
        return len(rule.all)
    if isinstance(rule, AnyRule):
        return 1
    if isinstance(rule, AtLeastRule):
        return rule.at_least
    return 1


def _rule_shape(rule: RuleNode) -> tuple[str, int, str]:
    """(op, need, label) of a rule node drawn between prerequisites and what they unlock."""
    if isinstance(rule, SelectRule):
        need = rule.count or 1
        amount = f"{rule.count} of" if rule.count is not None else f"{rule.credits:g} credits of"
        return "select", need, rule.name or f"{amount} {rule.select.describe() or 'any'}"
    need = _need(rule)
    op = "any" if isinstance(rule, AnyRule) else "at_least"
    text = "one of" if op == "any" else f"{need} of"
    return op, need, rule.name or text


def _describe(rule: RuleNode) -> str:
    if isinstance(rule, SelectRule):
        return _rule_shape(rule)[2]
    if isinstance(rule, SkillRule):
        return f"skill {rule.skill} at level {rule.level}+"
    if isinstance(rule, CredentialRule):
        return f"credential {rule.credential}"
    return f"{_need(rule)} of {len(rule.children())} needed"


def build_graph(catalog: Catalog) -> PathwayGraph:
    """Build the pathway graph of ``catalog``."""
    return PathwayGraph(catalog)


__all__ = ["Lint", "PathwayGraph", "Reach", "build_graph", "skill_node"]
