"""Shared fixtures of the badge tests: the offline bundle read in place, a fixed clock."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from interop.badges import Bundle

#: The fixtures live beside the project (never copied in): <repo>/../shared/interop/openbadges.
OB_DIR = Path(__file__).resolve().parents[2] / ".." / "shared" / "interop" / "openbadges"
#: The date the fixtures were taken (validator commit 2026-07-01). Fixed, because some are
#: time-dependent: endorsement-valid.json expires 2030-01-01, simple-err-issued.json starts
#: 2040-01-01.
NOW = datetime(2026, 7, 1, tzinfo=UTC)


@pytest.fixture(scope="session")
def now() -> datetime:
    """The fixed verification date."""
    return NOW


@pytest.fixture(scope="session")
def ob_dir() -> Path:
    """The openbadges fixture folder."""
    return OB_DIR


@pytest.fixture(scope="session")
def bundle() -> Bundle:
    """The bundle (urlmap.json, contexts/, schemas/) shipped beside the fixtures."""
    return Bundle.load(OB_DIR)
