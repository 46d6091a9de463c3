"""The plain items the solver assigns to rule leaves.

An item is one countable thing a learner holds (or, for plans, could earn): the solver knows
nothing of catalogs or records, only these attributes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

SOURCES = ("institution", "transfer", "prior_learning", "derived")


@dataclass(frozen=True)
class Item:
    """One countable item.

    ``key`` is unique among the items of one evaluation (the credential id of the counted
    attempt). ``matches`` lists every credential id whose leaves the item satisfies (its own
    id, equivalents, ``counts_as`` and substitutions). ``points`` is ``None`` for an item
    without grade points (P, S or no grade). ``forced`` names rule ids (leaf ids) the item is
    put on by an ``apply`` exception, past filters and qualifiers.
    """

    key: str
    credential: str
    matches: frozenset[str]
    credits: float = 0.0
    earned_on: date = date(1970, 1, 1)
    points: float | None = None
    grade: str | None = None
    score: float | None = None
    source: str = "institution"
    type: str | None = None
    subject: str | None = None
    tags: frozenset[str] = frozenset()
    level: float | None = None
    skills: tuple[tuple[str, int], ...] = ()
    issuer: str | None = None
    in_progress: bool = False
    forced: frozenset[str] = frozenset()
    #: Free-form notes the explanation carries (e.g. "transfer value: 12 credits").
    notes: tuple[str, ...] = field(default=())

    def skill_level(self, skill: str) -> int | None:
        """Level at which this item carries ``skill``, or ``None``."""
        best: int | None = None
        for name, level in self.skills:
            if name == skill and (best is None or level > best):
                best = level
        return best
