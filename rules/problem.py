"""Compile a rule tree and a pool of items into a flat problem the solvers share.

The problem lists the nodes (with their effective qualifiers), and for every leaf its
candidates: the items it may take, and the derived credentials (credentials with a
``requires`` rule of their own, met inside the same assignment) it may take. Each derived
credential has one sub-tree of its own, compiled once and shared by every leaf that names it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from rules.durations import Duration
from rules.items import Item
from rules.model import (
    AllRule,
    AnyRule,
    AtLeastRule,
    CredentialRule,
    Filter,
    Rule,
    RuleNode,
    SelectRule,
    SkillRule,
    as_node,
)


@dataclass(frozen=True)
class Derivation:
    """A credential that can be met by meeting its own ``requires`` rule.

    ``template`` carries its catalog attributes (type, subject, tags, level, skills, issuer)
    for filters; ``credits`` is the catalog's figure, or ``None`` to sum what is inside.
    ``excluded`` lists the credentials a ``select`` inside its rule may never match (itself
    and every credential stacked on it).
    """

    credential: str
    rule: Rule
    credits: float | None
    template: Item
    excluded: frozenset[str] = frozenset()


@dataclass
class Node:
    """One compiled rule node."""

    idx: int
    kind: str  # credential | select | all | any | at_least | skill
    path: str
    rule: RuleNode
    owner: str  # the target, or the derived credential whose sub-tree this is
    parent: int | None = None
    children: list[int] = field(default_factory=list)
    waived: bool = False
    share: bool = False  # this node or an ancestor says share: true
    need: int = 0  # at_least N (all: every child, any: 1)
    skill_met: bool = False
    # candidates of a leaf: item indexes, and derived credential ids
    items: list[int] = field(default_factory=list)
    derived: list[str] = field(default_factory=list)
    forced: list[int] = field(default_factory=list)
    # effective item-level qualifiers (this node and its ancestors in the same sub-tree)
    min_points: float | None = None
    recent_cutoff: date | None = None

    @property
    def is_leaf(self) -> bool:
        """Credential and select nodes take items."""
        return self.kind in ("credential", "select")


@dataclass
class Problem:
    """Everything a solver needs, with nothing of catalogs or records."""

    target: str
    as_of: date
    items: list[Item]
    nodes: list[Node]
    roots: dict[str, int]  # owner (target or derived credential) -> root node index
    derivations: dict[str, Derivation]
    derived_order: list[str]  # derived credentials, inner ones first
    scale: Mapping[str, float]
    waived: set[str]
    #: requirement label per node: nearest ancestor-or-self id, else the path
    requirement: dict[int, str] = field(default_factory=dict)

    def leaves(self) -> list[Node]:
        """Every leaf, in node order."""
        return [node for node in self.nodes if node.is_leaf and not node.waived]

    def subtree(self, idx: int) -> list[int]:
        """Node indexes in the sub-tree rooted at ``idx`` (same owner only)."""
        out = [idx]
        for child in self.nodes[idx].children:
            out.extend(self.subtree(child))
        return out

    def max_points(self) -> float:
        """The best grade points on the scale (for bounds)."""
        return max(self.scale.values(), default=4.0)


def grade_points(scale: Mapping[str, float], grade: str) -> float:
    """Points of a ``min_grade`` letter; the caller validated it is on the scale."""
    return scale[grade]


def compile_problem(
    target: str,
    rule: Rule,
    items: Sequence[Item],
    *,
    as_of: date,
    derivations: Mapping[str, Derivation] | None = None,
    excluded: frozenset[str] = frozenset(),
    scale: Mapping[str, float] | None = None,
    waived: frozenset[str] = frozenset(),
) -> Problem:
    """Flatten ``rule`` (the requirement of ``target``) over ``items``.

    ``excluded`` lists credentials a ``select`` in the target's own rule may never match
    (the target and what is stacked on it); ``waived`` holds rule ids and credential ids
    whose nodes count as met; ``scale`` maps grades to points for ``min_grade``.
    """
    problem = Problem(
        target=target,
        as_of=as_of,
        items=list(items),
        nodes=[],
        roots={},
        derivations=dict(derivations or {}),
        derived_order=[],
        scale=dict(scale or {}),
        waived=set(waived),
    )
    _Compiler(problem).compile_owner(target, rule, excluded | {target})
    return problem


class _Compiler:
    def __init__(self, problem: Problem) -> None:
        self.p = problem
        self.stack: list[str] = []
        self.done: set[str] = set()
        # credential id -> indexes of the items matching it, and the items an exception
        # forces somewhere: a credential leaf looks only at these, not at every item
        self.by_credential: dict[str, list[int]] = {}
        self.forced_items: list[int] = []
        for index, item in enumerate(problem.items):
            if item.forced:
                self.forced_items.append(index)
                continue
            for cred in item.matches:
                self.by_credential.setdefault(cred, []).append(index)

    def compile_owner(self, owner: str, rule: Rule, excluded: frozenset[str]) -> None:
        self.stack.append(owner)
        root = self._node(as_node(rule), owner, owner, None, excluded, None, None, False, None)
        self.p.roots[owner] = root
        self.stack.pop()
        self.done.add(owner)
        if owner != self.p.target:
            self.p.derived_order.append(owner)

    def _node(
        self,
        rule: RuleNode,
        owner: str,
        path: str,
        parent: int | None,
        excluded: frozenset[str],
        min_points: float | None,
        cutoff: date | None,
        share: bool,
        label: str | None,
    ) -> int:
        kind = _kind(rule)
        idx = len(self.p.nodes)
        if rule.min_grade is not None:
            points = grade_points(self.p.scale, rule.min_grade)
            min_points = points if min_points is None else max(min_points, points)
        recent: Duration | None = rule.recent_duration
        if recent is not None:
            mine = recent.subtract_from(self.p.as_of)
            cutoff = mine if cutoff is None else max(cutoff, mine)
        share = share or rule.share
        node = Node(
            idx=idx,
            kind=kind,
            path=path,
            rule=rule,
            owner=owner,
            parent=parent,
            share=share,
            min_points=min_points,
            recent_cutoff=cutoff,
        )
        self.p.nodes.append(node)
        label = rule.id or label or path
        self.p.requirement[idx] = label
        if rule.id in self.p.waived or (
            isinstance(rule, CredentialRule) and rule.credential in self.p.waived
        ):
            node.waived = True
            return idx
        if isinstance(rule, AllRule | AnyRule | AtLeastRule):
            kids = rule.children()
            node.need = (
                len(kids)
                if isinstance(rule, AllRule)
                else 1
                if isinstance(rule, AnyRule)
                else rule.at_least
            )
            for pos, child in enumerate(kids):
                child_node = as_node(child)
                child_path = f"{path}/{child_node.id or pos}"
                node.children.append(
                    self._node(
                        child_node,
                        owner,
                        child_path,
                        idx,
                        excluded,
                        min_points,
                        cutoff,
                        share,
                        label,
                    )
                )
        elif isinstance(rule, SkillRule):
            node.skill_met = any(
                (level := item.skill_level(rule.skill)) is not None and level >= rule.level
                for item in self.p.items
            )
        elif isinstance(rule, CredentialRule):
            self._credential_candidates(node, rule)
        elif isinstance(rule, SelectRule):
            self._select_candidates(node, rule, excluded)
        return idx

    # -- candidates -------------------------------------------------------------------------
    def _item_ok(self, node: Node, item: Item) -> bool:
        if item.in_progress:
            return True  # assumed to finish with grades that meet every qualifier
        if node.min_points is not None and (item.points is None or item.points < node.min_points):
            return False
        return node.recent_cutoff is None or item.earned_on >= node.recent_cutoff

    def _forced_here(self, node: Node, item: Item) -> bool:
        return bool(node.rule.id) and node.rule.id in item.forced

    def _credential_candidates(self, node: Node, rule: CredentialRule) -> None:
        leaf_points = (
            grade_points(self.p.scale, rule.min_grade) if rule.min_grade is not None else None
        )
        indexes = self.by_credential.get(rule.credential, [])
        if self.forced_items:
            indexes = sorted({*indexes, *self.forced_items})
        for index in indexes:
            item = self.p.items[index]
            if self._forced_here(node, item):
                node.forced.append(index)
                continue
            if item.forced or rule.credential not in item.matches:
                continue
            if not self._item_ok(node, item):
                continue
            if (
                rule.min_score is not None
                and not item.in_progress
                and (item.score is None or item.score < rule.min_score)
            ):
                continue
            if (
                leaf_points is not None
                and not item.in_progress
                and (item.points is None or item.points < leaf_points)
            ):
                continue
            node.items.append(index)
        if rule.min_score is None:
            self._maybe_derive(node, rule.credential)

    def _select_candidates(self, node: Node, rule: SelectRule, excluded: frozenset[str]) -> None:
        for index, item in enumerate(self.p.items):
            if self._forced_here(node, item):
                node.forced.append(index)
                continue
            if item.forced or item.credential in excluded:
                continue
            if matches_filter(rule.select, item) and self._item_ok(node, item):
                node.items.append(index)
        for cred in sorted(self.p.derivations):
            derivation = self.p.derivations[cred]
            if cred in excluded or not matches_filter(rule.select, derivation.template):
                continue
            self._maybe_derive(node, cred)

    def _maybe_derive(self, node: Node, cred: str) -> None:
        derivation = self.p.derivations.get(cred)
        if derivation is None or cred in self.stack:
            return
        if cred not in self.done:
            self.compile_owner(cred, derivation.rule, derivation.excluded | {cred})
        node.derived.append(cred)


def _kind(rule: RuleNode) -> str:
    if isinstance(rule, CredentialRule):
        return "credential"
    if isinstance(rule, SelectRule):
        return "select"
    if isinstance(rule, AllRule):
        return "all"
    if isinstance(rule, AnyRule):
        return "any"
    if isinstance(rule, AtLeastRule):
        return "at_least"
    return "skill"


def matches_filter(flt: Filter | None, item: Item) -> bool:
    """Whether ``item`` passes every key of ``flt`` (``None`` matches everything)."""
    if flt is None:
        return True
    if flt.ids is not None and not (item.matches & set(flt.ids)):
        return False
    if flt.type is not None and item.type != flt.type:
        return False
    if flt.subject is not None and item.subject != flt.subject:
        return False
    if flt.tags is not None and not (item.tags & set(flt.tags)):
        return False
    if flt.level_min is not None and (item.level is None or item.level < flt.level_min):
        return False
    if flt.level_max is not None and (item.level is None or item.level > flt.level_max):
        return False
    if flt.skills is not None and not any(item.skill_level(s) is not None for s in flt.skills):
        return False
    if flt.source is not None and item.source != flt.source:
        return False
    return flt.issuer is None or item.issuer == flt.issuer
