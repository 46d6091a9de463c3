"""What a draft catalog changes against the last published version, by id."""

from __future__ import annotations

from typing import Any

from pathways.catalog import Catalog, canonical_json

_KEYED = {"skills": "id", "credentials": "id"}


def diff_catalogs(old: Catalog | None, new: Catalog) -> dict[str, Any]:
    """Added, removed and changed entries of ``new`` against ``old`` (None: all added).

    Credentials and skills are compared by id, transfer values by (from, to); a changed
    entry lists the keys whose values differ.
    """
    old_raw: dict[str, Any] = old.raw if old is not None else {}
    out: dict[str, Any] = {
        "against": old.ref() if old is not None else None,
        "draft": new.ref(),
        "identical": old is not None and old.hash == new.hash,
        "header": _changed_keys(old_raw.get("catalog") or {}, new.raw.get("catalog") or {}),
    }
    for section, key in _KEYED.items():
        out[section] = _diff_list(old_raw.get(section) or [], new.raw.get(section) or [], key)
    out["transfer_values"] = _diff_list(
        [_tv_keyed(t) for t in old_raw.get("transfer_values") or []],
        [_tv_keyed(t) for t in new.raw.get("transfer_values") or []],
        "_key",
    )
    return out


def _tv_keyed(entry: dict[str, Any]) -> dict[str, Any]:
    return {**entry, "_key": f"{entry.get('from')}->{entry.get('to')}"}


def _diff_list(old: list[Any], new: list[Any], key: str) -> dict[str, Any]:
    before = {str(e.get(key)): e for e in old if isinstance(e, dict)}
    after = {str(e.get(key)): e for e in new if isinstance(e, dict)}
    changed = {
        k: _changed_keys(before[k], after[k])
        for k in sorted(before.keys() & after.keys())
        if canonical_json(before[k]) != canonical_json(after[k])
    }
    return {
        "added": sorted(after.keys() - before.keys()),
        "removed": sorted(before.keys() - after.keys()),
        "changed": changed,
    }


def _changed_keys(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    keys = (old.keys() | new.keys()) - {"_key"}
    return sorted(k for k in keys if canonical_json(old.get(k)) != canonical_json(new.get(k)))
