"""Verified badges -> a learner record: ``stackwise import badges`` as a library function.

Each file is verified offline by :mod:`interop.badges`; only trusted credentials that prove an
achievement (an assertion, an achievement credential, the trusted members of a CLR) go on.
Each is mapped to a catalog credential, in this order: the configured map (keyed by
achievement id, alignment URL or code, or achievement name); a credential whose id or ``url``
is the achievement id; one whose ``url`` or id is an alignment's ``targetUrl`` /
``targetCode``; one whose name is the achievement name (case and spacing ignored). The item
keeps the verdict in ``evidence``. Everything else is refused, with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from interop.badges import BadgeError, Bundle, Verdict, verify_bytes
from pathways.catalog import Catalog
from pathways.errors import UsageError
from pathways.record import parse_record

BadgeInput = Path | str | tuple[bytes, str]


def import_badges(
    files_or_bytes: Sequence[BadgeInput],
    catalog: Catalog,
    learner_id: str,
    *,
    issuers: list[str] | None = None,
    mapping: dict[str, str] | None = None,
    now: datetime | None = None,
    recipient: str | None = None,
    bundle: Bundle | Path | str | None = None,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Verify badges and build a learner record (contract section 3) of the trusted ones.

    ``files_or_bytes`` holds paths, or ``(bytes, filename)`` pairs. Returns the record (plain
    data, validated) and the refused credentials, each ``{file, achievement, rules, reasons}``
    (``rules`` is ``["unmapped"]`` for a trusted achievement no catalog credential matches).
    ``issuers`` defaults to the catalog's ``trusted_issuers`` (none: an unlisted issuer is
    reported, not refused). Raises :class:`~pathways.errors.UsageError` for a file that
    cannot be read or a map naming a credential the catalog does not have.
    """
    table = _check_map(mapping or {}, catalog)
    if issuers is None:  # the catalog's own allow-list, when it has one
        issuers = catalog.doc.catalog.trusted_issuers
    checked_at = (now or datetime.now(UTC)).isoformat()
    earned: list[dict[str, Any]] = []
    refused: list[dict[str, Any]] = []
    for entry in files_or_bytes:
        data, name = _read(entry)
        try:
            verdict = verify_bytes(
                data, filename=name, now=now, issuers=issuers, recipient=recipient, bundle=bundle
            )
        except BadgeError as exc:
            refused.append(_refusal(name, None, ["not-a-credential"], [exc.message]))
            continue
        if not verdict.trusted:
            refused.append(
                _refusal(name, verdict.achievement_id, verdict.rules_broken, verdict.reasons)
            )
            continue
        found = verdict.earned_achievements()
        if not found:
            refused.append(
                _refusal(
                    name,
                    verdict.achievement_id,
                    ["no-achievement"],
                    [f"a trusted {verdict.kind} that proves no achievement earned by a learner"],
                )
            )
        for one in found:
            match = _match(one, catalog, table)
            if match is None:
                what = one.achievement_id or one.achievement_name or one.credential_id
                refused.append(
                    _refusal(
                        name,
                        what,
                        ["unmapped"],
                        [f"no catalog credential matches achievement {what!r} (add it to --map)"],
                    )
                )
                continue
            item = _item(one, match, catalog, name, checked_at)
            if item is None:
                refused.append(
                    _refusal(
                        name, one.achievement_id, ["no-date"], ["the credential has no issue date"]
                    )
                )
            else:
                earned.append(item)
    earned.sort(key=lambda i: (i["credential"], i["earned_on"], i.get("id") or ""))
    record = {"learner": learner_id, "earned": earned}
    parse_record(record, f"record of {learner_id}")
    return record, refused


def _read(entry: BadgeInput) -> tuple[bytes, str]:
    if isinstance(entry, tuple):
        return entry
    path = Path(entry)
    try:
        return path.read_bytes(), str(path)
    except OSError as exc:
        raise UsageError(f"cannot read: {exc.strerror or exc}", location=str(path)) from None


def _check_map(mapping: dict[str, str], catalog: Catalog) -> dict[str, str]:
    bad = sorted({v for v in mapping.values() if v not in catalog.credentials})
    if bad:
        raise UsageError(f"the map names credentials not in the catalog: {', '.join(bad)}")
    return {_key(k): v for k, v in mapping.items()}


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip()).casefold()


def _match(verdict: Verdict, catalog: Catalog, table: dict[str, str]) -> tuple[str, str] | None:
    """``(credential id, how it matched)`` for a trusted achievement, or ``None``."""
    aims = [a for al in verdict.alignments for a in (al.target_url, al.target_code) if a]
    for key in [verdict.achievement_id, *aims, verdict.achievement_name]:
        if key and _key(key) in table:
            return table[_key(key)], f"map ({key})"
    creds = catalog.credentials
    by_url = {str(c.url): cid for cid, c in creds.items() if c.url}
    ach = verdict.achievement_id
    if ach and (ach in creds or ach in by_url):
        return (ach if ach in creds else by_url[ach]), "achievement id"
    for aim in aims:
        if aim in creds or aim in by_url:
            return (aim if aim in creds else by_url[aim]), "alignment"
    if verdict.achievement_name:
        wanted = _key(verdict.achievement_name)
        named = sorted(cid for cid, c in creds.items() if c.name and _key(c.name) == wanted)
        if len(named) == 1:
            return named[0], "name"
    return None


def _item(
    verdict: Verdict, match: tuple[str, str], catalog: Catalog, file: str, checked_at: str
) -> dict[str, Any] | None:
    if verdict.issued is None:
        return None
    cid, how = match
    item: dict[str, Any] = {"credential": cid, "earned_on": verdict.issued.date().isoformat()}
    notes = [f"verified badge from {Path(file).name}, matched by {how}"]
    if verdict.grade is not None:
        if catalog.scale.knows(verdict.grade):
            item["grade"] = verdict.grade
        else:
            notes.append(f"grade {verdict.grade!r} is not on the catalog's scale; left out")
    if verdict.score is not None:
        item["score"] = verdict.score
    if verdict.expires is not None:
        item["expires_on"] = verdict.expires.date().isoformat()
    if verdict.issuer_id:
        item["issuer"] = verdict.issuer_id
    if verdict.credential_id:
        item["id"] = verdict.credential_id
    item["evidence"] = {
        "file": file,
        "trusted": verdict.trusted,
        "status": verdict.status,
        "spec": verdict.spec,
        "kind": verdict.kind,
        "format": verdict.format,
        "container": verdict.container,
        "achievement": verdict.achievement_id,
        "achievement_name": verdict.achievement_name,
        "matched_by": how,
        "warnings": verdict.warnings,
        "checked_at": checked_at,
        "checks": [{"check": c.check, "result": c.result} for c in verdict.checks],
    }
    item["note"] = "; ".join(notes)
    return item


def _refusal(
    file: str, achievement: str | None, rules: list[str], reasons: list[str]
) -> dict[str, Any]:
    return {"file": file, "achievement": achievement, "rules": rules, "reasons": reasons}
