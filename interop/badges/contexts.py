"""JSON-LD contexts: the pinned-only document loader and the context rules of OB 3.0 / CLR.

Only the contexts under the bundle's contexts/ folder, reached through urlmap.json, are ever
loaded; an unknown context is refused, never fetched.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any

from pyld import jsonld
from pyld.context_resolver import ContextResolver

from interop.badges.bundle import Bundle
from interop.badges.verdict import Check

VC_V2 = "https://www.w3.org/ns/credentials/v2"
VC_V1 = "https://www.w3.org/2018/credentials/v1"
OB_CURRENT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_PREFIX = "https://purl.imsglobal.org/spec/ob/v3p0/context"
CLR_CURRENT = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"
CLR_PREFIX = "https://purl.imsglobal.org/spec/clr/v2p0/context"

Loader = Callable[[str, Any], dict[str, Any]]


class PinnedLoader:
    """A pyld document loader that serves only the bundle's pinned contexts."""

    def __init__(self, bundle: Bundle) -> None:
        self.bundle = bundle
        #: URLs asked for but not pinned, so a failure can say which context was unknown.
        self.refused: list[str] = []

    def __call__(self, url: str, options: Any = None) -> dict[str, Any]:
        if not self.bundle.is_context(url):
            self.refused.append(url)
            raise jsonld.JsonLdError(
                f"unknown context {url} (not pinned in the bundle)",
                "jsonld.LoadDocumentError",
                code="loading document failed",
            )
        # Deep copy: pyld must never mutate what later calls read.
        document = copy.deepcopy(self.bundle.fetch_json(url))
        return {
            "contentType": "application/ld+json",
            "contextUrl": None,
            "documentUrl": url,
            "document": document,
        }

    def options(self) -> dict[str, Any]:
        """pyld options using this loader and the bundle's own context cache."""
        return {
            "documentLoader": self,
            "contextResolver": ContextResolver(self.bundle.context_cache, self),
        }


def canonicalize(document: dict[str, Any], loader: PinnedLoader) -> str:
    """RDF Dataset Canonicalization (URDNA2015 = RDFC-1.0) of ``document`` as N-Quads."""
    options = loader.options()
    options.update({"algorithm": "URDNA2015", "format": "application/n-quads"})
    result = jsonld.normalize(document, options)
    return str(result)


def context_urls(node: Any) -> Iterator[str]:
    """Every context URL named anywhere in ``node`` (top level, nested nodes, scoped)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("@context", "@import"):
                values = value if isinstance(value, list) else [value]
                for item in values:
                    if isinstance(item, str):
                        yield item
                    else:
                        yield from context_urls(item)
            else:
                yield from context_urls(value)
    elif isinstance(node, list):
        for item in node:
            yield from context_urls(item)


def check_contexts(doc: dict[str, Any], kind: str, bundle: Bundle) -> Check:
    """The OB 3.0 / CLR 2.0 context rules: pinned only, VC context first, OB/CLR context."""
    unknown = sorted({u for u in context_urls(doc) if not bundle.is_context(u)})
    if unknown:
        return Check.fail(
            "contexts", "unknown-context", f"unknown context (not pinned): {', '.join(unknown)}"
        )
    top = doc.get("@context")
    ctx = top if isinstance(top, list) else [top]
    warnings: list[str] = []
    first = ctx[0] if ctx else None
    if first == VC_V1:
        warnings.append(f"{VC_V1} is the outdated VCDM 1.1 context (alias of {VC_V2})")
    elif first != VC_V2:
        return Check.fail("contexts", "bad-context", f"first @context must be {VC_V2}")
    needs: list[tuple[str, str]] = []
    if kind in ("OpenBadgeCredential", "AchievementCredential", "EndorsementCredential"):
        needs.append((OB_PREFIX, OB_CURRENT))
    if kind == "ClrCredential":
        needs.append((CLR_PREFIX, CLR_CURRENT))
    for prefix, current in needs:
        named = [c for c in ctx if isinstance(c, str) and c.startswith(prefix)]
        if not named:
            return Check.fail("contexts", "bad-context", f"@context lacks {current}")
        if current not in named:
            warnings.append(f"{named[0]} is an older version or alias of {current}")
    if warnings:
        return Check.warn("contexts", "; ".join(warnings))
    return Check.ok("contexts", "all contexts pinned and current")
