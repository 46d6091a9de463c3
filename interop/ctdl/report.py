"""What an import says besides the catalog: warnings, skipped parts, id aliases."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ImportReport:
    """The side channel of an import, for people (warnings) and programs (aliases).

    ``aliases`` maps every IRI, CTID, badge URL or code that names a catalog credential
    (component ``@id``, ``proxyFor`` target, ``sourceData``, ``ceterms:ctid``...) to the
    credential id, so that learner evidence written against the source document can be
    mapped onto the imported catalog.
    """

    source: str
    warnings: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)

    def warn(self, message: str) -> None:
        """Record a reservation (the import goes on); repeats are kept once."""
        if message not in self.warnings:
            self.warnings.append(message)

    def skip(self, message: str) -> None:
        """Record a part of the document that was not imported, and why."""
        if message not in self.skipped:
            self.skipped.append(message)

    def alias(self, name: str | None, credential: str) -> None:
        """Remember that ``name`` (an IRI, URL or code) stands for ``credential``."""
        if name and name not in self.aliases:
            self.aliases[name] = credential

    def to_dict(self) -> dict[str, Any]:
        """Plain data (for JSON output and HTTP adapters)."""
        return {
            "source": self.source,
            "warnings": list(self.warnings),
            "skipped": list(self.skipped),
            "aliases": dict(sorted(self.aliases.items())),
        }
