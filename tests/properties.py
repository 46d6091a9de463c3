"""How long the property tests search: the suite's budget, or a longer campaign.

The suite runs each property test on a few hundred random instances, enough for a change
that breaks the solver outright, but not for the rarer wrong answers: session 7's three
(a false "cannot be met", a wrong pair order, a plan resting on a prerequisite cycle) were
each found only after thousands. ``STACKWISE_PROPERTY_SCALE=N`` multiplies every property
test's number of examples by N (``scripts/long-properties.sh`` runs such a campaign).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_VARIABLE = "STACKWISE_PROPERTY_SCALE"


def _scale() -> int:
    raw = os.environ.get(_VARIABLE, "1")
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise SystemExit(f"error: {_VARIABLE}={raw!r}: expected a whole number >= 1")
    return value


SCALE = _scale()


def examples(count: int) -> int:
    """The number of examples a property test runs: ``count`` times the scale."""
    return count * SCALE


def search(count: int, *, large_data: bool = False) -> settings:
    """Settings for a property test of ``count`` examples (scaled), without a deadline:
    solver instances vary in cost by design, so a slow example is not a failure."""
    checks = [HealthCheck.too_slow]
    if large_data:
        checks.append(HealthCheck.data_too_large)
    return settings(max_examples=examples(count), deadline=None, suppress_health_check=checks)


# Tests that set no budget of their own run hypothesis's default of 100, scaled the same way.
settings.register_profile("stackwise", max_examples=examples(100))
settings.load_profile("stackwise")
