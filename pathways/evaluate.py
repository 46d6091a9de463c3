"""Evaluate a learner against a target: parse -> solve -> explain (contract section 4)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pathways.catalog import Catalog
from pathways.catalog_index import credential_template
from pathways.decision import CatalogRef, Decision, Status
from pathways.errors import UnknownTargetError
from pathways.explain import Explainer
from pathways.items import Countable, countable_items
from pathways.lru import LRU
from pathways.record import Apply, LearnerRecord, Substitute, Waive
from pathways.version import ENGINE_VERSION
from rules.items import Item
from rules.linear import decision_clock
from rules.model import AnyRule, CredentialRule, Rule
from rules.problem import Derivation, Problem, compile_problem
from rules.score import Assignment, Score
from rules.solve import satisfiable, solve


def target_rule(catalog: Catalog, target: str) -> Rule:
    """The rule a target is evaluated by: its ``requires``, or holding it."""
    cred = catalog.credentials.get(target)
    if cred is None:
        raise UnknownTargetError(
            f"target {target!r} is not a credential of catalog {catalog.id} {catalog.version}"
        )
    return cred.requires if cred.requires is not None else CredentialRule(credential=target)


def derivations(catalog: Catalog, target: str) -> dict[str, Derivation]:
    """Every stacked credential other than the target, as a derivation."""
    every = _derivations.get(catalog.hash)
    if every is None:
        every = _derivations.put(catalog.hash, _all_derivations(catalog))
    return {cid: d for cid, d in every.items() if cid != target}


# Derivations depend on the catalog's content alone (frozen, so safe to share): built once
# per catalog, not on every decision (~5% of a certificate's evaluation).
_derivations: LRU[str, dict[str, Derivation]] = LRU(16)


def _all_derivations(catalog: Catalog) -> dict[str, Derivation]:
    out: dict[str, Derivation] = {}
    for cid in catalog.stacked:
        rule = catalog.credentials[cid].requires
        assert rule is not None
        out[cid] = Derivation(
            credential=cid,
            rule=rule,
            credits=catalog.credits_of(cid),
            template=credential_template(catalog, cid),
            excluded=frozenset({cid}) | catalog.stacked_on(cid),
        )
    return out


def grade_thresholds(catalog: Catalog) -> dict[str, float]:
    """Points each grade stands for as a ``min_grade`` (pass-only grades stand for 0)."""
    scale = catalog.scale
    out = {g: 0.0 for g in scale.passing | scale.failing}
    out.update(scale.points)
    return out


def build_problem(
    catalog: Catalog,
    target: str,
    items: list[Item],
    as_of: dt.date,
    waived: frozenset[str],
    derived: dict[str, Derivation] | None = None,
) -> Problem:
    """Compile the target's rule over ``items``.

    ``derived`` may pass :func:`derivations` already computed for this target.

    A learner who holds the target itself (an earned certificate, not one built from its
    parts) meets it by that item: the rule becomes "the target, or its requirement".
    """
    rule = target_rule(catalog, target)
    if not isinstance(rule, CredentialRule) and any(target in i.matches for i in items):
        rule = AnyRule(any=[CredentialRule(credential=target), rule])
    return compile_problem(
        target,
        rule,
        items,
        as_of=as_of,
        derivations=derivations(catalog, target) if derived is None else derived,
        excluded=frozenset({target}) | catalog.stacked_on(target),
        scale=grade_thresholds(catalog),
        waived=waived,
    )


def evaluate(
    catalog: Catalog, record: LearnerRecord, target: str, as_of: dt.date | None = None
) -> Decision:
    """Decide ``record`` against ``target`` on ``as_of`` (default: today).

    Inside :func:`rules.linear.solver_budget`, the decision gets that many seconds (from
    here) and raises :class:`rules.linear.SolverFailure` once they are spent.
    """
    with decision_clock():
        return _evaluate(catalog, record, target, as_of)


def _evaluate(
    catalog: Catalog, record: LearnerRecord, target: str, as_of: dt.date | None
) -> Decision:
    day = as_of or dt.date.today()
    target_rule(catalog, target)
    countable = countable_items(catalog, record, target, day)
    derived = derivations(catalog, target)
    problem = build_problem(catalog, target, countable.items, day, countable.waived, derived)
    assignment, result = solve(problem)
    met = result.met
    status: Status = "met" if met else "not_met"
    if not met and countable.in_progress:
        future = build_problem(
            catalog, target, countable.items + countable.in_progress, day, countable.waived, derived
        )
        if satisfiable(future):
            status = "in_progress"
    return _decision(catalog, record, target, day, countable, problem, assignment, result, status)


def _decision(
    catalog: Catalog,
    record: LearnerRecord,
    target: str,
    day: dt.date,
    countable: Countable,
    problem: Problem,
    assignment: Assignment,
    result: Score,
    status: str,
) -> Decision:
    explainer = Explainer(problem, assignment, result)
    used_things = {t for _, t in assignment.pairs}
    used_items = {problem.items[t].credential for t in used_things if isinstance(t, int)}
    unused = sorted(i.credential for i in countable.items if i.credential not in used_items)
    return Decision(
        target=target,
        as_of=day.isoformat(),
        status=status,
        progress=round(result.progress, 4),
        credits_applied=round(result.credits, 4),
        applied=[
            a.model_copy(update={"evidence": countable.evidence.get(a.credential)})
            if not a.derived
            else a
            for a in explainer.applied()
        ],
        missing=explainer.missing() if status != "met" else [],
        unused=unused,
        unrecognized=countable.unrecognized,
        exceptions_used=_exceptions_used(catalog, record, problem, assignment),
        explanation=explainer.tree(),
        catalog=CatalogRef(**catalog.ref()),
        engine_version=ENGINE_VERSION,
        learner=record.learner,
        target_name=catalog.credentials[target].name,
        gpa=None if result.gpa is None else round(result.gpa, 4),
        lapsed=countable.lapsed,
        in_progress_items=sorted(i.credential for i in countable.in_progress),
        notes=countable.notes + ([] if result.valid else [f"engine: {result.reason}"]),
    )


def _exceptions_used(
    catalog: Catalog, record: LearnerRecord, problem: Problem, assignment: Assignment
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    node_ids = {n.rule.id for n in problem.nodes if n.rule.id}
    leaf_creds = {getattr(n.rule, "credential", None) for n in problem.nodes}
    waived_nodes = {n.rule.id for n in problem.nodes if n.waived} | {
        getattr(n.rule, "credential", None) for n in problem.nodes if n.waived
    }
    for exc in record.exceptions:
        used = False
        if isinstance(exc, Waive):
            used = exc.waive in waived_nodes and (exc.waive in node_ids or exc.waive in leaf_creds)
        elif isinstance(exc, Substitute):
            target_class = catalog.equivalents.get(exc.for_, frozenset({exc.for_}))
            own = catalog.equivalents.get(exc.substitute, frozenset({exc.substitute}))
            for leaf, thing in assignment.pairs:
                cred = getattr(problem.nodes[leaf].rule, "credential", None)
                if (
                    isinstance(thing, int)
                    and problem.items[thing].credential in own
                    and (cred in target_class and cred not in own)
                ):
                    used = True
        elif isinstance(exc, Apply):
            own = catalog.equivalents.get(exc.apply, frozenset({exc.apply}))
            used = any(
                isinstance(t, int)
                and problem.items[t].credential in own
                and problem.nodes[leaf].rule.id == exc.to
                for leaf, t in assignment.pairs
            )
        if used:
            out.append(exc.model_dump(mode="json", by_alias=True, exclude_none=True))
    return out


def evaluate_all(
    catalog: Catalog, record: LearnerRecord, as_of: dt.date | None = None
) -> list[Decision]:
    """ "What is my stack worth": a decision for every credential with a ``requires`` rule."""
    return [evaluate(catalog, record, cid, as_of) for cid in catalog.stacked]
