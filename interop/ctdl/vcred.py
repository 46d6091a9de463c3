"""Learner records from a CTDL example's ``vcred.json``: people, their achievements, awards.

The Heriot-Watt example lists each person (``schema:Person``) with the achievements they hold
(``http://example.org/terms/achievement``: IRIs of courses), and Verifiable Credentials
naming the person as ``credentialSubject`` with an ``issuanceDate``. Each achievement becomes
an earned item of the catalog credential its IRI stands for (the import report's aliases),
earned on the latest issuance date of a credential about that person.
"""

from __future__ import annotations

from typing import Any

from interop.ctdl.errors import CtdlError
from interop.ctdl.jsonld import build_graph
from interop.ctdl.vocab import local_name

_VC = "https://www.w3.org/2018/credentials#"


def records_from_vcred(
    data: Any, aliases: dict[str, str], *, source: str = "vcred.json"
) -> dict[str, dict[str, Any]]:
    """Learner records (contract section 3) by learner id (the last segment of the IRI).

    An achievement whose IRI is not in ``aliases`` keeps its IRI as credential id, so that a
    decision lists it as unrecognized rather than dropping it silently.
    """
    graph = build_graph(data, source)
    issued: dict[str, str] = {}
    for iri in graph.nodes:
        if not any(t.endswith("VerifiableCredential") for t in graph.types.get(iri, [])):
            continue
        day = next((str(v.value) for v in graph.lits(iri, _VC + "issuanceDate")), None)
        for subject in graph.refs(iri, _VC + "credentialSubject"):
            if day and day > issued.get(subject, ""):
                issued[subject] = day[:10]
    out: dict[str, dict[str, Any]] = {}
    for iri in graph.nodes:
        held = [
            r
            for term in graph.nodes[iri]
            if term.endswith("achievement")
            for r in graph.refs(iri, term)
        ]
        if not held:
            continue
        learner = local_name(iri)
        day = issued.get(iri)
        if day is None:
            raise CtdlError(
                f"person {iri} holds achievements but no credential about them has an "
                "issuanceDate (needed as the items' earned_on)",
                location=source,
            )
        earned = [
            {"credential": aliases.get(a, a), "earned_on": day, "id": a, "issuer": None}
            for a in held
        ]
        out[learner] = {
            "learner": learner,
            "earned": [{k: v for k, v in e.items() if v is not None} for e in earned],
        }
    return out
