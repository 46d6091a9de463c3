"""What a credential says: achievement, alignments, results, dates - for the verdict and for
``stackwise import badges`` (mapping achievements to catalog credentials)."""

from __future__ import annotations

from typing import Any

from interop.badges.dates import parse_when
from interop.badges.typecheck import types_of
from interop.badges.verdict import AchievedResult, Alignment


def _str(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def alignments_of(node: Any) -> list[Alignment]:
    """The ``alignment`` entries of an achievement / BadgeClass."""
    out: list[Alignment] = []
    for a in _list(node.get("alignment") if isinstance(node, dict) else None):
        if isinstance(a, dict):
            out.append(
                Alignment(
                    target_name=_str(a.get("targetName")),
                    target_url=_str(a.get("targetUrl")),
                    target_code=_str(a.get("targetCode")),
                    target_framework=_str(a.get("targetFramework")),
                    target_type=_str(a.get("targetType")),
                )
            )
    return out


def results_of(subject: dict[str, Any], achievement: dict[str, Any]) -> list[AchievedResult]:
    """The subject's results, named from the achievement's result descriptions."""
    described = {
        d.get("id"): d for d in _list(achievement.get("resultDescription")) if isinstance(d, dict)
    }
    levels = {
        lv.get("id"): lv.get("name")
        for d in described.values()
        for lv in _list(d.get("rubricCriterionLevel"))
        if isinstance(lv, dict)
    }
    out: list[AchievedResult] = []
    for r in _list(subject.get("result")):
        if not isinstance(r, dict):
            continue
        desc = described.get(r.get("resultDescription"), {})
        level = r.get("achievedLevel")
        out.append(
            AchievedResult(
                name=_str(desc.get("name")),
                result_type=_str(desc.get("resultType")),
                value=_str(r.get("value")),
                achieved_level=_str(levels.get(level) or level),
                status=_str(r.get("status")),
            )
        )
    return out


def grade_and_score(
    results: list[AchievedResult], achievement: dict[str, Any]
) -> tuple[str | None, float | None]:
    """A letter grade and a 0..1 score, when the results give them unambiguously."""
    grade = next((r.value for r in results if r.result_type == "LetterGrade" and r.value), None)
    bounds = {
        d.get("name"): (d.get("valueMin"), d.get("valueMax"))
        for d in _list(achievement.get("resultDescription"))
        if isinstance(d, dict)
    }
    for r in results:
        try:
            value = float(r.value) if r.value is not None else None
        except ValueError:
            continue
        if value is None:
            continue
        if r.result_type == "Percent":
            return grade, max(0.0, min(1.0, value / 100))
        low, high = bounds.get(r.name, (None, None))
        try:
            lo, hi = float(str(low)), float(str(high))
        except ValueError:
            continue
        if hi > lo:
            return grade, max(0.0, min(1.0, (value - lo) / (hi - lo)))
    return grade, None


def summarize_vc(doc: dict[str, Any]) -> dict[str, Any]:
    """Verdict fields of an OB 3.0 / CLR 2.0 credential."""
    issuer = doc.get("issuer")
    subject = doc.get("credentialSubject")
    subject = next((s for s in _list(subject) if isinstance(s, dict)), {})
    achievement = subject.get("achievement")
    achievement = achievement if isinstance(achievement, dict) else {}
    identifiers = [i for i in _list(subject.get("identifier")) if isinstance(i, dict)]
    recipient = _str(subject.get("id")) or next(
        (_str(i.get("identityHash")) for i in identifiers), None
    )
    results = results_of(subject, achievement)
    grade, score = grade_and_score(results, achievement)
    return {
        "credential_id": _str(doc.get("id")),
        "issuer_id": _str(issuer.get("id")) if isinstance(issuer, dict) else _str(issuer),
        "issuer_name": _str(issuer.get("name")) if isinstance(issuer, dict) else None,
        "achievement_id": _str(achievement.get("id")),
        "achievement_name": _str(achievement.get("name")),
        "achievement_type": _str(achievement.get("achievementType")),
        "recipient": recipient,
        "issued": parse_when(doc.get("validFrom", doc.get("issuanceDate"))),
        "expires": parse_when(doc.get("validUntil", doc.get("expirationDate"))),
        "alignments": alignments_of(achievement),
        "results": results,
        "grade": grade,
        "score": score,
        "earned": bool(achievement) and "Achievement" in types_of(achievement),
    }
