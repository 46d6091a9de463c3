"""The pathway graph: edges keep the catalog's structure; queries and designer lints."""

from __future__ import annotations

from pathlib import Path

import pytest

from pathways.errors import UnknownTargetError
from pathways.graph import PREREQUISITE, SAME_AS, STACKS, build_graph
from pathways.loader import load_catalog, load_catalog_text

DEMO = Path(__file__).resolve().parents[2] / "examples" / "catalog"

SMALL = """
catalog: {id: t, version: "1"}
skills: [{id: py}]
credentials:
  - {id: a, credits: 3, tags: [x], skills: [{skill: py, level: 2}]}
  - {id: b, credits: 3, tags: [x], prerequisites: {all: [a]}}
  - {id: c, credits: 3, tags: [y], prerequisites: {any: [a, b]}}
  - {id: d, credits: 3, same_as: [a]}
  - {id: lonely, credits: 1}
  - {id: locked, credits: 1, prerequisites: {all: [never]}}
  - {id: never, type: certificate, requires: {select: {tags: [zzz]}, count: 1}}
  - id: cert
    type: certificate
    requires: {all: [b, {select: {tags: [y]}, count: 1}]}
  - id: top
    type: degree
    requires: {all: [cert, {skill: py, level: 2}]}
"""


@pytest.fixture(scope="module")
def small():  # type: ignore[no-untyped-def]
    return build_graph(load_catalog_text(SMALL))


def test_any_prerequisite_gets_a_rule_node_and_all_points_straight(small) -> None:  # type: ignore[no-untyped-def]
    g = small.graph
    rule = "rule:c/prerequisites"
    assert g.nodes[rule]["op"] == "any" and g.nodes[rule]["need"] == 1
    assert g.has_edge("a", rule) and g.has_edge("b", rule) and g.has_edge(rule, "c")
    assert [d["kind"] for d in g["a"]["b"].values()] == [PREREQUISITE]


def test_stacking_edges_come_from_names_and_select_filters(small) -> None:  # type: ignore[no-untyped-def]
    g = small.graph
    assert g["b"]["cert"][STACKS]["via"] == "direct"
    assert g["c"]["cert"][STACKS]["via"] == "select"
    assert g.has_edge("a", "d", key=SAME_AS)


def test_unlocks_and_counts_toward_follow_chains(small) -> None:  # type: ignore[no-untyped-def]
    assert small.unlocks("a").direct == ["b", "c"]
    assert small.unlocks("d").direct == ["b", "c"]  # through its equivalent a
    assert small.counts_toward("b").direct == ["cert"]
    assert small.counts_toward("b").all == ["cert", "top"]


def test_depends_on_lists_components_and_their_prerequisites(small) -> None:  # type: ignore[no-untyped-def]
    assert small.depends_on("top") == ["a", "b", "c", "cert"]


def test_lints_name_unreachable_unsatisfiable_and_orphans(small) -> None:  # type: ignore[no-untyped-def]
    unreachable = [lint.credential for lint in small.unreachable()]
    assert unreachable == ["locked", "never"]
    unsatisfiable = small.unsatisfiable()
    assert [(lint.credential, lint.rule) for lint in unsatisfiable] == [("never", "never/requires")]
    orphans = [lint.credential for lint in small.orphans()]
    assert "lonely" in orphans and "b" not in orphans and "locked" in orphans


def test_unknown_credential_is_refused_by_name(small) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UnknownTargetError, match="'nope'"):
        small.unlocks("nope")


def test_every_requirement_of_the_demo_catalog_can_be_met() -> None:
    graph = build_graph(load_catalog(DEMO))
    assert graph.unsatisfiable() == []
    assert graph.counts_toward("cs-101").all == ["bs-cs", "cloud-cert", "mc-prog", "prog-cert"]
    # cs-225 completes mc-data, a prerequisite of the exam: unlocked through the chain
    assert "prog-exam" in graph.unlocks("cs-225").all
    assert "prog-exam" not in graph.unlocks("cs-225").direct


def test_to_data_is_sorted_and_stable(small) -> None:  # type: ignore[no-untyped-def]
    data = small.to_data()
    assert [n["id"] for n in data["nodes"]] == sorted(n["id"] for n in data["nodes"])
    assert data == build_graph(load_catalog_text(SMALL)).to_data()
