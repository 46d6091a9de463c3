"""A Stackwise catalog -> CTDL JSON-LD (a ``ceterms:Pathway`` with its components).

Everything CTDL can say is said in CTDL terms: components with names, credit values and
``ComponentCondition`` trees (``requiredNumber``, ``targetComponent``, nested conditions,
``Constraint`` nodes for credit and count pools, levels and grade floors), transfer values as
``TransferValueProfile``. What CTDL cannot say (``min_gpa``, ``recent``, ``window``,
``limits``, ``share``, filter keys beyond ids and level, prerequisites as rules, rule ids...)
travels in ``stackwise:`` extension terms, declared in the ``@context``; other readers can
ignore them. :func:`interop.ctdl.import_ctdl` reads both back (see docs/ctdl.md).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from interop.ctdl.jsonld import PREFIXES, STACKWISE_NS
from interop.ctdl.vocab import COMPONENT_TYPES, EXPORT_CLASS, EXPORT_CREDENTIAL_TYPE, EXPORT_UNIT
from pathways.catalog import Catalog
from pathways.checks import raw_references
from pathways.grades import US_4

#: Extension terms holding JSON values (declared ``@type: @json`` in the context).
JSON_TERMS = (
    "stackwise:tags",
    "stackwise:skills",
    "stackwise:sameAs",
    "stackwise:prerequisites",
    "stackwise:select",
    "stackwise:minGpa",
    "stackwise:limits",
    "stackwise:gradeScale",
    "stackwise:catalogSkills",
    "stackwise:countsAs",
)
_QUALIFIERS = {
    "min_gpa": "stackwise:minGpa",
    "recent": "stackwise:recent",
    "window": "stackwise:window",
    "limits": "stackwise:limits",
    "id": "stackwise:ruleId",
    "min_grade": "stackwise:minGrade",
}


def context() -> dict[str, Any]:
    """The ``@context`` of an exported document: prefixes and the JSON extension terms."""
    ctx: dict[str, Any] = {
        k: PREFIXES[k]
        for k in ("ceterms", "ceasn", "schema", "creditUnit", "logic", "compare", "array")
    }
    ctx["stackwise"] = STACKWISE_NS
    for term in JSON_TERMS:
        ctx[term] = {"@id": term, "@type": "@json"}
    return ctx


def export_ctdl(catalog: Catalog | dict[str, Any]) -> dict[str, Any]:
    """The catalog as one CTDL JSON-LD document (a dict ready for ``json.dumps``)."""
    raw = catalog.raw if isinstance(catalog, Catalog) else catalog
    return _Exporter(raw).run()


class _Exporter:
    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw
        self.header: dict[str, Any] = dict(raw.get("catalog") or {})
        self.cid = str(self.header.get("id", "catalog"))
        self.unit = str(self.header.get("credit_unit", "semester_hour"))
        scale = self.header.get("grade_scale", "us_4")
        if isinstance(scale, dict):
            self.points = {str(k): float(v) for k, v in (scale.get("points") or {}).items()}
        else:
            self.points = dict(US_4.points)

    def iri(self, ident: str) -> str:
        return f"urn:stackwise:{quote(self.cid, safe='')}:{quote(ident, safe='')}"

    def run(self) -> dict[str, Any]:
        creds: list[dict[str, Any]] = list(self.raw.get("credentials") or [])
        used: set[str] = set()
        for cred in creds:
            used.update(raw_references(cred.get("requires")))
        top = [c["id"] for c in creds if c.get("requires") is not None and c["id"] not in used]
        pathway: dict[str, Any] = {
            "@id": self.iri("pathway"),
            "@type": "ceterms:Pathway",
            "ceterms:name": _text(self.header.get("name") or self.cid),
            "stackwise:catalogId": self.cid,
            "stackwise:version": str(self.header.get("version", "1")),
            "stackwise:creditUnit": self.unit,
            "stackwise:gradeScale": self.header.get("grade_scale", "us_4"),
            "ceterms:hasDestinationComponent": [self.iri(t) for t in top],
            "ceasn:hasPart": [self.iri(c["id"]) for c in creds],
        }
        if self.header.get("description"):
            pathway["ceterms:description"] = _text(self.header["description"])
        if self.header.get("url"):
            pathway["ceterms:subjectWebpage"] = self.header["url"]
        if self.raw.get("skills"):
            pathway["stackwise:catalogSkills"] = self.raw["skills"]
        graph = [pathway] + [self.component(c) for c in creds]
        graph += [
            self.transfer(i, tv) for i, tv in enumerate(self.raw.get("transfer_values") or [])
        ]
        return {"@context": context(), "@graph": graph}

    # -- components --------------------------------------------------------------------------------
    def component(self, cred: dict[str, Any]) -> dict[str, Any]:
        kind = str(cred.get("type", "course"))
        tags = [str(t) for t in cred.get("tags") or []]
        cls = next(
            (f"ceterms:{t[5:]}" for t in tags if f"ceterms:{t[5:]}" in COMPONENT_TYPES), None
        ) or EXPORT_CLASS.get(kind, "ceterms:CredentialComponent")
        node: dict[str, Any] = {
            "@id": self.iri(cred["id"]),
            "@type": cls,
            "stackwise:id": cred["id"],
            "stackwise:type": kind,
            "ceasn:isPartOf": self.iri("pathway"),
        }
        if cred.get("name"):
            node["ceterms:name"] = _text(cred["name"])
        if cred.get("description"):
            node["ceterms:description"] = _text(cred["description"])
        if cred.get("url"):
            node["ceterms:subjectWebpage"] = cred["url"]
        if cls == "ceterms:CredentialComponent" and kind in EXPORT_CREDENTIAL_TYPE:
            node["ceterms:credentialType"] = EXPORT_CREDENTIAL_TYPE[kind]
        if cred.get("credits") is not None:
            node["ceterms:creditValue"] = [self.value(cred["credits"])]
        simple = (
            ("level", "stackwise:level"),
            ("hours", "stackwise:hours"),
            ("cost", "stackwise:cost"),
            ("subject", "stackwise:subject"),
            ("issuer", "stackwise:issuer"),
            ("valid_for", "stackwise:validFor"),
            ("tags", "stackwise:tags"),
            ("skills", "stackwise:skills"),
            ("same_as", "stackwise:sameAs"),
        )
        for key, term in simple:
            if cred.get(key) not in (None, []):
                node[term] = cred[key]
        if "tags" not in cred:
            node["stackwise:tags"] = []
        if cred.get("prerequisites") is not None:
            node["stackwise:prerequisites"] = cred["prerequisites"]
            node["ceterms:precededBy"] = [
                self.iri(i) for i in raw_references(cred["prerequisites"])
            ]
        if cred.get("requires") is not None:
            node["ceterms:hasCondition"] = [self.condition(cred["requires"])]
        return node

    def value(self, credits: Any) -> dict[str, Any]:
        if isinstance(credits, dict):
            amount, unit = credits.get("value"), str(credits.get("unit"))
        else:
            amount, unit = credits, self.unit
        return {
            "@type": "ceterms:ValueProfile",
            "schema:value": amount,
            "ceterms:creditUnitType": EXPORT_UNIT.get(unit, unit),
        }

    # -- rules -------------------------------------------------------------------------------------
    def condition(self, rule: Any) -> dict[str, Any]:
        cond: dict[str, Any] = {"@type": "ceterms:ComponentCondition"}
        if isinstance(rule, str):
            cond["ceterms:requiredNumber"] = 1
            cond["ceterms:targetComponent"] = [self.iri(rule)]
            return cond
        constraints: list[dict[str, Any]] = []
        if rule.get("name"):
            cond["ceterms:name"] = _text(rule["name"])
        for key, term in _QUALIFIERS.items():
            if rule.get(key) is not None:
                cond[term] = rule[key]
        if rule.get("min_grade") is not None:
            constraints.append(self.grade(str(rule["min_grade"])))
        if "credential" in rule:
            cond["ceterms:requiredNumber"] = 1
            cond["ceterms:targetComponent"] = [self.iri(rule["credential"])]
            if rule.get("min_score") is not None:
                constraints.append(
                    _constraint("stackwise:score", "compare:GTEQ", [rule["min_score"]])
                )
        elif "skill" in rule:
            cond["stackwise:skill"] = rule["skill"]
            cond["stackwise:skillLevel"] = rule.get("level", 1)
        elif "select" in rule:
            constraints += self.pool(rule, cond)
        else:
            children = rule.get("all") or rule.get("any") or rule.get("of") or []
            if "all" in rule:
                need = len(children)
            elif "any" in rule:
                need = 1
            else:
                need = int(rule["at_least"])
            cond["ceterms:requiredNumber"] = need
            cond["ceterms:logicalOperator"] = "logic:Or" if need == 1 else "logic:And"
            plain = [_plain(c) for c in children]
            leading = 0
            while leading < len(plain) and plain[leading] is not None:
                leading += 1
            if all(p is None for p in plain[leading:]):
                targets = [p for p in plain[:leading] if p is not None]
                nested = children[leading:]
            else:  # keep the order of the children: every child a nested condition
                targets, nested = [], children
            if targets:
                cond["ceterms:targetComponent"] = [self.iri(t) for t in targets]
            if nested:
                cond["ceterms:hasCondition"] = [self.condition(c) for c in nested]
        if "share" in rule or "select" in rule:
            cond["stackwise:share"] = bool(rule.get("share", False))
        if constraints:
            cond["ceterms:hasConstraint"] = constraints
        return cond

    def pool(self, rule: dict[str, Any], cond: dict[str, Any]) -> list[dict[str, Any]]:
        flt: dict[str, Any] = dict(rule.get("select") or {})
        out: list[dict[str, Any]] = []
        ids = flt.pop("ids", None)
        if ids:
            cond["ceterms:targetComponent"] = [self.iri(i) for i in ids]
        if flt.get("level_min") is not None:
            out.append(_constraint("ceterms:creditLevelType", "compare:GTEQ", [flt["level_min"]]))
        if flt.get("level_max") is not None:
            out.append(_constraint("ceterms:creditLevelType", "compare:LTEQ", [flt["level_max"]]))
        rest = {k: v for k, v in flt.items() if k not in ("level_min", "level_max")}
        if rest:
            cond["stackwise:select"] = rest
        if rule.get("credits") is not None:
            out.append(
                _constraint(
                    "ceterms:creditUnitType", "compare:EQ", [EXPORT_UNIT.get(self.unit, self.unit)]
                )
            )
            out.append(_constraint("schema:value", "compare:GTEQ", [rule["credits"]], "array:Sum"))
        if rule.get("count") is not None:
            out.append(
                _constraint(
                    "ceterms:targetComponent", "compare:GTEQ", [rule["count"]], "array:Count"
                )
            )
        return out

    def grade(self, floor: str) -> dict[str, Any]:
        least = self.points.get(floor, 0.0)
        ok = sorted(
            (g for g, p in self.points.items() if p >= least), key=lambda g: -self.points[g]
        )
        return _constraint(
            "stackwise:grade", "compare:EQ", ok or [floor], right_action="array:AnyOf"
        )

    # -- transfer values ---------------------------------------------------------------------------
    def transfer(self, index: int, tv: dict[str, Any]) -> dict[str, Any]:
        node: dict[str, Any] = {
            "@id": self.iri(f"transfer-{index + 1}"),
            "@type": "ceterms:TransferValueProfile",
            "ceterms:transferValueFrom": self.iri(str(tv["from"])),
            "ceterms:transferValueFor": self.iri(str(tv["to"])),
            "ceterms:transferValue": self.value(tv["credits"]),
        }
        if tv.get("id"):
            node["stackwise:id"] = tv["id"]
        if tv.get("name"):
            node["ceterms:name"] = _text(tv["name"])
        if tv.get("description"):
            node["ceterms:description"] = _text(tv["description"])
        if tv.get("counts_as"):
            node["stackwise:countsAs"] = list(tv["counts_as"])
        if tv.get("valid_from") is not None:
            node["ceterms:startDate"] = str(tv["valid_from"])
        if tv.get("valid_until") is not None:
            node["ceterms:endDate"] = str(tv["valid_until"])
        return node


def _text(value: Any) -> dict[str, str]:
    return {"en": str(value)}


def _constraint(
    left: str,
    comparator: str,
    right: list[Any],
    left_action: str | None = None,
    right_action: str | None = None,
) -> dict[str, Any]:
    node: dict[str, Any] = {
        "@type": "ceterms:Constraint",
        "ceterms:leftSource": left,
        "ceterms:comparator": comparator,
        "ceterms:rightSource": right,
    }
    if left_action:
        node["ceterms:leftAction"] = left_action
    if right_action:
        node["ceterms:rightAction"] = right_action
    return node


def _plain(rule: Any) -> str | None:
    """The credential id of a leaf with nothing but an id, else ``None``."""
    if isinstance(rule, str):
        return rule
    if isinstance(rule, dict) and set(rule) == {"credential"}:
        return str(rule["credential"])
    return None
