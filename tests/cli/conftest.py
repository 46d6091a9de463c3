"""Fixtures of the CLI tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh embedded store selected through the environment, as a user would."""
    monkeypatch.setenv("STACKWISE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("STACKWISE_DATABASE_URL", raising=False)
    return tmp_path
