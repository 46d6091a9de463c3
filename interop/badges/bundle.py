"""The local bundle: the only place documents come from (urlmap.json -> files).

Verification never touches the network. A URL is answered when urlmap.json maps it exactly,
or when it starts with a mapped prefix ending in "/" (the OB 2.0 hosted assets); anything
else raises :class:`OfflineUnavailable`, which the checks turn into a refusal (fail closed).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from interop.badges.errors import BadgeError, OfflineUnavailable
from interop.badges.settings import resolve_bundle_dir

#: Largest document the bundle will read (a guard against a mis-mapped binary).
MAX_DOCUMENT_BYTES = 5_000_000


@dataclass(frozen=True)
class Bundle:
    """A folder with urlmap.json, contexts/ and schemas/ (see docs/badges.md)."""

    root: Path
    urlmap: dict[str, str]
    #: pyld's resolved-context cache for this bundle only, so that contexts resolved with
    #: another loader elsewhere in the process can never leak into our canonicalisation.
    context_cache: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def load(cls, bundle_dir: Path | str | None = None) -> Bundle:
        """Read the bundle at ``bundle_dir`` (or the configured default)."""
        root = resolve_bundle_dir(bundle_dir)
        try:
            urlmap = json.loads((root / "urlmap.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise BadgeError(f"{root / 'urlmap.json'}: unreadable ({exc})") from exc
        if not isinstance(urlmap, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in urlmap.items()
        ):
            raise BadgeError(f"{root / 'urlmap.json'}: must map URL strings to paths")
        return cls(root=root, urlmap=urlmap)

    def path_for(self, url: str) -> Path | None:
        """The local file answering ``url`` (fragment ignored), or None when not served."""
        base = url.split("#", 1)[0]
        rel = self.urlmap.get(base)
        if rel is None:
            prefixes = [p for p in self.urlmap if p.endswith("/") and base.startswith(p)]
            if not prefixes:
                return None
            prefix = max(prefixes, key=len)
            rel = self.urlmap[prefix] + base[len(prefix) :]
        path = (self.root / rel).resolve()
        # A URL such as https://example.org/../../etc/passwd must not escape the bundle.
        if not path.is_relative_to(self.root) or not path.is_file():
            return None
        return path

    def is_context(self, url: str) -> bool:
        """True when ``url`` is one of the pinned JSON-LD contexts (under contexts/)."""
        path = self.path_for(url)
        return path is not None and path.is_relative_to(self.root / "contexts")

    def fetch_json(self, url: str) -> Any:
        """The parsed JSON served for ``url``; raises OfflineUnavailable when not served."""
        path = self.path_for(url)
        if path is None:
            raise OfflineUnavailable(url)
        return _read_json(path)

    def schemas(self) -> dict[str, Any]:
        """The JSON schemas of schemas/, keyed by their ``$id``."""
        return _load_schemas(self.root / "schemas")


def _read_json(path: Path) -> Any:
    if path.stat().st_size > MAX_DOCUMENT_BYTES:
        raise BadgeError(f"{path}: larger than {MAX_DOCUMENT_BYTES} bytes")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BadgeError(f"{path}: not JSON ({exc})") from exc


@cache
def _load_schemas(folder: Path) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for path in sorted(folder.glob("*.json")):
        schema = _read_json(path)
        if isinstance(schema, dict) and isinstance(schema.get("$id"), str):
            found[schema["$id"]] = schema
    return found
