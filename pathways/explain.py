"""Explain a scored assignment: the rule tree with reasons, what is applied, what is missing."""

from __future__ import annotations

from typing import Any

from pathways.decision import Applied, Missing
from rules.problem import Node, Problem
from rules.score import Assignment, NodeScore, Score, Thing, limit_amount, thing_credits


def _r4(value: float) -> float:
    return round(value + 0.0, 4)


def _num(value: float) -> str:
    value = round(value, 4)
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


class Explainer:
    """Turns (problem, assignment, score) into the parts of a decision."""

    def __init__(self, problem: Problem, assignment: Assignment, result: Score) -> None:
        self.p = problem
        self.a = assignment
        self.s = result

    # -- applied ------------------------------------------------------------------------------
    def thing_name(self, thing: Thing) -> str:
        """Credential id of an applied thing."""
        return thing if isinstance(thing, str) else self.p.items[thing].credential

    def applied(self) -> list[Applied]:
        """Every (requirement, credential) pair of the assignment, in path order."""
        out: list[Applied] = []
        for leaf, thing in self.a.pairs:
            node = self.p.nodes[leaf]
            name = self.thing_name(thing)
            leaf_cred = getattr(node.rule, "credential", None)
            within = node.owner if node.owner != self.p.target else None
            if isinstance(thing, str):
                credits = self.s.derived[thing].credits
                in_progress = self.s.derived[thing].in_progress
            else:
                item = self.p.items[thing]
                credits = item.credits
                in_progress = item.in_progress
                if within is not None and self.p.derivations[within].credits is not None:
                    credits = 0.0  # the derived credential's own credits count instead
            out.append(
                Applied(
                    requirement=self.p.requirement[leaf],
                    credential=name,
                    credits=_r4(credits),
                    rule=node.path,
                    counts_as=leaf_cred if leaf_cred and leaf_cred != name else None,
                    within=within,
                    derived=isinstance(thing, str),
                    in_progress=in_progress,
                )
            )
        out.sort(key=lambda a: (a.rule, a.credential))
        return out

    # -- explanation tree -----------------------------------------------------------------------
    def tree(self, idx: int | None = None, seen: frozenset[str] = frozenset()) -> dict[str, Any]:
        """The rule tree with each node's status, progress and why."""
        if idx is None:
            idx = self.p.roots[self.p.target]
        node = self.p.nodes[idx]
        sc = self.s.nodes[idx]
        entry: dict[str, Any] = {"rule": node.path, "kind": node.kind}
        if node.kind == "credential":
            entry["credential"] = getattr(node.rule, "credential", "")
        if node.rule.id:
            entry["id"] = node.rule.id
        if node.rule.name:
            entry["name"] = node.rule.name
        entry["status"] = "waived" if node.waived else ("met" if sc.satisfied else "not_met")
        entry["progress"] = _r4(sc.progress)
        entry["why"] = self.why(node, sc)
        if node.is_leaf:
            entry["applied"] = [self.thing_name(t) for t in self.a.at(idx)]
        if node.children:
            entry["children"] = [self.tree(c, seen) for c in node.children]
        cred = str(getattr(node.rule, "credential", ""))
        derivable = node.kind == "credential" and cred in self.p.roots and cred != self.p.target
        if derivable and cred not in seen and not any(isinstance(t, int) for t in self.a.at(idx)):
            entry["derived"] = self.tree(self.p.roots[cred], seen | {cred})
        for thing in self.a.at(idx):
            if isinstance(thing, str) and node.kind == "select" and thing not in seen:
                entry.setdefault("derived_items", []).append(
                    self.tree(self.p.roots[thing], seen | {thing})
                )
        return entry

    def why(self, node: Node, sc: NodeScore) -> str:
        """One sentence on the node's status."""
        if node.waived:
            return "waived by exception"
        rule = node.rule
        if node.kind == "credential":
            things = self.a.at(node.idx)
            cred = getattr(rule, "credential", "")
            if things:
                thing = things[0]
                if isinstance(thing, str):
                    return f"{cred} met by completing its requirements"
                name = self.thing_name(thing)
                return f"{cred} satisfied by {name}" if name != cred else f"{cred} earned"
            return f"needs {cred}" + self._leaf_quals(node)
        if node.kind == "select":
            things = self.a.at(node.idx)
            credits = sum(self._credits(t) for t in things)
            have = f"{len(things)} item(s), {_num(credits)} credits applied"
            return f"{have}; needs {self._select_need(node)}"
        if node.kind == "skill":
            level = getattr(rule, "level", 1)
            return ("skill held" if sc.satisfied else "skill not shown") + (
                f": {getattr(rule, 'skill', '')} at level {level}+"
            )
        met = sum(1 for c in node.children if self.s.nodes[c].satisfied)
        total = len(node.children)
        if node.kind == "all":
            return f"{met} of {total} met; all needed"
        if node.kind == "any":
            return f"{met} of {total} met; one needed"
        return f"{met} of {total} met; {node.need} needed"

    def _leaf_quals(self, node: Node) -> str:
        parts = []
        grade = getattr(node.rule, "min_grade", None)
        if grade:
            parts.append(f"grade {grade} or better")
        score = getattr(node.rule, "min_score", None)
        if score is not None:
            parts.append(f"score {_num(score)} or better")
        return f" ({', '.join(parts)})" if parts else ""

    def _credits(self, thing: Thing) -> float:
        return thing_credits(self.p, self.s.derived, thing)

    def _select_need(self, node: Node) -> str:
        rule = node.rule
        desc = rule.select.describe() if hasattr(rule, "select") else ""
        parts = []
        count = getattr(rule, "count", None)
        credits = getattr(rule, "credits", None)
        if count is not None:
            parts.append(f"{count} item(s)")
        if credits is not None:
            parts.append(f"{_num(credits)} credits")
        return " and ".join(parts) + (f" {desc}" if desc else "")

    # -- missing --------------------------------------------------------------------------------
    def missing(self) -> list[Missing]:
        """What is still needed, node by node, in a learner's words."""
        out: list[Missing] = []
        self._missing(self.p.roots[self.p.target], out, frozenset())
        return out

    def _label(self, idx: int) -> str:
        node = self.p.nodes[idx]
        if node.kind == "credential":
            return str(getattr(node.rule, "credential", node.path)) + self._leaf_quals(node)
        if node.kind == "select":
            return self._select_need(node)
        if node.kind == "skill":
            return f"skill {getattr(node.rule, 'skill', '')}"
        return node.rule.id or node.rule.name or node.path

    def _missing(self, idx: int, out: list[Missing], seen: frozenset[str]) -> None:
        node = self.p.nodes[idx]
        sc = self.s.nodes[idx]
        if sc.satisfied or node.waived:
            return
        req = self.p.requirement[idx]

        def add(need: str) -> None:
            out.append(Missing(requirement=req, need=need, rule=node.path))

        if node.kind == "credential":
            cred = str(getattr(node.rule, "credential", ""))
            if cred in self.p.roots and cred != self.p.target and cred not in seen:
                before = len(out)
                self._missing(self.p.roots[cred], out, seen | {cred})
                if len(out) > before:
                    return
            add(f"{cred}{self._leaf_quals(node)}")
        elif node.kind == "select":
            self._select_missing(node, add)
        elif node.kind == "skill":
            add(
                f"skill {getattr(node.rule, 'skill', '')} at level "
                f"{getattr(node.rule, 'level', 1)} or above"
            )
        else:
            unmet = [c for c in node.children if not self.s.nodes[c].satisfied]
            met = len(node.children) - len(unmet)
            simple = [
                c
                for c in unmet
                if self.p.nodes[c].kind == "credential"
                and getattr(self.p.nodes[c].rule, "credential", None) not in self.p.roots
            ]
            if node.kind == "all":
                if simple:
                    names = ", ".join(self._label(c) for c in simple)
                    add(f"{len(simple)} more: {names}" if len(simple) > 1 else names)
                for child in unmet:
                    if child not in simple:
                        self._missing(child, out, seen)
            elif met < node.need:
                names = ", ".join(self._label(c) for c in unmet)
                add(f"{node.need - met} more of: {names}")
                for child in unmet:
                    if child not in simple and self.s.nodes[child].progress > 0:
                        self._missing(child, out, seen)
        self._floor_missing(node, sc, add)

    def _select_missing(self, node: Node, add: Any) -> None:
        rule = node.rule
        things = self.a.at(node.idx)
        desc = rule.select.describe() if hasattr(rule, "select") else ""
        suffix = f" {desc}" if desc else ""
        count = getattr(rule, "count", None)
        credits = getattr(rule, "credits", None)
        if count is not None and len(things) < count:
            more = count - len(things)
            add(f"{more} more item{'s' if more > 1 else ''}{suffix}")
        have = sum(self._credits(t) for t in things)
        if credits is not None and have < credits - 1e-9:
            add(f"{_num(credits - have)} more credits{suffix}")

    def _floor_missing(self, node: Node, sc: NodeScore, add: Any) -> None:
        for limit in node.rule.limits or []:
            if limit.at_least is None:
                continue
            amount = limit_amount(self.p, self.s.derived, sc.things, limit)
            if amount < limit.at_least - 1e-9:
                desc = limit.where.describe() if limit.where else ""
                unit = "items" if limit.unit == "items" else "credits"
                add(f"{_num(limit.at_least - amount)} more {unit}" + (f" {desc}" if desc else ""))
