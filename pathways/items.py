"""Turn a learner record into the countable items of one evaluation (contract section 3).

An item counts when it is completed with a passing grade (or none), is not dated after the
decision date and has not lapsed. Attempts of one credential or of equivalent ones count as
one: the best (highest grade points, then latest). Transfer values change an item's credits
and what it matches toward their target; substitutions widen what it matches; ``apply``
exceptions put it on a named leaf.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from pathways.catalog import Catalog
from pathways.errors import RecordError
from pathways.record import Apply, EarnedItem, LearnerRecord, Substitute, Waive
from pathways.units import ACADEMIC
from rules.durations import parse_duration
from rules.items import Item


@dataclass
class Countable:
    """What of a record can count on a date, toward one target."""

    items: list[Item]
    in_progress: list[Item]
    unrecognized: list[str]
    lapsed: list[str]
    notes: list[str] = field(default_factory=list)
    waived: frozenset[str] = frozenset()
    #: the ``evidence`` (e.g. a badge's verdict) of each counted item that has one, by key
    evidence: dict[str, dict[str, Any]] = field(default_factory=dict)


def check_grades(catalog: Catalog, record: LearnerRecord) -> None:
    """Refuse a record whose grades are not on the catalog's scale."""
    for index, entry in enumerate(record.earned):
        if entry.grade is not None and not catalog.scale.knows(entry.grade):
            raise RecordError(
                f"grade {entry.grade!r} of {entry.credential!r} is not on the catalog's "
                f"grade scale ({', '.join(catalog.scale.all_grades())})",
                location=f"learner {record.learner} (at /earned/{index}/grade)",
            )


def lapse_date(catalog: Catalog, entry: EarnedItem) -> dt.date | None:
    """The first day ``entry`` no longer counts, or ``None`` when it never lapses."""
    if entry.expires_on is not None:
        return entry.expires_on
    cred = catalog.credentials.get(entry.credential)
    if cred is not None and cred.valid_for:
        return parse_duration(cred.valid_for).add_to(entry.earned_on)
    return None


def _rank(catalog: Catalog, entry: EarnedItem) -> tuple[float, dt.date, str]:
    points = catalog.scale.grade_points(entry.grade)
    return (-1.0 if points is None else points, entry.earned_on, entry.credential)


def countable_items(
    catalog: Catalog, record: LearnerRecord, target: str, as_of: dt.date
) -> Countable:
    """The items of ``record`` that count toward ``target`` on ``as_of``."""
    check_grades(catalog, record)
    unrecognized: set[str] = set()
    lapsed: set[str] = set()
    done: dict[frozenset[str], EarnedItem] = {}
    taking: dict[frozenset[str], EarnedItem] = {}
    for entry in record.earned:
        if entry.credential not in catalog.credentials:
            unrecognized.add(entry.credential)
            continue
        klass = catalog.equivalents[entry.credential]
        if entry.status == "in_progress":
            if klass not in taking or _rank(catalog, entry) > _rank(catalog, taking[klass]):
                taking[klass] = entry
            continue
        if entry.status != "completed" or not catalog.scale.passes(entry.grade):
            continue
        if entry.earned_on > as_of:
            continue
        ends = lapse_date(catalog, entry)
        if ends is not None and as_of >= ends:
            lapsed.add(entry.credential)
            continue
        if klass not in done or _rank(catalog, entry) > _rank(catalog, done[klass]):
            done[klass] = entry
    builder = _ItemBuilder(catalog, record, target)
    items = sorted((builder.item(e, in_progress=False) for e in done.values()), key=lambda i: i.key)
    in_progress = sorted(
        (builder.item(e, in_progress=True) for k, e in taking.items() if k not in done),
        key=lambda i: i.key,
    )
    lapsed -= {e.credential for e in done.values()}
    waived = frozenset(x.waive for x in record.exceptions if isinstance(x, Waive))
    evidence = {
        e.credential: e.evidence
        for e in [*done.values(), *taking.values()]
        if e.evidence is not None
    }
    return Countable(
        items,
        in_progress,
        sorted(unrecognized),
        sorted(lapsed),
        sorted(set(builder.notes)),
        waived,
        evidence,
    )


class _ItemBuilder:
    def __init__(self, catalog: Catalog, record: LearnerRecord, target: str) -> None:
        self.catalog = catalog
        self.target = target
        self.notes: list[str] = []
        self.substitutes: dict[str, set[str]] = {}
        self.applies: dict[str, set[str]] = {}
        for exc in record.exceptions:
            if isinstance(exc, Substitute):
                self.substitutes.setdefault(exc.substitute, set()).add(exc.for_)
            elif isinstance(exc, Apply):
                self.applies.setdefault(exc.apply, set()).add(exc.to)

    def _credits(self, entry: EarnedItem) -> float:
        catalog = self.catalog
        value = (
            entry.credits
            if entry.credits is not None
            else (catalog.credentials[entry.credential].credits)
        )
        if value is None:
            return 0.0
        unit = getattr(value, "unit", catalog.unit)
        if unit != catalog.unit and not (unit in ACADEMIC and catalog.unit in ACADEMIC):
            self.notes.append(
                f"{entry.credential}: {unit} credits do not convert into {catalog.unit}; "
                "it counts 0 credits"
            )
        return catalog.to_unit(value) or 0.0

    def _transfer(self, entry: EarnedItem, klass: frozenset[str]) -> tuple[float | None, set[str]]:
        """Credits and extra matches from the best transfer value that applies here."""
        catalog = self.catalog
        best: tuple[float, set[str]] | None = None
        for member in sorted(klass):
            for tv in catalog.transfer_values_from(member):
                toward = tv.to == self.target or self.target in catalog.stacked_inside(tv.to)
                if not toward:
                    continue
                if tv.valid_from and entry.earned_on < tv.valid_from:
                    continue
                if tv.valid_until and entry.earned_on > tv.valid_until:
                    continue
                credits = catalog.to_unit(tv.credits) or 0.0
                extra: set[str] = set()
                for other in tv.counts_as:
                    extra |= catalog.equivalents[other]
                if best is None or credits > best[0]:
                    best = (credits, extra)
        if best is None:
            return None, set()
        self.notes.append(f"{entry.credential}: transfer value of {best[0]:g} credits applies")
        return best

    def item(self, entry: EarnedItem, *, in_progress: bool) -> Item:
        catalog = self.catalog
        cred = catalog.credentials[entry.credential]
        klass = catalog.equivalents[entry.credential]
        matches = set(klass)
        credits = self._credits(entry)
        transfer_credits, extra = self._transfer(entry, klass)
        if transfer_credits is not None:
            credits = transfer_credits
            matches |= extra
        for member in klass:
            for other in self.substitutes.get(member, ()):
                if other in catalog.equivalents:
                    matches |= catalog.equivalents[other]
                else:
                    matches.add(other)
        forced: set[str] = set()
        for member in klass:
            forced |= self.applies.get(member, set())
        return Item(
            key=entry.credential,
            credential=entry.credential,
            matches=frozenset(matches),
            credits=round(credits, 6),
            earned_on=entry.earned_on,
            points=catalog.scale.grade_points(entry.grade),
            grade=entry.grade,
            score=entry.score,
            source=entry.source,
            type=cred.type,
            subject=cred.subject,
            tags=frozenset(cred.tags),
            level=cred.level,
            skills=tuple((s.skill, s.level) for s in cred.skill_refs()),
            issuer=entry.issuer or cred.issuer,
            in_progress=in_progress,
            forced=frozenset(forced),
        )
