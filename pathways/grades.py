"""Grade scales: letters to points, and which grades pass."""

from __future__ import annotations

from dataclasses import dataclass

US_4_POINTS: dict[str, float] = {
    "A+": 4.0,
    "A": 4.0,
    "A-": 3.7,
    "B+": 3.3,
    "B": 3.0,
    "B-": 2.7,
    "C+": 2.3,
    "C": 2.0,
    "C-": 1.7,
    "D+": 1.3,
    "D": 1.0,
    "D-": 0.7,
    "F": 0.0,
}


@dataclass(frozen=True)
class GradeScale:
    """Points for graded letters, plus grades that pass or fail without points."""

    points: dict[str, float]
    passing: frozenset[str]
    failing: frozenset[str]
    name: str = "custom"

    def knows(self, grade: str) -> bool:
        """Whether ``grade`` is on this scale."""
        return grade in self.points or grade in self.passing or grade in self.failing

    def grade_points(self, grade: str | None) -> float | None:
        """Points of ``grade``; ``None`` for no grade or a grade without points."""
        if grade is None or (grade in self.failing and grade not in self.points):
            return None
        return self.points.get(grade)

    def passes(self, grade: str | None) -> bool:
        """Whether an item with ``grade`` passed (no grade passes)."""
        return grade is None or grade not in self.failing

    def all_grades(self) -> list[str]:
        """Every grade on the scale, best first."""
        graded = sorted(self.points, key=lambda g: -self.points[g])
        return (
            graded
            + sorted(self.passing - set(graded))
            + sorted(self.failing - set(graded) - self.passing)
        )


US_4 = GradeScale(
    points=dict(US_4_POINTS),
    passing=frozenset({"P", "S"}),
    failing=frozenset({"F", "NP", "U"}),
    name="us_4",
)
